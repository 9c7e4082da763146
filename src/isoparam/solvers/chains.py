"""Long offset chains without a table: proven bounds on ``Q`` and explicit chains.

For offsets ``x_1..x_n`` in ``[0, t]`` with fixed ends, sum ``S`` and ``Q = sum x_i x_{i+1}``:

- **Upper bound.** ``sum min(x_i, x_{i+1}) = S - (x_1 + x_n + V) / 2`` with ``V`` the
  total variation ``sum |x_{i+1} - x_i|``. A path from ``x_1`` up to ``M = max x`` and on
  to ``x_n`` has ``V >= 2M - x_1 - x_n``; if it also passes an interior ``v`` below both
  ends, ``V`` grows by ``2 (min(x_1, x_n) - v)``, and some interior offset is at most
  the interior mean. Hence ``sum min <= S - M - c`` with
  ``c = max(0, min(x_1, x_n) - floor((S - x_1 - x_n) / (n - 2)))`` and, as each product
  is its larger member times its smaller, ``Q <= M * (S - M - c)``; ``M`` lies between
  ``max(ends, ceil(S / n))`` and ``t``.
- **Complement.** With ``y_i = t - x_i``,
  ``Q(x) = (n-1) t^2 - t (2 S_y - y_1 - y_n) + Q(y)``, and ``Q(y) >= 0`` bounds ``Q(x)``
  from below; the upper bound of ``y`` bounds it from above once more.

Values outside these bounds are proven unreachable. Inside, a chain is **built**: a block
of offsets whose every ``(S, Q)`` the offset tables hold, followed by an explicit tail
``t^p r (0 t)^s 0^z e`` (a cluster, a remainder, isolated tops, zeros, the last offset),
or the complement of one. Every chain built is checked, so a value is either proven
unreachable, shown reachable by a chain, or left undecided: never guessed.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise
from typing import Protocol

from isoparam.request import SearchLimits
from isoparam.solvers.tables import offset_tables, table_bits

CHECKS = 2_000
"""The most tail shapes one construction tries before it gives up (undecided)."""

STEPS = (0, -1, 1, -2, 2, -3, 3)
"""Numbers of isolated tops tried around the one that centres the block's sum."""


def products(offsets: list[int]) -> int:
    """``sum x_i * x_{i+1}``.

    >>> products([2, 3, 0, 1])
    6
    """
    return sum(a * b for a, b in pairwise(offsets))


