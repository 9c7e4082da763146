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
from functools import cached_property

from isoparam.families.base import Quadratic
from isoparam.families.mlp import MLP
from isoparam.request import SearchLimits
from isoparam.solvers.blocks import exact_by_blocks
from isoparam.solvers.chains import CHAIN_SPREADS, exact_by_chains, nearest_by_chains
from isoparam.solvers.construct import (
    closest_depth_two,
    exact_by_construction,
)
from isoparam.solvers.lines import closest_depth_three
from isoparam.solvers.runs import greatest_sequence, hitting_runs, nearest_value
from isoparam.solvers.search import SearchAnswer, closest_by_growing_bound
from isoparam.solvers.tables import OffsetTables, offset_tables, table_bits
from isoparam.solvers.uniform import closest_width, floor_width


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

    def table_fits(self, spread: int) -> bool:
        """Whether the tables for ``spread`` stay within the limit on table bits.

        Decided by the spread alone, not by how width bounds clamp the offsets, so that
        looser bounds never stop the exhaustive search earlier than tighter ones.
        """
        return table_bits(self.depth, spread) <= self.limits.table_bits

    def by_runs(self, spread: int) -> bool:
        """Whether spread 1 is searched by its explicit runs instead of tables."""
        return spread == 1 and self.depth >= 3 and not self.table_fits(spread)

    def fits(self, spread: int) -> bool:
        """Whether ``spread`` can be searched exhaustively (tables, or runs for 1)."""
        return self.by_runs(spread) or self.table_fits(spread)

    def distance(self, count: int) -> int | None:
        """How far ``count`` lies from the target, None if it does not qualify."""
        if self.under and count > self.target:
            return None
        return abs(count - self.target)

    def witnesses(self, spread: int, count: int, funnel: bool) -> Iterator[tuple[int, ...]]:
        """Widths with exactly ``count``, one per base that has any."""
        for base in self.bases(spread):
            widths = self.witness(base, spread, count, funnel)
            if widths is not None:
                yield widths

    def closest_distance(self, spread: int, best: int) -> int:
        """``min(best, |count - target|)`` over every network with offsets up to ``spread``."""
        for base in self.bases(spread):
            distance = self.distance(self.uniform(base))
            best = best if distance is None else min(best, distance)
        runs = self.by_runs(spread)
        for base in self.bases(spread):
            top = self.offset_top(base, spread)
            if top == 0:
                continue
            if runs:
                best = self._runs_distance(base, best)
                if best == 0:
                    return 0
                continue
            tables = offset_tables(self.depth, top, False)
            slope = self.slope(base)
            for first in range(top + 1):
                bits = tables.suffix[0][first]
                for last in range(top + 1):
                    want = self.target - self.end_shift(base, first, last)
                    if self.under:
                        best = tables.nearest_below(bits, last, slope, want, best)
                    else:
                        best = tables.nearest(bits, last, slope, want, best)
                    if best == 0:
                        return 0
        return best

    def _runs_distance(self, base: int, best: int) -> int:
        """The spread-1 search at one base, by runs of ones (see :mod:`.runs`)."""
        slope = self.slope(base)
        for first in (0, 1):
            for last in (0, 1):
                want = self.target - self.end_shift(base, first, last)
                best = nearest_value(self.depth, slope, first, last, want, best, self.under)
                if best == 0:
                    return 0
        return best

    def _runs_witness(self, base: int, count: int, funnel: bool) -> tuple[int, ...] | None:
        """The lexicographically greatest spread-1 widths with this base and ``count``."""
        found: list[list[int]] = []
        slope = self.slope(base)
        for first in (0, 1):
            for last in (0, 1):
                value = count - self.end_shift(base, first, last)
                for ones, runs in hitting_runs(self.depth, slope, first, last, value):
                    if funnel and not (runs <= 1 and (ones == 0 or first == 1)):
                        continue
                    found.append(greatest_sequence(self.depth, ones, runs, first, last))
        return tuple(base + x for x in max(found)) if found else None

    def witness(self, base: int, spread: int, count: int, funnel: bool) -> tuple[int, ...] | None:
        """The lexicographically greatest widths with this base, spread and exact ``count``."""
        top = self.offset_top(base, spread)
        if top == 0:
            return (base,) * self.depth if self.uniform(base) == count else None
        if self.by_runs(spread):
            return self._runs_witness(base, count, funnel)
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

    Parameters
    ----------
    problem : SpreadProblem
        The depth, target, width bounds, limits and whether only counts at or under the
        target qualify (``under``: then the closest from below).
    max_spread : int
        The largest ``max(w) - min(w)`` allowed.

    Returns
    -------
    SearchAnswer
        Ties are broken, in order, by the smallest spread, by a funnel when one exists, by
        a count under the budget, and by the lexicographically greatest widths. Proven
        closest at depth 1 and 2, at depth 3 (by lines) and wherever the offset tables (or
        the runs of spread 1) reach; beyond them, exact widths are constructed
        (``constructed_above``: no spread up to it hits the target, proven by the tables
        and, up to spread 32, by the long-chain bounds of :mod:`.chains`) or the best
        network found is returned with the spread up to which nothing comes closer
        (``searched_up_to``); neither applies the tie rules.

    Complexity: see the module; the tables cost ``O(n^2 d^3)`` bits per entry.

    >>> from isoparam.families.mlp import MLP, CountingModel
    >>> problem = SpreadProblem(MLP(4, 3, CountingModel(bias=False)), 8, 1000, 1, 1000)
    >>> closest_with_spread(problem, 2).widths
    (13, 12, 11, 12, 11, 11, 11, 11)
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
    # Depths 2 and 3 are solved outright (a scan, lines), proven, with no table.
    direct = (
        closest_depth_two(problem, max_spread)
        if problem.depth == 2
        else closest_depth_three(problem, max_spread, problem.under)
        if problem.depth == 3
        else None
    )
    if direct is not None:
        return SearchAnswer(direct)
    first = problem.uniform(problem.bases(0)[0]) - problem.target
    return closest_by_growing_bound(
        problem.target,
        max_spread,
        -first if problem.under else abs(first),
        problem.fits,
        problem.closest_distance,
        problem.witnesses,
        lambda spread, distance, proven: _beyond_tables(
            problem, spread, max_spread, distance, proven
        ),
        problem.under,
    )


