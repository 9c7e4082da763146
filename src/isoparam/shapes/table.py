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

from isoparam.errors import IsoparamError, LimitReached, shown
from isoparam.families.mlp import check_positive
from isoparam.request import ShapeRules
from isoparam.shapes.free import free_shape_counts

MAX_COUNTED = 25_000
"""The largest budget whose shapes are counted. Memory is not the limit: the counts are
made a digit at a time (:func:`isoparam.shapes.free.free_shape_counts`), in under 0.9 GB
at any budget. Time is: it grows about like P^3, 130 s of CPU at 20,000 and 6 minutes at
25,000 with biases (benchmarks/shapes_count.py)."""


MAX_RULED = 5_000
"""The largest budget counted under rules (sizes, depths, widths, steps): about 15 s."""


def check_table_size(budget: int, rules: ShapeRules | None = None) -> None:
    """Refuse, before any work, a budget whose count would take more than minutes (above
    :data:`MAX_COUNTED`) or, under rules, more than seconds (above :data:`MAX_RULED`)."""
    check_positive("the budget", budget)
    if rules is not None and not rules.free and budget > MAX_RULED:
        raise IsoparamError(
            f"counting shapes under rules fills a table in about P^2.8 steps (two minutes at "
            f"10,000): budgets up to {MAX_RULED} are counted with rules, not {shown(budget)}"
        )
    if budget > MAX_COUNTED:
        raise IsoparamError(
            f"counting shapes takes time growing like P^3 (6 minutes at {MAX_COUNTED:,}, "
            f"in under 0.9 GB): budgets up to {MAX_COUNTED} are counted, not {shown(budget)}"
        )


class Steps:
    """The rules as moves: which widths may follow a layer, which output closes a shape.

    A state is ``(remaining, width, layer)``: the latest layer has ``width`` units and is
    hidden layer number ``layer`` (0: the input), with ``remaining`` parameters still to
    spend. Only the depth rule distinguishes hidden layers by number; without it every
    hidden layer behaves alike (:meth:`key`).
    """

    def __init__(self, rules: ShapeRules) -> None:
        self.rules = rules
        self.hidden = rules.counting.hidden_unit_extras
        self.output = rules.counting.output_unit_extras
        self.layers = None if rules.depths is None else max(rules.depths)

    def key(self, remaining: int, width: int, layer: int) -> tuple[int, int, int]:
        """The state's identity: states with equal keys have the same completions."""
        return remaining, width, layer if self.layers is not None else min(layer, 1)

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

    def inputs(self, budget: int) -> range:
        """The input sizes to try: the fixed one, or every size up to the budget."""
        if self.rules.inputs is not None:
            return range(self.rules.inputs, self.rules.inputs + 1)
        return range(1, budget + 1)

    def longest(self, budget: int) -> int:
        """An upper bound on the number of layers of a shape with ``budget`` parameters."""
        if self.layers is not None:
            return self.layers + 2
        return budget // ((1 + self.hidden) * self.rules.min_width) + 2


class ShapeTable(Steps):
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
        super().__init__(rules)
        self.ways: list[dict[int, list[int]]] = []
        for remaining in range(limit + 1):
            self.ways.append(self._row(remaining))
            if progress is not None and remaining % 256 == 0:
                # Row r weighs up to r widths, each against its next widths: the work
                # done grows about like r^2, and so does the progress reported.
                progress(remaining**2, limit**2)

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

    def _onward(self, remaining: int, width: int, layer: int) -> int:
        """Completions that add another hidden layer after layer number ``layer``."""
        if self.layers is not None and layer + 1 > self.layers:
            return 0
        return sum(
            self.lookup(remaining - (width + self.hidden) * nxt, nxt, layer + 1)
            for nxt in self.next_widths(remaining, width, layer)
        )

    def completions(self, remaining: int, width: int, layer: int) -> int:
        """Completions from layer number ``layer`` (0: the input) of this width."""
        if layer == 0:
            closing = self.end_size(remaining, width, 0) is not None
            return int(closing) + self._onward(remaining, width, 0)
        return self.lookup(remaining, width, layer)

    def lookup(self, remaining: int, width: int, layer: int) -> int:
        """Completions from hidden layer number ``layer`` of this width."""
        counts = self.ways[remaining].get(width)
        if counts is None:
            return 0
        return counts[layer - 1] if self.layers is not None else counts[0]

    def total(self, budget: int) -> int:
        """How many shapes have exactly ``budget`` parameters."""
        return sum(self.completions(budget, size, 0) for size in self.inputs(budget))


