"""Near-uniform widths with bounded spread: the closest count, found exhaustively.

Write the hidden widths of a depth-``n`` network (``n >= 2``) as ``w_i = m + x_i`` with a
base ``m`` and offsets ``x_i`` in ``[0, d]``. Then

    count(w) = base(m) + (2m + h) * S + (a - m) * x_1 + (c - m) * x_n + Q

where ``base(m)`` is the uniform count at width ``m``, ``h`` the parameters per hidden unit
beyond its weights, ``S = sum x_i`` and ``Q = sum x_i * x_{i+1}``. Given the end offsets, a
network is summarised by the pair ``(S, Q)``, bounded by ``n*d`` and ``(n-1)*d^2`` whatever
the budget. :func:`offset_tables` holds every reachable pair as the bits of one Python
integer per (position, offset, last offset), keyed ``S * row + Q``, built by a dynamic
programme over layers in ``O(n * (d+1)^3)`` big-integer shifts of ``O(n^2 d^3)`` bits.
Only ``d + 2`` bases ``m`` can be best, and each reads its closest count off the tables by
scanning the few rows ``S`` near the target. The search is exhaustive, so a count it
cannot hit exactly is provably the closest achievable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from isoparam.errors import IsoparamError
from isoparam.families.base import Quadratic
from isoparam.families.mlp import MLP
from isoparam.request import SearchLimits
from isoparam.solvers.construct import closest_depth_two, exact_by_construction
from isoparam.solvers.search import SearchAnswer, bit_distance, closest_by_growing_bound
from isoparam.solvers.uniform import closest_width, floor_width


@dataclass(frozen=True)
class OffsetTables:
    """Reachable ``(S, Q)`` of offset suffixes: ``suffix[p][v]`` for ``x_p = v``.

    Bit ``(S * row + Q) * lanes + last`` of ``suffix[p][v]`` is set when some offsets
    ``x_p..x_n`` in ``[0, top]`` with ``x_p = v`` and ``x_n = last`` sum to ``S`` with
    adjacent products summing to ``Q``; the last offset is the lowest digit so that one
    shift extends every ending at once. With ``funnel`` the offsets never increase.
    """

    length: int
    top: int
    funnel: bool
    row: int
    suffix: tuple[tuple[int, ...], ...]
    lane_masks: tuple[int, ...]

    @property
    def lanes(self) -> int:
        return len(self.lane_masks)

    def nearest(self, bits: int, last: int, slope: int, target: int, best: int) -> int:
        """``min(best, |slope*S + Q - target|)`` over the keys of ``bits`` ending in ``last``.

        Rows ``S`` are scanned outward from the one nearest the target and stop as soon as
        a whole row lies ``best`` or more away.
        """
        rows = bits.bit_length() // (self.row * self.lanes) + 1
        start = min(max(target // slope, 0), rows - 1)
        for s in range(start, -1, -1):
            if target - slope * s - self.row + 1 >= best:
                break
            best = self._row_nearest(bits, last, s, target - slope * s, best)
        for s in range(start + 1, rows):
            if slope * s - target >= best:
                break
            best = self._row_nearest(bits, last, s, target - slope * s, best)
        return best

    def _row_nearest(self, bits: int, last: int, s: int, q: int, best: int) -> int:
        """``min(best, distance from q to the nearest Q of row s ending in last)``."""
        lanes = self.lanes
        row_bits = (bits >> (s * self.row * lanes)) & self.lane_masks[last]
        if not row_bits:
            return best
        return min(best, bit_distance(row_bits, q * lanes + last) // lanes)

    def hits(self, bits: int, last: int, slope: int, target: int) -> bool:
        """Whether a key of ``bits`` ending in ``last`` has ``slope*S + Q == target``."""
        if target < 0:
            return False
        row, lanes = self.row, self.lanes
        rows = bits.bit_length() // (row * lanes) + 1
        for s in range(max(0, -(-(target - row + 1) // slope)), min(target // slope, rows) + 1):
            if (bits >> ((s * row + target - slope * s) * lanes + last)) & 1:
                return True
        return False


def table_bits(length: int, top: int) -> int:
    """The size in bits of the largest table entry: what the search costs grows with it."""
    return (top + 1) * (length * top + 1) * ((length - 1) * top * top + 1)


@lru_cache(maxsize=32)
def offset_tables(length: int, top: int, funnel: bool, last: int | None = None) -> OffsetTables:
    """Build the tables backwards from the last position, one layer at a time.

    With ``last`` given, only sequences ending in that offset are kept and the keys are
    plain ``S * row + Q`` (one lane), which is what value sets are assembled from.
    """
    row = (length - 1) * top * top + 1
    lanes = top + 1 if last is None else 1
    layer = tuple(
        (1 << ((v * row) * lanes + (v if last is None else 0))) if last in (None, v) else 0
        for v in range(top + 1)
    )
    layers = [layer]
    for _ in range(length - 1):
        after = layers[-1]
        layer = tuple(
            _or_shifted(after, range(v + 1) if funnel else range(top + 1), v, row, lanes)
            for v in range(top + 1)
        )
        layers.append(layer)
    layers.reverse()
    repunit = ((1 << (lanes * row)) - 1) // ((1 << lanes) - 1)
    masks = tuple(repunit << lane for lane in range(lanes))
    return OffsetTables(length, top, funnel, row, tuple(layers), masks)


def _or_shifted(after: tuple[int, ...], nexts: range, v: int, row: int, lanes: int) -> int:
    """Prepend offset ``v`` to every suffix that starts with an offset in ``nexts``."""
    bits = 0
    for u in nexts:
        bits |= after[u] << ((v * row + v * u) * lanes)
    return bits


@dataclass(frozen=True)
class SpreadProblem:
    """One depth's search: widths in ``[low, high]``, count as near ``target`` as can be."""

    model: MLP
    depth: int
    target: int
    low: int
    high: int
    limits: SearchLimits = field(default_factory=SearchLimits)
    under: bool = False
    """Only counts at or under the target qualify (the closest from below)."""

    @cached_property
    def uniform(self) -> Quadratic:
        return self.model.uniform(self.depth)

    def bases(self, spread: int) -> range:
        """The bases ``m`` that can give the closest count with offsets up to ``spread``.

        With ``b`` the widest uniform width not above the target, a base below
        ``b - spread`` cannot beat uniform ``b`` and one above ``b + 1`` cannot beat
        uniform ``b + 1``; width bounds clamp the range.
        """
        widest = floor_width(self.uniform, self.target)
        first = max(self.low, min(widest - spread, self.high))
        return range(first, min(self.high, max(widest + 1, first)) + 1)

    def offset_top(self, base: int, spread: int) -> int:
        return min(spread, self.high - base)

    def end_shift(self, base: int, first: int, last: int) -> int:
        """``base(m) + (a - m) x_1 + (c - m) x_n``: the count with ``S = Q = 0`` terms added."""
        return (
            self.uniform(base)
            + (self.model.inputs - base) * first
            + (self.model.outputs - base) * last
        )

    def slope(self, base: int) -> int:
        return 2 * base + self.model.counting.hidden_unit_extras

    def fits(self, spread: int) -> bool:
        """Whether the tables for ``spread`` stay within the limit on table bits."""
        top = max(self.offset_top(base, spread) for base in self.bases(spread))
        return table_bits(self.depth, top) <= self.limits.table_bits

    def witnesses(self, spread: int, count: int, funnel: bool) -> Iterator[tuple[int, ...]]:
        """Widths with exactly ``count``, one per base that has any."""
        for base in self.bases(spread):
            widths = self.witness(base, spread, count, funnel)
            if widths is not None:
                yield widths

    def closest_distance(self, spread: int, best: int) -> int:
        """``min(best, |count - target|)`` over every network with offsets up to ``spread``."""
        for base in self.bases(spread):
            best = min(best, abs(self.uniform(base) - self.target))
        for base in self.bases(spread):
            top = self.offset_top(base, spread)
            if top == 0:
                continue
            tables = offset_tables(self.depth, top, False)
            slope = self.slope(base)
            for first in range(top + 1):
                bits = tables.suffix[0][first]
                for last in range(top + 1):
                    want = self.target - self.end_shift(base, first, last)
                    best = tables.nearest(bits, last, slope, want, best)
                    if best == 0:
                        return 0
        return best

    def witness(self, base: int, spread: int, count: int, funnel: bool) -> tuple[int, ...] | None:
        """The lexicographically greatest widths with this base, spread and exact ``count``."""
        top = self.offset_top(base, spread)
        tables = offset_tables(self.depth, top, funnel)
        slope = self.slope(base)
        shifts = [
            [self.end_shift(base, f, last) for last in range(top + 1)] for f in range(top + 1)
        ]
        offsets: list[int] = []
        total = products = 0
        for position in range(self.depth):
            previous = offsets[-1] if offsets else top
            for value in range(previous if funnel else top, -1, -1):
                ends = shifts[offsets[0] if offsets else value]
                entry = tables.suffix[position][value]
                joined = products + (offsets[-1] * value if offsets else 0)
                rest = count - slope * total - joined
                if any(
                    tables.hits(entry, last, slope, rest - ends[last]) for last in range(top + 1)
                ):
                    offsets.append(value)
                    total += value
                    products = joined
                    break
            else:
                return None
        return tuple(base + offset for offset in offsets)


