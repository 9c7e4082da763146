"""Every shape with exactly P parameters: counting and enumeration.

A shape is ``(s_0, s_1, ..., s_k)`` with ``k >= 1``; its count comes from the counting model
(weights ``sum s_i*s_{i+1}`` plus the per-unit extras). Rules narrow the shapes: a fixed
input or output size, a set of depths (``k - 1`` hidden layers; 0 allowed), bounds on the
hidden widths and a largest step ``|s_i - s_{i+1}|`` between neighbouring hidden layers.

``ways[r][t][j]`` is the number of ways to finish a shape whose latest layer is hidden layer
number ``j`` of width ``t`` with ``r`` parameters still to spend; it is filled for
``r = 0..P`` in increasing order, since every layer spends at least one parameter. The count
of shapes is then a sum over the input size and the first layer after it, and enumeration
walks the same table, never entering a branch that cannot finish, in lexicographic order
of the size sequence. Counts without any rule take the faster route of
:mod:`isoparam.shapes.free`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from isoparam.errors import IsoparamError, shown
from isoparam.families.mlp import check_positive
from isoparam.request import (
    ShapeRules,
)
from isoparam.shapes.free import free_shape_counts

MAX_COUNTED = 1_000_000
"""The largest budget whose shapes are counted or listed (the table holds a row per budget)."""


def check_table_size(budget: int) -> None:
    """Refuse, before any work, a budget whose table would not fit: a row per budget."""
    check_positive("the budget", budget)
    if budget > MAX_COUNTED:
        raise IsoparamError(
            f"counting and listing shapes keep a row per budget and take about P^2 steps: "
            f"budgets up to {MAX_COUNTED} are handled, not {shown(budget)}"
        )


class ShapeTable:
    """The completion counts for every remaining budget up to ``limit``.

    ``ways[r][t][i]`` counts the finishes from hidden layer number ``i + 1`` of width ``t``
    with ``r`` parameters left; without a depth rule there is one entry (``i = 0``) for all.
    """

    def __init__(
        self,
        rules: ShapeRules,
        limit: int,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.rules = rules
        self.hidden = rules.counting.hidden_unit_extras
        self.output = rules.counting.output_unit_extras
        self.layers = None if rules.depths is None else max(rules.depths)
        self.ways: list[dict[int, list[int]]] = []
        for remaining in range(limit + 1):
            self.ways.append(self._row(remaining))
            if progress is not None and remaining % 256 == 0:
                progress(remaining, limit)

    def _indices(self) -> range:
        """Hidden-layer numbers tracked: all of them, or one shared entry."""
        return range(1, self.layers + 1) if self.layers is not None else range(1, 2)

    def _row(self, remaining: int) -> dict[int, list[int]]:
        rules = self.rules
        row: dict[int, list[int]] = {}
        high = remaining - self.output
        if rules.max_width is not None:
            high = min(high, rules.max_width)
        for width in range(rules.min_width, high + 1):
            counts = [
                int(self.end_size(remaining, width, layer) is not None)
                + self._onward(remaining, width, layer)
                for layer in self._indices()
            ]
            if any(counts):
                row[width] = counts
        return row

    def end_size(self, remaining: int, width: int, layer: int) -> int | None:
        """The output size that closes the shape after layer number ``layer``, if any."""
        rules = self.rules
        if self.layers is not None and layer not in rules.depths:  # type: ignore[operator]
            return None
        unit = width + self.output
        if remaining < unit or remaining % unit:
            return None
        size = remaining // unit
        return size if rules.outputs is None or size == rules.outputs else None

    def _onward(self, remaining: int, width: int, layer: int) -> int:
        """Completions that add another hidden layer after layer number ``layer``."""
        if self.layers is not None and layer + 1 > self.layers:
            return 0
        return sum(
            self.lookup(remaining - (width + self.hidden) * nxt, nxt, layer + 1)
            for nxt in self.next_widths(remaining, width, layer)
        )

    def next_widths(self, remaining: int, width: int, layer: int) -> range:
        """Hidden widths that may follow layer ``layer`` and leave room for an output."""
        rules = self.rules
        if self.layers is not None and layer + 1 > self.layers:
            return range(0)
        low = rules.min_width
        high = (remaining - self.output) // (width + self.hidden + 1)
        if rules.max_width is not None:
            high = min(high, rules.max_width)
        if layer >= 1 and rules.max_step is not None:
            low, high = max(low, width - rules.max_step), min(high, width + rules.max_step)
        return range(low, high + 1)

    def lookup(self, remaining: int, width: int, layer: int) -> int:
        """Completions from hidden layer number ``layer`` of this width."""
        counts = self.ways[remaining].get(width)
        if counts is None:
            return 0
        return counts[layer - 1] if self.layers is not None else counts[0]

    def inputs(self, budget: int) -> range:
        if self.rules.inputs is not None:
            return range(self.rules.inputs, self.rules.inputs + 1)
        return range(1, budget + 1)

    def total(self, budget: int) -> int:
        """How many shapes have exactly ``budget`` parameters."""
        total = 0
        for size in self.inputs(budget):
            total += int(self.end_size(budget, size, 0) is not None)
            total += self._onward(budget, size, 0)
        return total


def count_shapes(
    budget: int,
    rules: ShapeRules | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """How many shapes have exactly ``budget`` parameters under ``rules``.

    >>> from isoparam.request import shape_rules
    >>> count_shapes(4, shape_rules(bias=False))
    10
    """
    check_positive("the budget", budget)
    rules = rules or ShapeRules()
    if rules.free:
        return count_sequence(budget, rules, progress)[-1]
    return ShapeTable(rules, budget, progress).total(budget)


def count_sequence(
    limit: int,
    rules: ShapeRules | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[int]:
    """``count_shapes(P)`` for ``P = 1..limit``, all from one table.

    Without rules beyond the counting model, :mod:`isoparam.shapes.free` counts instead:
    it needs about ``P^2`` additions where the table needs far more.

    >>> from isoparam.request import shape_rules
    >>> count_sequence(10, shape_rules(bias=False))
    [1, 3, 5, 10, 14, 27, 37, 65, 96, 157]
    """
    check_table_size(limit)
    rules = rules or ShapeRules()
    if rules.free:
        extras = rules.counting
        return free_shape_counts(
            limit, extras.hidden_unit_extras, extras.output_unit_extras, progress
        )
    table = ShapeTable(rules, limit, progress)
    return [table.total(budget) for budget in range(1, limit + 1)]


def enumerate_shapes(budget: int, rules: ShapeRules | None = None) -> Iterator[tuple[int, ...]]:
    """Every shape with exactly ``budget`` parameters, in lexicographic order, lazily.

    The walk never enters a branch the table says cannot finish, and holds one path at a
    time, so memory does not grow with the number of shapes.

    >>> from isoparam.request import shape_rules
    >>> shapes = list(enumerate_shapes(4, shape_rules(bias=False)))
    >>> shapes[:5]
    [(1, 1, 1, 1, 1), (1, 1, 1, 2), (1, 1, 3), (1, 2, 1), (1, 4)]
    >>> shapes[5:]
    [(2, 1, 1, 1), (2, 1, 2), (2, 2), (3, 1, 1), (4, 1)]
    """
    check_table_size(budget)  # here, not at the first next(): a bad budget fails at once
    table = ShapeTable(rules or ShapeRules(), budget)
    return (shape for size in table.inputs(budget) for shape in _walk(table, size, budget))


def _walk(table: ShapeTable, first: int, budget: int) -> Iterator[tuple[int, ...]]:
    """Depth-first, with an explicit stack (shapes can be thousands of layers deep)."""
    prefix = [first]
    # Each frame: remaining budget, layer number, candidate next widths, pending output size.
    stack = [
        (budget, 0, iter(table.next_widths(budget, first, 0)), table.end_size(budget, first, 0))
    ]
    while stack:
        remaining, layer, candidates, closing = stack[-1]
        width = prefix[-1]
        for nxt in candidates:
            if closing is not None and closing <= nxt:
                stack[-1] = (remaining, layer, candidates, None)
                yield (*prefix, closing)
                closing = None
            rest = remaining - (width + table.hidden) * nxt
            if table.lookup(rest, nxt, layer + 1):
                stack[-1] = (remaining, layer, candidates, closing)
                prefix.append(nxt)
                stack.append(
                    (
                        rest,
                        layer + 1,
                        iter(table.next_widths(rest, nxt, layer + 1)),
                        table.end_size(rest, nxt, layer + 1),
                    )
                )
                break
        else:
            if closing is not None:
                yield (*prefix, closing)
            stack.pop()
            prefix.pop()
