"""Exact widths for deep networks beyond the tables: a searched block and an explicit tail.

Write the offsets from a base ``m`` as a block of ``l`` free offsets, whose every
``(S, Q)`` the offset tables hold (``l`` as large as the tables' limit allows), followed by
a tail whose sums are explicit: ``p`` offsets at the top ``t``, one offset ``r``, zeros,
and a last offset ``e``, so ``S = p*t + r + e`` and ``Q = (p - 1)*t^2 + t*r`` (``p >= 1``).
The tail moves the count by whole multiples of ``2m + h`` (the coarse level), and the
block's tables decide, with one bit test per ``(S, Q)`` row, whether the remainder (the
fine level) is hit exactly. Finding one is a construction, not a proof: callers report
how far the exhaustive search went.
"""

from __future__ import annotations

from typing import Protocol

from isoparam.solvers.construct import BoundedSearch, schedule
from isoparam.solvers.tables import offset_tables, table_bits
from isoparam.solvers.uniform import floor_width


class Bases(BoundedSearch, Protocol):
    """What the block construction needs of a spread search (a ``SpreadProblem``): the
    constructions' needs and the tables' offsets."""

    def bases(self, spread: int) -> range: ...
    def end_shift(self, base: int, first: int, last: int) -> int: ...
    def slope(self, base: int) -> int: ...


BLOCK_CHECKS = 50_000
"""The most bit tests the construction spends per spread."""


def exact_by_blocks(problem: Bases, first: int, last: int) -> tuple[int, ...] | None:
    """Exact widths with spread between ``first`` and ``last`` (depth >= 4), or None.

    Spreads are tried upward (a quarter more each time); for each, the bases nearest the
    uniform width first.

    Complexity: at most :data:`BLOCK_CHECKS` bit tests per spread, plus building one
    table of at most ``problem.limits.table_bits`` bits.

    >>> from isoparam.families.mlp import MLP, CountingModel
    >>> from isoparam.solvers.spread import SpreadProblem
    >>> problem = SpreadProblem(MLP(784, 10, CountingModel(bias=False)), 256, 10**11, 1, 10**11)
    >>> widths = exact_by_blocks(problem, 3, 8)
    >>> problem.model.count_widths(widths), max(widths) - min(widths) <= 8
    (100000000000, True)
    """
    depth = problem.depth
    if depth < 4:
        return None
    for spread in schedule(first, last):
        length = _block_length(depth, spread, problem.limits.table_bits)
        if length < 3:
            return None
        found = _try_spread(problem, spread, length)
        if found is not None:
            return found
    return None


def _block_length(depth: int, spread: int, limit: int) -> int:
    """The longest block (leaving a tail of at least 3) whose tables fit the limit."""
    length = 1
    while length + 1 <= depth - 3 and table_bits(length + 1, spread) <= limit:
        length += 1
    return length


def _try_spread(problem: Bases, spread: int, length: int) -> tuple[int, ...] | None:
    widest = floor_width(problem.uniform, problem.target)
    tail = problem.depth - length
    checks = 0
    for base in sorted(problem.bases(spread), key=lambda m: abs(m - widest)):
        top = min(spread, problem.high - base)
        if top < 1:
            continue
        tables = offset_tables(length, top, False)
        slope = problem.slope(base)
        goal = (problem.target - problem.uniform(base)) // slope
        # The tail's sum should leave the block about half full.
        middle = goal - length * top // 2
        runs = sorted(range(0, tail - 2), key=lambda p: abs(p * top - middle))
        for p in runs[: length + 4]:
            for r in range(top + 1):
                head = top if p else r
                for e in range(top + 1):
                    tail_sum = p * top + r + e
                    tail_products = (p - 1) * top * top + top * r if p else 0
                    for x1 in range(top + 1):
                        entry = tables.suffix[0][x1]
                        for lane in range(top + 1):
                            checks += 1
                            want = (
                                problem.target
                                - problem.end_shift(base, x1, e)
                                - slope * tail_sum
                                - tail_products
                                - lane * head
                            )
                            pair = tables.find(entry, lane, slope, want)
                            if pair is not None:
                                block = tables.offsets(x1, lane, *pair)
                                offsets = [*block, *[top] * p, r, *[0] * (tail - p - 2), e]
                                widths = tuple(base + x for x in offsets)
                                if problem.model.count_widths(widths) == problem.target:
                                    return widths
                    if checks > BLOCK_CHECKS:
                        return None
    return None
