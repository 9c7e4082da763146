"""Common budgets: parameter counts that every requested depth hits exactly.

With equal widths (spread 0) the search is number theory, never a scan over budgets:

- one depth ``L >= 2`` hits ``k*b^2 + s*b + u`` (``k = L - 1``); depth 1 hits the progression
  ``s*b + u``. With ``X = 2*k*b + s``, a count ``P`` is hit exactly when
  ``X^2 = 4*k*P + E`` with ``E = s^2 - 4*k*u``;
- two quadratic depths share ``P`` exactly when ``k2*X1^2 - k1*X2^2 = k2*E1 - k1*E2``, a
  generalized Pell equation (:mod:`isoparam.diophantine`). Its solutions are finitely many
  when ``k1*k2`` is a square (then the list of common budgets is complete, so "none" is a
  proof) and otherwise lie on orbits that grow geometrically, so walking them to ``10^100``
  takes milliseconds. Further depths are tested with ``math.isqrt``;
- a single quadratic depth, with or without depth 1, and a pair whose equation degenerates
  into a line, give periodic families: one period decides whether any exists.

With a spread above 0 each depth's exactly reachable counts in a window are assembled as
one big-integer bitset from the spread solver's offset tables, and the depths' bitsets are
intersected; windows are scanned upward for the smallest common budget.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import combinations

from isoparam.counting import CountingModel, Quadratic, check_positive
from isoparam.depths import DepthsLike, parse_depths
from isoparam.diophantine import fundamental_unit, representative_bound, solutions
from isoparam.errors import IsoparamError, NotFound
from isoparam.family import Family, family
from isoparam.spread import (
    TABLE_BITS_LIMIT,
    SpreadProblem,
    offset_tables,
    resolve_spread,
    table_bits,
)
from isoparam.uniform import closest_width, floor_width

WINDOW_BITS = 1 << 22
"""Budgets examined at once by the spread search (one bitset per depth)."""


@dataclass(frozen=True)
class DepthCounts:
    """The counts one depth reaches with equal widths in ``[low, high]``."""

    depth: int
    count: Quadratic
    low: int
    high: int | None

    def width(self, total: int) -> int | None:
        """The equal width whose count is exactly ``total``, if it is allowed."""
        width = floor_width(self.count, total)
        if width < self.low or (self.high is not None and width > self.high):
            return None
        return width if self.count(width) == total else None

    @property
    def first(self) -> int:
        return self.count(self.low)


@dataclass(frozen=True)
class CommonCounts:
    """Common budgets in increasing order, and what the search can claim."""

    budgets: Iterator[int]
    complete: bool
    """True when no common budget exists beyond those the iterator can yield."""
    explanation: tuple[str, ...]


def uniform_common_counts(depths: list[DepthCounts], low: int, high: int) -> CommonCounts:
    """Every common budget in ``[low, high]`` of equal-width networks, in increasing order."""
    quadratic = [d for d in depths if d.count.k > 0]
    linear = [d for d in depths if d.count.k == 0]
    if len(quadratic) >= 2:
        pair = _choose_pair(quadratic)
        if pair is not None:
            return _orbit_counts(pair, depths, low, high)
        # Only one pair, and it is a line: a periodic family.
        return _line_counts(quadratic[0], quadratic[1], depths, low, high)
    walker = quadratic[0] if quadratic else linear[0]
    return _progression(walker, depths, low, high)


def _choose_pair(quadratic: list[DepthCounts]) -> tuple[DepthCounts, DepthCounts] | None:
    """The pair whose Pell equation is cheapest to solve completely.

    A square product (finitely many solutions: a complete answer) comes first, then the
    fewest class representatives to try; a pair whose equation is a line is avoided.
    """
    ranked = []
    for first, second in combinations(quadratic, 2):
        product, right = _pell(first, second)
        root = math.isqrt(product)
        if right == 0:
            if root * root == product:
                continue  # a line: no help in cutting the others down
            ranked.append((0, 0, first, second))  # no solution at all: decisive
        elif root * root == product:
            ranked.append((1, 0, first, second))
        else:
            ranked.append((2, representative_bound(product, right), first, second))
    if not ranked:
        return None
    _, _, first, second = min(ranked, key=lambda item: (item[0], item[1]))
    return first, second


def _pell(first: DepthCounts, second: DepthCounts) -> tuple[int, int]:
    """``(D, N)`` of ``Z^2 - D*Y^2 = N`` with ``Z = k2*X1`` and ``Y = X2``."""
    k1, k2 = first.count.k, second.count.k
    e1, e2 = _offset(first.count), _offset(second.count)
    return k1 * k2, k2 * (k2 * e1 - k1 * e2)


def _offset(count: Quadratic) -> int:
    """``E = s^2 - 4*k*u``, so that ``(2*k*b + s)^2 = 4*k*count(b) + E``."""
    return count.s * count.s - 4 * count.k * count.u


def _orbit_counts(
    pair: tuple[DepthCounts, DepthCounts], depths: list[DepthCounts], low: int, high: int
) -> CommonCounts:
    first, second = pair
    product, right = _pell(first, second)
    k1, k2 = first.count.k, second.count.k
    e1 = _offset(first.count)
    root = math.isqrt(product)
    square = root * root == product
    x_limit = k2 * math.isqrt(4 * k1 * high + e1)
    found = solutions(product, right, x_limit) if right else []
    budgets = set()
    for z, _ in found:
        if z % k2:
            continue
        x = z // k2
        total = (x * x - e1) // (4 * k1)
        if low <= total <= high and all(d.width(total) is not None for d in depths):
            budgets.add(total)
    explanation = [
        f"depths {first.depth} and {second.depth}: with X = {2 * k1}*b{first.depth} + "
        f"{first.count.s} and Y = {2 * k2}*b{second.depth} + {second.count.s}, a common "
        f"count solves {k2}*X^2 - {k1}*Y^2 = {right // k2}, i.e. Z^2 - {product}*Y^2 = "
        f"{right} with Z = {k2}*X",
    ]
    if right == 0:
        explanation.append(f"{product} is not a square, so Z = Y = 0: no common count exists")
    elif square:
        explanation.append(
            f"{product} = {root}^2, so (Z - {root}Y)(Z + {root}Y) = {right} has finitely many "
            f"solutions, one per factorisation: the list of common budgets is complete"
        )
    else:
        ux, uy = fundamental_unit(product)
        explanation.append(
            f"fundamental unit {ux} + {uy}*sqrt({product}); every solution is a class "
            f"representative times its powers: Z' = {ux}*Z + {product * uy}*Y, "
            f"Y' = {uy}*Z + {ux}*Y"
        )
    others = [d.depth for d in depths if d not in pair]
    if others:
        explanation.append(f"depths {_list(others)} tested at each solution with isqrt")
    return CommonCounts(
        budgets=iter(sorted(budgets)),
        complete=square or right == 0,
        explanation=tuple(explanation),
    )


def _line_counts(
    first: DepthCounts, second: DepthCounts, depths: list[DepthCounts], low: int, high: int
) -> CommonCounts:
    """``k1*k2 = r^2`` and ``N = 0``: ``k2*X1 = r*X2``, a periodic family in ``X1``."""
    k1, k2 = first.count.k, second.count.k
    root = math.isqrt(k1 * k2)
    explanation = (
        f"depths {first.depth} and {second.depth} degenerate: {k1}*{k2} = {root}^2 and "
        f"N = 0, so every X = {2 * k1}*b + {first.count.s} with {k2}*X divisible by {root} "
        f"and the matching width of depth {second.depth} integral is a common count",
    )
    walk = _progression(first, depths, low, high, period_factor=root * 2 * k2)
    return CommonCounts(walk.budgets, walk.complete, explanation + walk.explanation)


def _progression(
    walker: DepthCounts,
    depths: list[DepthCounts],
    low: int,
    high: int,
    period_factor: int = 1,
) -> CommonCounts:
    """Walk the widths of one depth upward, testing the others at each count.

    Above every depth's smallest count the tests are periodic in the width, so a whole
    period without a common count proves that none exists.
    """
    period = period_factor
    for depth in depths:
        if depth.count.k == 0:
            period = period * depth.count.s // math.gcd(period, depth.count.s)
    # Below every depth's smallest count nothing is common; above it the tests are
    # periodic in the width until an upper width bound cuts them off.
    floor = max([low, *(d.first for d in depths)])
    start = max(walker.low, floor_width(walker.count, floor - 1) + 1)

    ceiling = min([high, *(d.count(d.high) for d in depths if d.high is not None)])

    def common(total: int) -> bool:
        return all(d.width(total) is not None for d in depths)

    def walk() -> Iterator[int]:
        width = start
        while (total := walker.count(width)) <= ceiling:
            if common(total):
                yield total
            width += 1

    explanation = (
        f"widths of depth {walker.depth} walked upward, the other depths tested at each "
        f"count; the tests repeat with period {period} in the width",
    )
    first_period = [walker.count(width) for width in range(start, start + period)]
    if first_period[-1] <= ceiling and not any(map(common, first_period)):
        return CommonCounts(iter(()), complete=True, explanation=explanation)
    return CommonCounts(walk(), complete=False, explanation=explanation)


def _list(values: list[int]) -> str:
    return ", ".join(map(str, values))


def power_text(value: int) -> str:
    """``10^k`` for a large power of ten, the plain number otherwise.

    >>> power_text(10**100), power_text(12345)
    ('10^100', '12345')
    """
    digits = str(value)
    if len(digits) > 7 and digits == "1" + "0" * (len(digits) - 1):
        return f"10^{len(digits) - 1}"
    return digits


# --- spread above 0 -----------------------------------------------------------------


def reachable_counts(problem: SpreadProblem, spread: int, low: int, high: int) -> int:
    """Bit ``t - low`` is set for every count ``t`` in ``[low, high]`` that some network of
    this depth with spread at most ``spread`` (and widths in bounds) hits exactly."""
    if table_bits(problem.depth, spread) > TABLE_BITS_LIMIT:
        raise IsoparamError(
            f"a spread of {spread} at depth {problem.depth} is beyond the exhaustive search; "
            "ask for a smaller --max-spread"
        )
    size = high - low + 1
    window = (1 << size) - 1
    bits = 0
    count = problem.uniform
    if problem.depth == 1:
        for width in range(max(problem.low, floor_width(count, low - 1) + 1), problem.high + 1):
            if count(width) > high:
                break
            bits |= 1 << (count(width) - low)
        return bits
    first_base = max(problem.low, floor_width(count, low) - spread)
    last_base = min(problem.high, floor_width(count, high))
    for base in range(first_base, last_base + 1):
        top = problem.offset_top(base, spread)
        slope = problem.slope(base)
        for last in range(top + 1):
            tables = offset_tables(problem.depth, top, False, last)
            for first in range(top + 1):
                entry = tables.suffix[0][first]
                origin = problem.end_shift(base, first, last) - low
                rows = entry.bit_length() // tables.row + 1
                for s in range(rows):
                    position = origin + slope * s
                    if position > size or position + tables.row < 0:
                        continue
                    row_bits = (entry >> (s * tables.row)) & ((1 << tables.row) - 1)
                    placed = row_bits << position if position >= 0 else row_bits >> -position
                    bits |= placed & window
    return bits


def _common_in(problems: list[SpreadProblem], spread: int, low: int, high: int) -> int:
    """Bit ``t - low`` set for every count ``t`` in ``[low, high]`` all depths hit."""
    common = (1 << (high - low + 1)) - 1
    for problem in problems:
        common &= reachable_counts(problem, spread, low, high)
        if not common:
            break
    return common


def spread_common_counts(
    problems: list[SpreadProblem],
    spread: int,
    low: int,
    high: int,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[int]:
    """Common budgets in ``[low, high]`` with spread at most ``spread``, increasing, found
    by intersecting the depths' reachable counts in windows that double in size."""
    start, size = low, 4096
    while start <= high:
        stop = min(high, start + size - 1)
        common = _common_in(problems, spread, start, stop)
        while common:
            lowest = common & -common
            yield start + lowest.bit_length() - 1
            common ^= lowest
        if progress is not None:
            progress(stop, high)
        start, size = stop + 1, min(2 * size, WINDOW_BITS)