def _beyond_tables(
    problem: SpreadProblem,
    spread: int,
    max_spread: int,
    distance: int,
    proven: tuple[int, ...],
) -> SearchAnswer:
    """The answer where the tables stop short of ``max_spread`` (``proven`` is the closest
    with spread below ``spread``, ``distance`` from the target): solved outright at depths
    2 and 3 where the scan allows; otherwise exact widths are built, or the best network
    found is returned with the spread up to which it is proven."""
    if problem.depth == 2:
        widths = closest_depth_two(problem, max_spread)
        if widths is not None:
            return SearchAnswer(widths)
        # Too wide to scan and no exact network: scan the widest window that fits.
        reach = max(spread - 1, (problem.limits.scan - 2) // 2)
        widths = closest_depth_two(problem, reach)
        if widths is not None and reach > spread - 1:
            return SearchAnswer(widths, searched_up_to=reach)
        return SearchAnswer(proven, searched_up_to=spread - 1)
    if problem.depth == 3:
        reach = max_spread
        while reach > spread - 1:
            found = closest_depth_three(problem, reach, problem.under)
            if found is not None:
                if reach == max_spread or problem.model.count_widths(found) == problem.target:
                    return SearchAnswer(found)
                built = exact_by_construction(problem, reach + 1, max_spread)
                if built is not None:
                    return SearchAnswer(built, constructed_above=reach)
                return SearchAnswer(found, searched_up_to=reach)
            reach //= 2
    if distance:
        # Chains decide spread after spread: proven out of reach, or built exactly.
        chain, undecided = exact_by_chains(problem, spread, max_spread)
        if chain is not None:
            floor = max(chain) - min(chain)
            floor = floor if undecided is None else min(floor, undecided)
            return SearchAnswer(chain, constructed_above=floor - 1)
        if undecided is not None:
            widths = exact_by_blocks(problem, undecided, max_spread)
            if widths is None:
                widths = exact_by_construction(problem, undecided, max_spread)
            if widths is not None:
                return SearchAnswer(widths, constructed_above=undecided - 1)
    if not distance:
        return SearchAnswer(proven, searched_up_to=spread - 1)
    # Beyond the tables, chains built at the edges of the bounds on Q may come nearer,
    # and the bounds prove up to which spread nothing comes nearer still.
    best, widths = distance, proven
    bounds = []
    for reach in range(spread, min(max_spread, CHAIN_SPREADS) + 1):
        bound, near, built = nearest_by_chains(problem, reach, best, problem.under)
        if built is not None:
            best, widths = near, built
        bounds.append(bound)
    proven_up_to = spread - 1
    for bound in bounds:
        if bound < best:
            break
        proven_up_to += 1
    return SearchAnswer(widths, searched_up_to=proven_up_to)


__all__ = [
    "OffsetTables",
    "SpreadProblem",
    "closest_with_spread",
    "offset_tables",
    "table_bits",
]