def count_shapes(
    budget: int,
    rules: ShapeRules | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """How many shapes have exactly ``budget`` parameters under ``rules``.

    Parameters
    ----------
    budget : int
        The parameter count, ``1 <= budget <= MAX_COUNTED``.
    rules : ShapeRules, optional
        Sizes, depths, widths and steps allowed (see :func:`isoparam.shape_rules`); by
        default every shape, counted with biases.
    progress : callable, optional
        Called as ``progress(done, total)`` while the tables fill, in units of work (about
        ``q`` for budget ``q``, so that the work done, not the budgets, measures progress).

    Returns
    -------
    int
        The exact number of shapes (a big integer: 157 at 10 parameters without biases,
        1919 digits at 10,000).

    Raises
    ------
    IsoparamError
        For a budget that is not an integer in range.

    Complexity: without rules about ``P^2`` additions per digit of about a thousand bits
    (:mod:`isoparam.shapes.free`: a few passes, in under 0.9 GB); about ``P^2.8``
    big-integer additions with them.

    >>> from isoparam.request import shape_rules
    >>> count_shapes(4, shape_rules(bias=False))
    10
    """
    rules = rules or ShapeRules()
    if rules.free:
        return count_sequence(budget, rules, progress)[-1]
    check_table_size(budget, rules)
    return ShapeTable(rules, budget, progress).total(budget)


def count_sequence(
    limit: int,
    rules: ShapeRules | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[int]:
    """``count_shapes(P)`` for ``P = 1..limit``, all from one table.

    Parameters
    ----------
    limit : int
        The largest budget counted (parameters, >= 1, at most :data:`MAX_COUNTED`, or
        :data:`MAX_RULED` with rules beyond the counting model).
    rules : ShapeRules, optional
        Which shapes count (see :func:`isoparam.shape_rules`); default: biases on, no rule.
    progress : callable, optional
        ``progress(done, total)`` in units of work, for a progress bar.

    Returns
    -------
    list of int
        The exact numbers of shapes with ``1, 2, ..., limit`` parameters.

    Raises
    ------
    IsoparamError
        For a limit below 1 or above what can be counted, said before any work.

    Complexity: without rules beyond the counting model, :mod:`isoparam.shapes.free`
    counts in about ``P^2`` additions (in passes of bounded memory, under 1 GB at 25,000);
    with rules, one table of about ``P^2.8`` steps.

    >>> from isoparam.request import shape_rules
    >>> count_sequence(10, shape_rules(bias=False))
    [1, 3, 5, 10, 14, 27, 37, 65, 96, 157]
    """
    check_table_size(limit, rules)
    rules = rules or ShapeRules()
    if rules.free:
        extras = rules.counting
        return free_shape_counts(
            limit, extras.hidden_unit_extras, extras.output_unit_extras, progress
        )
    table = ShapeTable(rules, limit, progress)
    return [table.total(budget) for budget in range(1, limit + 1)]


PATH_LIMIT = 2_000_000
"""The most layers a listed shape may have: the walk keeps one frame per layer."""

DEAD_LIMIT = 5_000_000
"""The most dead ends (states from which no shape finishes) a listing remembers."""


def enumerate_shapes(budget: int, rules: ShapeRules | None = None) -> Iterator[tuple[int, ...]]:
    """Every shape with exactly ``budget`` parameters, in lexicographic order, lazily.

    Nothing is built in advance: the walk goes depth first, in lexicographic order, and
    remembers the states it found to be dead ends (no shape finishes from them), so it
    never explores one twice. It holds one path at a time, so memory grows with the dead
    ends met, never with the number of shapes listed; the first shapes come at once even
    where the shapes are far too many to list (the first of 10^6 parameters in well under
    a second).

    Parameters
    ----------
    budget : int
        The exact parameter count (>= 1).
    rules : ShapeRules, optional
        Which shapes count (:func:`isoparam.shape_rules`); default none beyond biases on.

    Returns
    -------
    iterator of tuple of int
        Size tuples ``(s_0, ..., s_k)``, input first.

    Raises
    ------
    IsoparamError
        At once for a budget < 1 or when shapes under the rules could be longer than
        :data:`PATH_LIMIT` layers.
    LimitReached
        While listing, when more than :data:`DEAD_LIMIT` dead ends would have to be
        remembered (the shapes yielded before are right).

    Complexity: per shape listed, time proportional to its length times the widths tried
    at each layer; in all, at most one full exploration of each dead-end state.

    >>> from isoparam.request import shape_rules
    >>> shapes = list(enumerate_shapes(4, shape_rules(bias=False)))
    >>> shapes[:5]
    [(1, 1, 1, 1, 1), (1, 1, 1, 2), (1, 1, 3), (1, 2, 1), (1, 4)]
    >>> shapes[5:]
    [(2, 1, 1, 1), (2, 1, 2), (2, 2), (3, 1, 1), (4, 1)]
    """
    check_positive("the budget", budget)
    steps = Steps(rules or ShapeRules())
    check_length(steps, budget)
    return _listing(steps, budget)


def check_length(steps: Steps, budget: int) -> None:
    """Refuse, before any work, rules under which a shape could exceed :data:`PATH_LIMIT`."""
    longest = steps.longest(budget)
    if longest > PATH_LIMIT:
        raise IsoparamError(
            f"shapes with exactly {budget} parameters can have up to {longest} layers under "
            f"these rules; isoparam walks shapes of at most {PATH_LIMIT} layers: ask for a "
            "smaller budget, a depth set (--depths) or a larger --min-width"
        )


def _listing(steps: Steps, budget: int) -> Iterator[tuple[int, ...]]:
    dead: set[tuple[int, int, int]] = set()
    for size in steps.inputs(budget):
        yield from _walk(steps, size, budget, dead)


def _walk(
    steps: Steps, first: int, budget: int, dead: set[tuple[int, int, int]]
) -> Iterator[tuple[int, ...]]:
    """Depth-first, with an explicit stack (shapes can be millions of layers deep).

    A frame is (remaining budget, layer number, candidate next widths, pending output size,
    shapes listed when it was entered); a frame left without listing any is a dead end.
    """
    prefix = [first]
    listed = 0
    stack = [
        (budget, 0, iter(steps.next_widths(budget, first, 0)), steps.end_size(budget, first, 0), 0)
    ]
    hidden, key, end_size, next_widths = steps.hidden, steps.key, steps.end_size, steps.next_widths
    while stack:
        remaining, layer, candidates, closing, entered = stack[-1]
        width = prefix[-1]
        for nxt in candidates:
            if closing is not None and closing <= nxt:
                stack[-1] = (remaining, layer, candidates, None, entered)
                listed += 1
                yield (*prefix, closing)
                closing = None
            rest = remaining - (width + hidden) * nxt
            if key(rest, nxt, layer + 1) not in dead:
                stack[-1] = (remaining, layer, candidates, closing, entered)
                prefix.append(nxt)
                stack.append(
                    (
                        rest,
                        layer + 1,
                        iter(next_widths(rest, nxt, layer + 1)),
                        end_size(rest, nxt, layer + 1),
                        listed,
                    )
                )
                break
        else:
            if closing is not None:
                listed += 1
                yield (*prefix, closing)
            stack.pop()
            prefix.pop()
            if listed == entered and layer:
                dead.add(key(remaining, width, layer))
                if len(dead) > DEAD_LIMIT:
                    raise LimitReached(
                        f"listing the shapes with exactly {budget} parameters met more than "
                        f"{DEAD_LIMIT} dead ends (states no shape finishes from), the most "
                        "isoparam remembers: ask for a smaller budget or looser rules"
                    )