def nearest_spread_common(
    problems: list[SpreadProblem],
    spread: int,
    near: int,
    window: int,
    progress: Callable[[int, int], None] | None = None,
) -> int | None:
    """The common budget closest to ``near`` within ``window`` (the smaller on a tie),
    searched in windows around ``near`` that double until one holds a common budget."""
    reach = 2048
    while True:
        reach = min(reach, window)
        low, high = max(1, near - reach), near + reach
        if high - low >= 2 * WINDOW_BITS:
            raise NotFound(
                f"no common budget within {reach // 2} of {near}; with a spread the search "
                f"around a budget stops at ±{WINDOW_BITS}"
            )
        common = _common_in(problems, spread, low, high)
        if common:
            below = common & ((2 << (near - low)) - 1)
            above = common >> (near - low)
            options = []
            if below:
                options.append(low + below.bit_length() - 1)
            if above:
                options.append(near + (above & -above).bit_length() - 1)
            return min(options, key=lambda total: (abs(total - near), total))
        if progress is not None:
            progress(reach, window)
        if reach == window:
            return None
        reach *= 2


def check_search_range(low: int, high: int) -> None:
    if low < 1 or high < low:
        raise IsoparamError(f"the budget range [{low}, {high}] is empty")


def model_depths(
    counting: CountingModel,
    inputs: int,
    outputs: int,
    depths: tuple[int, ...],
    min_width: int,
    max_width: int | None,
) -> list[DepthCounts]:
    return [
        DepthCounts(depth, counting.uniform(inputs, outputs, depth), min_width, max_width)
        for depth in depths
    ]


