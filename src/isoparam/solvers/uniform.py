"""The uniform width whose count is closest to a budget, in exact integer arithmetic."""

from __future__ import annotations

from math import isqrt

from isoparam.families.base import Quadratic


def floor_width(count: Quadratic, target: int) -> int:
    """The largest width ``b >= 0`` with ``count(b) <= target``, or -1 if there is none.

    Counts increase with the width (``k >= 0``, ``s > 0``), so this is the floor of the
    positive root of ``k*b^2 + s*b + u - target``; ``isqrt`` keeps it exact at any size,
    because ``floor((floor(sqrt D) - s) / 2k) == floor((sqrt D - s) / 2k)``.
    """
    if target < count.u:
        return -1
    if count.k == 0:
        return (target - count.u) // count.s
    discriminant = count.s * count.s + 4 * count.k * (target - count.u)
    return (isqrt(discriminant) - count.s) // (2 * count.k)


def closest_width(count: Quadratic, target: int) -> int:
    """The width ``b >= 1`` whose count is closest to ``target``; a tie goes to the smaller b.

    The smaller width of a tie is the one whose count is under the budget.
    """
    below = max(floor_width(count, target), 1)
    above = below + 1
    if abs(count(above) - target) < abs(count(below) - target):
        return above
    return below
