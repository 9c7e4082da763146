"""Spread 1 at any depth: offsets 0 or 1, whose ``(S, Q)`` pairs are explicit.

With offsets ``x_i`` in ``{0, 1}`` the sum ``S`` counts the ones and ``Q = sum x_i x_{i+1}``
counts adjacent pairs of ones, so ``Q = S - r`` with ``r`` the number of runs of ones. Given
the depth ``n >= 2`` and the end offsets ``x_1``, ``x_n``, every number of runs between
:func:`run_range`'s bounds occurs and no other, so the counts a base reaches are a union of
intervals, one per ``S``: the closest count and the lexicographically greatest witness
follow in ``O(n)`` integer operations, at any depth, with no table.
"""

from __future__ import annotations


def run_range(length: int, ones: int, first: int, last: int) -> tuple[int, int] | None:
    """The least and greatest number of runs of ones over the 0/1 sequences of
    ``length >= 2`` with ``ones`` ones, starting with ``first`` and ending with ``last``;
    every number in between occurs too. None when no such sequence exists.

    Complexity ``O(1)``.

    >>> run_range(5, 3, 1, 1), run_range(5, 2, 0, 0), run_range(2, 1, 1, 1)
    ((2, 3), (1, 2), None)
    >>> run_range(7, 3, 0, 1)
    (1, 3)
    """
    zeros = length - ones
    if ones < 0 or zeros < 0:
        return None
    if ones == 0:
        return (0, 0) if first == last == 0 else None
    if zeros == 0:
        return (1, 1) if first == last == 1 else None
    # Runs of ones need r - 1 separating zeros, one more for each end that is 0; every
    # zero beyond those has a gap to go into unless both ends are 1 and r = 1.
    low = 2 if first == last == 1 else 1
    high = min(ones, zeros - 1 + first + last)
    return (low, high) if low <= high else None


def nearest_value(
    length: int, slope: int, first: int, last: int, want: int, best: int, under: bool
) -> int:
    """``min(best, |(slope + 1) S - r - want|)`` over the reachable ``(S, r)``
    (``slope*S + Q`` with ``Q = S - r``); with ``under`` only values at or below ``want``.

    Only the ``S`` whose interval of values can come within ``best`` are visited.

    >>> nearest_value(4, 10, 0, 0, 23, 100, False), nearest_value(4, 10, 0, 0, 23, 100, True)
    (2, 2)
    """
    if first == last == 0 and (want >= 0 or not under):
        best = min(best, abs(want))  # every offset 0
    lowest = max(1, (want - best + 1) // (slope + 1))
    highest = min(length, (want + best) // slope + 1) if slope else length
    for ones in range(lowest, highest + 1):
        runs = run_range(length, ones, first, last)
        if runs is None:
            continue
        top = (slope + 1) * ones - runs[0]
        bottom = (slope + 1) * ones - runs[1]
        if bottom <= want <= top:
            return 0
        if top < want:
            best = min(best, want - top)
        elif not under:
            best = min(best, bottom - want)
    return best


def hitting_runs(
    length: int, slope: int, first: int, last: int, value: int
) -> list[tuple[int, int]]:
    """Every ``(S, r)`` with ``(slope + 1) S - r == value`` that a sequence can have.

    >>> hitting_runs(4, 10, 0, 0, 21)
    [(2, 1)]
    """
    found = []
    if value == 0 and first == last == 0:
        found.append((0, 0))
    for ones in range(max(1, value // (slope + 1)), min(length, value // slope + 1) + 1):
        runs = run_range(length, ones, first, last)
        if runs is not None and runs[0] <= (slope + 1) * ones - value <= runs[1]:
            found.append((ones, (slope + 1) * ones - value))
    return found


def greatest_sequence(length: int, ones: int, runs: int, first: int, last: int) -> list[int]:
    """The lexicographically greatest 0/1 sequence with these ones, runs and ends (which
    must be possible: see :func:`run_range`). Greedy, each step kept completable by
    :func:`run_range` on the rest, seen as a sequence that starts with the last value
    placed.

    >>> greatest_sequence(7, 3, 2, 1, 0)
    [1, 1, 0, 1, 0, 0, 0]
    """
    placed: list[int] = []
    used = made = 0
    for position in range(length):
        for value in (1, 0):
            if (position == 0 and value != first) or (position == length - 1 and value != last):
                continue
            now_used = used + value
            now_made = made + (1 if value and (not placed or placed[-1] == 0) else 0)
            rest = length - position - 1
            if rest == 0:
                ok = now_used == ones and now_made == runs
            else:
                span = run_range(rest + 1, ones - now_used + value, value, last)
                needed = runs - now_made + value
                ok = span is not None and span[0] <= needed <= span[1]
            if ok:
                placed.append(value)
                used, made = now_used, now_made
                break
        else:
            raise AssertionError("an impossible run pattern was asked for")  # pragma: no cover
    return placed