def closest_with_spread(problem: SpreadProblem, max_spread: int) -> SearchAnswer:
    """The widths whose count is closest to the target with spread at most ``max_spread``.

    Ties are broken, in order, by the smallest spread, by a funnel when one exists, by a
    count under the budget, and by the lexicographically greatest widths. Where the tables
    outgrow their size limit without an exact hit, exact widths are constructed instead.
    """
    if problem.depth < 2 or max_spread == 0:
        # Counts grow with the width, so the closest equal width in bounds is the closest
        # one overall, clamped (the caller has checked that the narrowest fits the budget).
        if problem.under:
            width = floor_width(problem.uniform, problem.target)
        else:
            width = closest_width(problem.uniform, problem.target)
        width = min(max(width, problem.low), problem.high)
        return SearchAnswer((width,) * problem.depth)
    if problem.under:
        raise IsoparamError("--under with a spread above 0 is not supported yet")
    return closest_by_growing_bound(
        problem.target,
        max_spread,
        abs(problem.uniform(problem.bases(0)[0]) - problem.target),
        problem.fits,
        problem.closest_distance,
        problem.witnesses,
        lambda spread: _beyond_tables(problem, spread, max_spread),
    )


def _beyond_tables(problem: SpreadProblem, spread: int, max_spread: int) -> SearchAnswer:
    """The answer where the tables stop short of ``max_spread``: solved outright at depth
    2, built (exact, or refused) from ``spread`` on at larger depths."""
    if problem.depth == 2:
        return SearchAnswer(closest_depth_two(problem, max_spread))
    widths = exact_by_construction(problem, spread, max_spread)
    if widths is not None:
        return SearchAnswer(widths, constructed_above=spread - 1)
    raise IsoparamError(
        f"at depth {problem.depth} no count with spread up to {spread - 1} hits the budget "
        f"exactly (searched exhaustively), no exact network with spread up to {max_spread} "
        "was found beyond that, and the closest count needs a search past its size limit; "
        "ask for a smaller --max-spread"
    )