@dataclass(frozen=True)
class Budget:
    """A common budget, the family at it (every depth exact) and what the search covered."""

    budget: int
    family: Family
    low: int
    high: int
    complete: bool
    explanation: tuple[str, ...]


def common_budget(
    inputs: int,
    outputs: int,
    depths: DepthsLike,
    *,
    near: int | None = None,
    window: int | None = None,
    at_least: int = 1,
    max_params: int | None = None,
    bias: bool = True,
    norm: str = "none",
    max_spread: int | str = 0,
    min_width: int = 1,
    max_width: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Budget:
    """A parameter count that every depth hits exactly, and the family at it.

    With ``near`` the common budget closest to it within ``window`` (default 5% of it; a
    tie goes to the smaller); otherwise the smallest one from ``at_least`` up to
    ``max_params`` (default ``10^100`` with equal widths, ``at_least + 10^8`` otherwise).
    Raises :class:`NotFound` when there is none in the range, saying whether none exists
    at all.

    >>> found = common_budget(4, 3, "1-2", bias=False)
    >>> found.budget, [a.widths for a in found.family.architectures]
    (98, [(14,), (7, 7)])
    """
    for what, value in (("the input size", inputs), ("the output size", outputs)):
        check_positive(what, value)
    check_positive("the min width", min_width)
    if max_width is not None:
        check_positive("the max width", max_width)
    levels = parse_depths(depths)
    counting = CountingModel(bias=bias, norm=norm)
    if near is not None:
        check_positive("the budget to search near", near)
        window = near // 20 if window is None else window
        if window < 0:
            raise IsoparamError(f"the window must be >= 0, got {window}")
        low, high, reference = max(1, near - window), near + window, near
    else:
        check_positive("the smallest budget", at_least)
        if max_params is not None:
            high = max_params
        else:
            high = 10**100 if max_spread in (0, "0") else at_least + 10**8
        low, reference = at_least, at_least
    check_search_range(low, high)
    counts = model_depths(counting, inputs, outputs, levels, min_width, max_width)
    spreads = {
        d.depth: resolve_spread(max_spread, max(1, closest_width(d.count, reference)))
        for d in counts
    }
    spread = min(spreads.values())
    if spread == 0 or all(d.depth == 1 for d in counts):
        search = uniform_common_counts(counts, low, high)
        complete, explanation = search.complete, search.explanation
        budget = _pick(search.budgets, near)
    else:
        problems = [
            SpreadProblem(counting, inputs, outputs, d.depth, high, min_width, max_width or high)
            for d in counts
        ]
        complete, explanation = (
            False,
            (
                f"each depth's exactly reachable counts with spread at most {spread}, assembled "
                "from its offset tables and intersected as bitsets",
            ),
        )
        if near is None:
            budget = next(spread_common_counts(problems, spread, low, high, progress), None)
        else:
            budget = nearest_spread_common(problems, spread, near, high - near, progress)
    if budget is None:
        where = "exists at all" if complete else f"in [{low}, {power_text(high)}]"
        raise NotFound(f"no common budget for depths {_list(list(levels))} {where}", explanation)
    fam = family(
        inputs,
        outputs,
        budget,
        levels,
        bias=bias,
        norm=norm,
        max_spread=spread,
        min_width=min_width,
        max_width=max_width,
    )
    return Budget(budget, fam, low, high, complete, explanation)


def _pick(candidates: Iterator[int], near: int | None) -> int | None:
    """The first candidate, or with ``near`` the closest one (the smaller on a tie)."""
    if near is None:
        return next(candidates, None)
    best = None
    for candidate in candidates:
        if best is None or abs(candidate - near) < abs(best - near):
            best = candidate
        if candidate >= near:
            break
    return best


__all__ = [
    "Budget",
    "CommonCounts",
    "DepthCounts",
    "NotFound",
    "check_search_range",
    "common_budget",
    "model_depths",
    "reachable_counts",
    "spread_common_counts",
    "uniform_common_counts",
]