def _upper(length: int, top: int, first: int, last: int, total: int) -> int:
    """``max M * (S - M - c)`` over the possible maxima ``M``, ``c`` the valley's depth."""
    if total == 0:
        return 0
    low = max(first, last, -(-total // length), 1)
    if low > top:
        return -1
    valley = 0
    if length >= 3:  # an interior offset at most the interior mean, below both ends
        valley = max(0, min(first, last) - (total - first - last) // (length - 2))
    rest = total - valley
    best = min(max(rest // 2, low), top)
    return max(m * (rest - m) for m in {best, min(best + 1, top)})


def q_bounds(length: int, top: int, first: int, last: int, total: int) -> tuple[int, int] | None:
    """Proven bounds ``(lo, hi)`` on ``Q`` over the chains of ``length >= 2`` offsets in
    ``[0, top]`` from ``first`` to ``last`` summing to ``total``; None when there is none.

    >>> q_bounds(30, 4, 0, 0, 40), q_bounds(30, 4, 0, 0, 70), q_bounds(3, 2, 1, 1, 9)
    ((0, 144), (96, 264), None)
    """
    if not (first + last <= total <= first + last + (length - 2) * top):
        return None
    complement_total = length * top - total
    shift = (length - 1) * top * top - top * (2 * complement_total - 2 * top + first + last)
    high = _upper(length, top, first, last, total)
    mirrored = _upper(length, top, top - first, top - last, complement_total)
    high = min(high, shift + mirrored)
    low = max(0, shift)
    return (low, high) if low <= high else None


@lru_cache(maxsize=64)
def _block_length(top: int, limit: int) -> int:
    """The longest block whose tables stay within ``limit`` bits (at least 1)."""
    length = 1
    while table_bits(length + 1, top) <= limit and length < 4096:
        length += 1
    return length


@lru_cache(maxsize=64)
def _entry_bytes(block: int, top: int, first: int) -> bytes:
    """The tables' entry for chains starting with ``first``, as bytes: a bit test on a
    Python integer of millions of bits shifts all of it, one on bytes is one lookup."""
    entry = offset_tables(block, top, False).suffix[0][first]
    return entry.to_bytes((entry.bit_length() + 7) // 8, "little")


def build_chain(
    length: int, top: int, first: int, last: int, total: int, goal: int, limit: int
) -> list[int] | None:
    """A chain of ``length`` offsets in ``[0, top]`` from ``first`` to ``last`` with sum
    ``total`` and ``Q == goal``, or None when none was built (which proves nothing).

    ``limit`` bounds the block's table (bits). Tried directly, then as the complement.

    >>> chain = build_chain(200, 3, 1, 2, 250, 600, 100_000)
    >>> len(chain), chain[0], chain[-1], sum(chain), products(chain)
    (200, 1, 2, 250, 600)
    """
    if length < 2 or not (max(first, last) <= top):
        return None
    chain = _build_direct(length, top, first, last, total, goal, limit)
    if chain is None:
        rest = length * top - total
        shift = (length - 1) * top * top - top * (2 * rest - 2 * top + first + last)
        mirror = _build_direct(length, top, top - first, top - last, rest, goal - shift, limit)
        chain = None if mirror is None else [top - v for v in mirror]
    if chain is None:
        return None
    ok = (
        len(chain) == length
        and chain[0] == first
        and chain[-1] == last
        and sum(chain) == total
        and products(chain) == goal
        and all(0 <= v <= top for v in chain)
    )
    return chain if ok else None


def _build_direct(
    length: int, top: int, first: int, last: int, total: int, goal: int, limit: int
) -> list[int] | None:
    """Block (tables) + tail ``t^p r (0 t)^s 0^z e`` with ``z >= 1``: the tail's ``Q`` is
    ``(p-1) t^2 + t r`` for ``p >= 1`` (else 0) and its head meets the block's last offset."""
    if top == 0:
        return None
    block = min(_block_length(top, limit), length - 3)
    if block < 2:  # a block of one offset has nothing to search
        return None
    tail = length - block
    tables = offset_tables(block, top, False)
    entry = _entry_bytes(block, top, first)
    row, lanes = tables.row, tables.lanes
    square = top * top
    # The tail's Q must not pass the goal, and its sum (at most p*t + t + s*t + e with
    # s <= (tail - p - 3) / 2 isolated tops) must leave the block at most block*t.
    p_high = min(tail - 3, max(goal, 0) // square + 1)
    p_low = max(0, -(-2 * (total - last - top - block * top) // top) - (tail - 3))
    # Cluster lengths that leave the block a quarter of its largest Q, all of it (at
    # the upper edge of a row) or none of it (at the lower edge), each nearest first.
    order: dict[int, None] = {}
    for block_q in (block * square // 4, (block - 1) * square, 0):
        centre = min(max((goal - block_q) // square + 1, p_low), p_high)
        near = range(max(p_low, centre - 40), min(p_high, centre + 40) + 1)
        order.update(dict.fromkeys(sorted(near, key=lambda p: abs(p - centre))))
    checks = 0
    for p in order:
        for r in range(top + 1):
            head = top if p else r
            tail_q = (p - 1) * square + top * r if p else 0
            fixed = total - p * top - r - last  # = block sum + s * top
            for u in range(top + 1):
                checks += 1
                if checks > CHECKS:
                    return None
                block_q = goal - tail_q - u * head
                s_high = min((tail - p - 3) // 2, (fixed - first - u) // top)
                if not 0 <= block_q < row or s_high < 0:
                    continue
                # Rows of the block that hold this Q lie between these sums (see q_bounds):
                # take the isolated tops s that put the block's sum near their middle.
                wanted = (
                    block_q // top + top + (block_q + (block + 1) * square) // (2 * top)
                ) // 2
                s_mid = min(max(0, (fixed - wanted) // top), s_high)
                for step in STEPS:
                    s = s_mid + step
                    block_s = fixed - s * top
                    if not 0 <= s <= s_high or block_s < 0:
                        continue
                    key = (block_s * row + block_q) * lanes + u
                    if key >> 3 < len(entry) and (entry[key >> 3] >> (key & 7)) & 1:
                        head_part = tables.offsets(first, u, block_s, block_q)
                        zeros = tail - p - 2 - 2 * s
                        return [
                            *head_part,
                            *[top] * p,
                            r,
                            *[0, top] * s,
                            *[0] * zeros,
                            last,
                        ]
    return None


SHORTEST = 5
"""The shortest chain :func:`build_chain` can build (a block of two and a tail of three):
shorter ones are decided by the bounds alone."""


CHAIN_SPREADS = 32
"""Spreads up to this are decided chain by chain beyond the tables; larger ones are left
to the constructions (their rows are many, and exact networks plentiful)."""


class Chains(Protocol):
    """What the chain search needs of a spread search (a ``SpreadProblem``)."""

    @property
    def depth(self) -> int: ...
    @property
    def target(self) -> int: ...
    @property
    def limits(self) -> SearchLimits: ...
    def bases(self, spread: int) -> range: ...
    def offset_top(self, base: int, spread: int) -> int: ...
    def end_shift(self, base: int, first: int, last: int) -> int: ...
    def slope(self, base: int) -> int: ...


def exact_by_chains(
    problem: Chains, first: int, last: int
) -> tuple[tuple[int, ...] | None, int | None]:
    """Spreads ``first..last`` (depth >= 4) in turn: for each, every base, pair of end
    offsets and row ``S`` whose value could hit the target is either proven out of reach
    by :func:`q_bounds` or built by :func:`build_chain`.

    Returns the widths built at the first spread where a chain hits the target exactly
    (None if none does) and the first spread that could not be decided (None if every
    spread searched was): below it, no spread has an exact network. Spreads above
    :data:`CHAIN_SPREADS` are undecided.

    Complexity: per spread ``O(D^3)`` bound checks (``D + 2`` bases, ``(D + 1)^2`` ends, one
    or two rows each at large budgets), plus a construction of at most :data:`CHECKS` bit
    tests per offset bound ``t <= D`` for each row that the bounds cannot rule out.
    """
    undecided = None
    for spread in range(first, last + 1):
        if spread > CHAIN_SPREADS:
            return None, spread if undecided is None else undecided
        found, decided = _spread_hits(problem, spread)
        if found is not None:
            return found, undecided
        if not decided and undecided is None:
            undecided = spread
        if undecided is not None and problem.depth < SHORTEST:
            return None, undecided  # no later spread can build a chain
    return None, undecided


def _wants(problem: Chains, base: int, top: int) -> list[list[int]]:
    """``target - end_shift(base, first, last)`` for every pair of ends up to ``top``: the
    shift is linear in each end, so three calls give all ``(top + 1)^2`` values."""
    corner = problem.target - problem.end_shift(base, 0, 0)
    step_first = problem.end_shift(base, 1, 0) - problem.end_shift(base, 0, 0)
    step_last = problem.end_shift(base, 0, 1) - problem.end_shift(base, 0, 0)
    rows = [corner - step_first * first for first in range(top + 1)]
    return [[row - step_last * last for last in range(top + 1)] for row in rows]


def _spread_hits(problem: Chains, spread: int) -> tuple[tuple[int, ...] | None, bool]:
    """Widths with spread at most ``spread`` that hit the target, if built; and whether
    every value was decided (so that None proves no exact network has this spread)."""
    length, limit = problem.depth, problem.limits.table_bits
    decided = True
    for base in problem.bases(spread):
        top = problem.offset_top(base, spread)
        if top < 1:
            continue
        slope = problem.slope(base)
        wants = _wants(problem, base, top)
        span = (length - 1) * top * top
        for first in range(top + 1):
            for last in range(top + 1):
                want = wants[first][last]
                # slope * S + Q == want with 0 <= Q <= (n-1) t^2.
                lowest = max(first + last, -(-(want - span) // slope))
                highest = min(first + last + (length - 2) * top, want // slope)
                if highest - lowest > ROWS:
                    if length < SHORTEST:
                        return None, False
                    decided = False
                    continue
                for total in range(lowest, highest + 1):
                    goal = want - slope * total
                    bounds = q_bounds(length, top, first, last, total)
                    if bounds is None or not bounds[0] <= goal <= bounds[1]:
                        continue
                    if length < SHORTEST:
                        return None, False  # nothing can be built: undecided
                    # Every smaller bound too, so that wider width bounds (a larger t at
                    # this base) never miss a chain that narrower ones built.
                    for t in range(top, max(first, last, 1) - 1, -1):
                        inner = q_bounds(length, t, first, last, total)
                        if inner is None or not inner[0] <= goal <= inner[1]:
                            continue
                        chain = build_chain(length, t, first, last, total, goal, limit)
                        if chain is not None:
                            return tuple(base + x for x in chain), True
                    decided = False
    return None, decided


ROWS = 64
"""The most rows ``S`` one base and pair of ends may need before the spread is left
undecided (small bases at small budgets, where the tables reach anyway)."""


def nearest_by_chains(
    problem: Chains, spread: int, distance: int, under: bool
) -> tuple[int, int, tuple[int, ...] | None]:
    """A proven lower bound on how near networks with spread at most ``spread`` come to
    the target (from below only with ``under``), capped at ``distance``; the nearest
    distance a chain was built at (``distance`` if none came nearer) and its widths.

    Each base, pair of ends and row ``S`` reaches values within
    ``[slope*S + lo, slope*S + hi]`` shifted by the ends (:func:`q_bounds`); only rows
    within ``distance`` of the target are visited, and the bound is 0 (nothing proven)
    when more than :data:`ROWS` would be. For each row the value of the interval nearest
    the target is built when it can be (every offset bound ``t <= D``, so that wider
    width bounds never build less).
    """
    length, limit = problem.depth, problem.limits.table_bits
    bound, best, widths = distance, distance, None
    rows = []
    for base in problem.bases(spread):
        top = problem.offset_top(base, spread)
        slope = problem.slope(base)
        wants = _wants(problem, base, top)
        span = (length - 1) * top * top
        for first in range(top + 1):
            for last in range(top + 1):
                want = wants[first][last]
                lowest = max(first + last, -(-(want - bound - span) // slope))
                highest = min(first + last + (length - 2) * top, (want + bound) // slope)
                if highest - lowest > ROWS:
                    return 0, best, widths
                for total in range(lowest, highest + 1):
                    bounds = q_bounds(length, top, first, last, total) if top else (0, 0)
                    if bounds is None:
                        continue
                    low, high = (slope * total + b - want for b in bounds)
                    if under and low > 0:
                        continue
                    offset = min(high, 0) if under else low if low > 0 else min(high, 0)
                    bound = min(bound, abs(offset))
                    if top:
                        goal = want - slope * total + offset
                        rows.append((abs(offset), base, top, first, last, total, goal))
    # Nearest rows first: once one is built, farther rows need no build.
    for near, base, top, first, last, total, goal in sorted(rows):
        if near >= best:
            break
        for t in range(top, max(first, last, 1) - 1, -1):
            chain = build_chain(length, t, first, last, total, goal, limit)
            if chain is not None:
                best, widths = near, tuple(base + x for x in chain)
                break
    return bound, best, widths
