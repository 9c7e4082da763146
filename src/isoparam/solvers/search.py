"""Pieces shared by the exhaustive searches (bounded spread, shape profiles)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


def bit_distance(bits: int, position: int) -> int:
    """The distance from ``position`` to the nearest set bit of ``bits`` (nonzero).

    >>> bit_distance(0b100100, 3), bit_distance(0b100100, -1), bit_distance(0b1, 9)
    (1, 3, 9)
    >>> bit_distance(0b1000000, 1)
    5
    """
    if position < 0:
        return (bits & -bits).bit_length() - 1 - position
    if position >= bits.bit_length():
        return position - bits.bit_length() + 1
    below = bits & ((2 << position) - 1)
    above = bits >> (position + 1)
    distances = [position - below.bit_length() + 1] if below else []
    if above:
        distances.append((above & -above).bit_length())
    return min(distances)


def bit_distance_below(bits: int, position: int) -> int | None:
    """The distance from ``position`` down to the nearest set bit at or below it, or None.

    >>> bit_distance_below(0b100100, 3), bit_distance_below(0b100100, 1)
    (1, None)
    >>> bit_distance_below(0b1, 9), bit_distance_below(0b100, -1)
    (9, None)
    """
    if position < 0:
        return None
    below = bits & ((2 << position) - 1)
    return position - below.bit_length() + 1 if below else None


def pick_witness(
    target: int,
    distance: int,
    witnesses: Callable[[int, bool], Iterable[tuple[int, ...]]],
    under: bool = False,
) -> tuple[int, ...]:
    """The widths the tie rules choose among those ``distance`` from ``target``.

    ``witnesses(count, funnel)`` lists candidate widths with exactly that count (funnels
    only when asked). A funnel wins when one exists, then a count under the budget, then
    the lexicographically greatest widths. With ``under`` only the count below qualifies.
    """
    if under or not distance:
        counts: tuple[int, ...] = (target - distance,)
    else:
        counts = (target - distance, target + distance)
    for funnel in (True, False):
        found = [
            (-counts.index(count), widths)
            for count in counts
            for widths in witnesses(count, funnel)
        ]
        if found:
            return max(found)[1]
    raise AssertionError("the search found a count that no witness reaches")  # pragma: no cover


@dataclass(frozen=True)
class SearchAnswer:
    """The widths a search found, and how far the search behind them is a proof."""

    widths: tuple[int, ...]
    constructed_above: int | None = None
    """None when every claim is proven; otherwise the widths are exact but were built by
    :mod:`isoparam.solvers.construct`, and the exhaustive search proved only that no spread (or
    offset from a profile) up to this one hits the budget exactly."""
    searched_up_to: int | None = None
    """None when the widths are proven closest (or exact); otherwise they are the best
    found, and the exhaustive search proved only that no network with spread (or offset)
    up to this one comes closer."""


def closest_by_growing_bound(
    target: int,
    max_bound: int,
    first_distance: int,
    fits: Callable[[int], bool],
    closest: Callable[[int, int], int],
    witnesses: Callable[[int, int, bool], Iterable[tuple[int, ...]]],
    beyond: Callable[[int, int, tuple[int, ...]], SearchAnswer],
    under: bool = False,
) -> SearchAnswer:
    """Bounds 0, 1, ... up to ``max_bound`` (a spread, an offset from a profile), stopping
    at the first that hits the target: the closest distance, and the smallest bound that
    reaches it, are then both proven. ``closest(bound, best)`` lowers ``best`` (starting at
    ``first_distance``; with ``under`` distances are measured from below only),
    ``witnesses(bound, count, funnel)`` lists widths with exactly that count, and a bound
    that does not ``fit`` hands over to ``beyond(bound, distance, widths)`` with the
    proven closest distance and widths for the bounds below it (bound 0 always fits).
    """
    distances: list[int] = []
    best = first_distance

    def proven() -> tuple[int, ...]:
        smallest = distances.index(best)
        return pick_witness(
            target, best, lambda count, funnel: witnesses(smallest, count, funnel), under
        )

    for bound in range(max_bound + 1):
        if not fits(bound):
            if not distances:
                raise AssertionError("bound 0 must fit")  # pragma: no cover
            return beyond(bound, best, proven())
        best = closest(bound, best)
        distances.append(best)
        if best == 0:
            break
    return SearchAnswer(proven())


def last_holding(holds: Callable[[int], bool]) -> int:
    """The largest ``n >= 1`` with ``holds(n)`` for a predicate that holds up to some point
    and never after (1 when it fails at 2): doubling, then bisection.

    >>> last_holding(lambda n: n * n <= 50), last_holding(lambda n: False)
    (7, 1)
    """
    low, high = 1, 2
    while holds(high):
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if holds(middle) else (low, middle)
    return low
