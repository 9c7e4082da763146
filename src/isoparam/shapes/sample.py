"""Shapes drawn uniformly at random from all shapes with exactly P parameters.

Every draw walks from the input to the output, choosing each next layer (or the output
that closes the shape) with probability proportional to the number of shapes that begin
with the choices so far: exact completion counts from the counting tables, one
``Random.randrange`` on the exact total per draw, never a float. Every shape is then drawn
with probability exactly ``1 / total``, also where the shapes are far too many to list.

Without rules beyond the counting model the tables of :mod:`isoparam.shapes.free` serve
(narrow widths as states; a wide layer, never next to another, chosen along its arithmetic
progression); with rules the :class:`~isoparam.shapes.table.ShapeTable`. Both hold every
remaining budget up to P, so their size is checked before any work:
:data:`FREE_LIMIT` and :data:`TABLE_CELLS`.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Callable, Iterator
from itertools import accumulate
from math import isqrt

from isoparam.errors import IsoparamError, NotFound
from isoparam.families.mlp import check_positive
from isoparam.request import ShapeRules
from isoparam.shapes.free import free_tables
from isoparam.shapes.table import ShapeTable, Steps, check_length

DEFAULT_SEED = 0
"""The seed when none is given, so that output stays reproducible."""

DRAW_LIMIT = 1_000_000
"""The most shapes one call draws."""

FREE_LIMIT = 10_000
"""The largest budget sampled without rules (tables of about ``P^1.5`` big integers:
10^4 takes about 18 s and 0.45 GB with biases, 24 s and 0.68 GB without)."""

TABLE_CELLS = 1_000_000
"""The most (remaining budget, width, depth bucket) cells of a rule table for sampling
(P = 1414 without width or depth bounds: measured 4.7 s and 0.2 GB)."""


def table_cells(budget: int, rules: ShapeRules) -> int:
    """Cells a :class:`ShapeTable` up to ``budget`` has at most, in closed form.

    >>> from isoparam.request import shape_rules
    >>> table_cells(10, shape_rules(bias=False, max_step=1))
    55
    """
    low, extra = rules.min_width, rules.counting.output_unit_extras
    first = low + extra  # the smallest remaining budget with a width
    if budget < first:
        return 0
    top = budget if rules.max_width is None else min(budget, rules.max_width + extra)
    rising = top - first + 1  # widths low..r - extra at budget r
    cells = rising * (rising + 1) // 2
    if budget > top:
        cells += (budget - top) * ((rules.max_width or 0) - low + 1)
    buckets = 1 if rules.depths is None else max(max(rules.depths), 1)
    return cells * buckets


def check_sample(budget: int, draws: int, seed: int) -> None:
    """Refuse bad values before any work: budget and draws integers >= 1 (draws at most
    :data:`DRAW_LIMIT`), the seed an integer >= 0."""
    check_positive("the budget", budget)
    for name, value, low in (("the number of draws", draws, 1), ("the seed", seed, 0)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise IsoparamError(f"{name} must be an integer >= {low}, got {value!r}")
    if draws > DRAW_LIMIT:
        raise IsoparamError(f"the number of draws {draws} is above the limit {DRAW_LIMIT}")


class Sampler:
    """Draws shapes with exactly ``budget`` parameters uniformly; :attr:`total` is how many
    there are. Building it checks the size of its tables before filling them."""

    def __init__(
        self,
        budget: int,
        rules: ShapeRules | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        check_positive("the budget", budget)
        self.budget = budget
        self.rules = rules = rules or ShapeRules()
        steps = Steps(rules)
        check_length(steps, budget)
        self._draw: Callable[[int], tuple[int, ...]]
        if rules.free:
            if budget > FREE_LIMIT:
                raise IsoparamError(
                    f"sampling shapes without rules works up to a budget of {FREE_LIMIT} "
                    f"(its tables grow like P^1.5 big integers), not {budget}"
                )
            free = _FreeDraw(budget, rules, progress)
            self.total, self._draw = free.total, free.draw
        else:
            cells = table_cells(budget, rules)
            if cells > TABLE_CELLS:
                raise IsoparamError(
                    f"sampling {budget} parameters under these rules needs a table of "
                    f"{cells} cells, above the limit of {TABLE_CELLS}: ask for a smaller "
                    "budget or bound the widths (--max-width) or depths"
                )
            table = _TableDraw(ShapeTable(rules, budget, progress), budget)
            self.total, self._draw = table.total, table.draw

    def shape(self, index: int) -> tuple[int, ...]:
        """The shape number ``index`` (``0 <= index < total``) of the sampler's fixed order:
        a one-to-one map onto the shapes, so a uniform index is a uniform shape."""
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < self.total:
            raise IsoparamError(
                f"the index must be an integer in [0, {self.total}), got {index!r}"
            )
        return self._draw(index)

    def draws(self, count: int, seed: int = DEFAULT_SEED) -> Iterator[tuple[int, ...]]:
        """``count`` independent uniform draws from ``random.Random(seed)``, lazily; checked
        at once (:class:`NotFound` when there is no shape to draw)."""
        check_sample(self.budget, count, seed)
        if not self.total:
            raise NotFound(f"no shape has exactly {self.budget} parameters under these rules")
        return self._draws(count, random.Random(seed))

    def _draws(self, count: int, generator: random.Random) -> Iterator[tuple[int, ...]]:
        for _ in range(count):
            yield self._draw(generator.randrange(self.total))


def sample_shapes(
    budget: int,
    rules: ShapeRules | None = None,
    draws: int = 1,
    seed: int = DEFAULT_SEED,
) -> tuple[tuple[int, ...], ...]:
    """``draws`` shapes with exactly ``budget`` parameters, each drawn independently and
    uniformly at random from all of them (repetitions possible), reproducibly for a seed.

    Parameters
    ----------
    budget : int
        The exact parameter count (>= 1).
    rules : ShapeRules, optional
        Which shapes count (:func:`isoparam.shape_rules`); default none beyond biases on.
    draws : int
        How many shapes to draw, 1 to :data:`DRAW_LIMIT`.
    seed : int
        The seed (>= 0, default :data:`DEFAULT_SEED`) fed to ``random.Random``.

    Returns
    -------
    tuple of tuple of int
        Size tuples ``(s_0, ..., s_k)``, input first, in the order drawn.

    Raises
    ------
    IsoparamError
        For a bad value, or before any work when the tables would exceed
        :data:`FREE_LIMIT` (no rules) or :data:`TABLE_CELLS` (with rules).
    NotFound
        When no shape has exactly ``budget`` parameters.

    Complexity: building the tables as :func:`~isoparam.shapes.table.count_shapes` does
    (about ``P^2`` big-integer additions without rules), then per draw time proportional to
    the shape's length times the widths weighed at each layer.

    >>> from isoparam.request import shape_rules
    >>> sample_shapes(30, shape_rules(inputs=2, outputs=3, depths="1-2", bias=False), 3, 7)
    ((2, 6, 3), (2, 3, 4, 3), (2, 6, 2, 3))
    """
    check_sample(budget, draws, seed)
    return tuple(Sampler(budget, rules).draws(draws, seed))


class _TableDraw:
    """Draws from a :class:`ShapeTable` (any rules)."""

    def __init__(self, table: ShapeTable, budget: int) -> None:
        self.table, self.budget = table, budget
        self.sizes = table.inputs(budget)
        weights = [table.completions(budget, size, 0) for size in self.sizes]
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1] if self.cumulative else 0

    def draw(self, index: int) -> tuple[int, ...]:
        """The shape number ``index`` (``0 <= index < total``) of one fixed order."""
        table = self.table
        slot = bisect_right(self.cumulative, index)
        index -= self.cumulative[slot - 1] if slot else 0
        width, remaining, layer = self.sizes[slot], self.budget, 0
        shape = [width]
        while True:
            closing = table.end_size(remaining, width, layer)
            if closing is not None:
                if not index:
                    shape.append(closing)
                    return tuple(shape)
                index -= 1
            for nxt in table.next_widths(remaining, width, layer):
                rest = remaining - (width + table.hidden) * nxt
                weight = table.lookup(rest, nxt, layer + 1)
                if index < weight:
                    break
                index -= weight
            else:
                raise AssertionError("the table's counts do not add up")  # pragma: no cover
            shape.append(nxt)
            width, remaining, layer = nxt, rest, layer + 1


class _FreeDraw:
    """Draws from the tables of :mod:`isoparam.shapes.free` (no rules).

    A width above ``m = isqrt(P)`` is wide: never next to another wide one, so after a
    narrow layer ``t`` with ``r`` left the choices are the output ``c`` (``(t + o)c = r``),
    a narrow ``u`` (weight ``V_u[r - (t + h)u]``), or a wide ``w`` followed by the output
    ``c`` or a narrow ``v`` (weight ``V_v[r - w(t + h + v) - hv]``).
    """

    def __init__(
        self, budget: int, rules: ShapeRules, progress: Callable[[int, int], None] | None
    ) -> None:
        counting = rules.counting
        self.h, self.o = counting.hidden_unit_extras, counting.output_unit_extras
        self.m, self.budget = isqrt(budget), budget
        totals, self.finishes = free_tables(budget, self.h, self.o, progress)
        self.total = totals[budget]
        # Inputs: each narrow size, then each wide size (its weight summed over what follows).
        weights = [self.finishes[t - 1][budget] for t in range(1, self.m + 1)]
        weights += [self._after_wide_input(s) for s in range(self.m + 1, budget + 1)]
        self.cumulative = list(accumulate(weights))
        assert self.cumulative[-1] == self.total, "the tables do not add up"

    def _after_wide_input(self, size: int) -> int:
        weight = int(self.budget % (size + self.o) == 0)
        for v in range(1, self.m + 1):
            rest = self.budget - (size + self.h) * v
            if rest <= 0:
                break
            weight += self.finishes[v - 1][rest]
        return weight

    def draw(self, index: int) -> tuple[int, ...]:
        """The shape number ``index`` (``0 <= index < total``) of one fixed order."""
        slot = bisect_right(self.cumulative, index)
        index -= self.cumulative[slot - 1] if slot else 0
        size = slot + 1
        shape = [size]
        if size > self.m:  # a wide input: the output, or a narrow layer
            if self.budget % (size + self.o) == 0:
                if not index:
                    return (size, self.budget // (size + self.o))
                index -= 1
            for v in range(1, self.m + 1):
                rest = self.budget - (size + self.h) * v
                weight = self.finishes[v - 1][rest] if rest > 0 else 0
                if index < weight:
                    break
                index -= weight
            else:
                raise AssertionError("the tables do not add up")  # pragma: no cover
            shape.append(v)
            return self._finish(shape, v, rest, index)
        return self._finish(shape, size, self.budget, index)

    def _finish(self, shape: list[int], width: int, remaining: int, index: int) -> tuple[int, ...]:
        """Extend ``shape``, whose latest layer is narrow, by completion number ``index``."""
        h, o, m, finishes = self.h, self.o, self.m, self.finishes
        while True:
            if remaining % (width + o) == 0:  # the output
                if not index:
                    shape.append(remaining // (width + o))
                    return tuple(shape)
                index -= 1
            found = False
            for u in range(1, m + 1):  # a narrow layer
                rest = remaining - (width + h) * u
                if rest <= 0:
                    break
                weight = finishes[u - 1][rest]
                if index < weight:
                    shape.append(u)
                    width, remaining, found = u, rest, True
                    break
                index -= weight
            if found:
                continue
            # A wide layer w > m, then the output x (cost (w + o)x) or a narrow layer x.
            for x in range(1, m + 1):
                for w in range(m + 1, (remaining - o * x) // (width + h + x) + 1):
                    base = remaining - (width + h) * w
                    closes = int(base == (w + o) * x)
                    rest = base - (w + h) * x
                    weight = closes + (finishes[x - 1][rest] if rest > 0 else 0)
                    if index < weight:
                        shape += (w, x)
                        if closes and not index:
                            return tuple(shape)
                        width, remaining, index, found = x, rest, index - closes, True
                        break
                    index -= weight
                if found:
                    break
            if not found:
                raise AssertionError("the tables do not add up")  # pragma: no cover
