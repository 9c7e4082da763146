"""Common budgets: parameter counts that every requested depth hits exactly.

With equal widths (spread 0) the search is number theory, never a scan over budgets:

- one depth ``L >= 2`` hits ``k*b^2 + s*b + u`` (``k = L - 1``); depth 1 hits the progression
  ``s*b + u``. With ``X = 2*k*b + s``, a count ``P`` is hit exactly when
  ``X^2 = 4*k*P + E`` with ``E = s^2 - 4*k*u``;
- two quadratic depths share ``P`` exactly when ``k2*X1^2 - k1*X2^2 = k2*E1 - k1*E2``, a
  generalized Pell equation (:mod:`isoparam.solvers.diophantine`). Its solutions are finitely many
  when ``k1*k2`` is a square (then the list of common budgets is complete, so "none" is a
  proof) and otherwise lie on orbits that grow geometrically, so walking them to ``10^100``
  takes milliseconds. Further depths are tested with ``math.isqrt``;
- a single quadratic depth, with or without depth 1, and a pair whose equation degenerates
  into a line, give periodic families: one period decides whether any exists.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations

from isoparam.families.base import Quadratic
from isoparam.solvers.diophantine import (
    fundamental_unit,
    representative_bound,
    solutions,
)
from isoparam.solvers.uniform import floor_width


@dataclass(frozen=True)
class DepthCounts:
    """The counts one depth reaches with equal widths in ``[low, high]``."""

    depth: int
    count: Quadratic
    low: int
    high: int | None
    shown: int | None = None
    """The depth as the user counts it (linear layers, say), for explanations."""

    @property
    def name(self) -> int:
        return self.depth if self.shown is None else self.shown

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
    """True when the common budgets are finitely many and all known (see ``everything``)."""
    explanation: tuple[str, ...]
    everything: tuple[int, ...] = ()
    """With ``complete``: every common budget there is, in any range (often none)."""


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
    complete = square or right == 0
    x_limit = k2 * math.isqrt(4 * k1 * high + e1)
    if complete:
        # (Z - rY)(Z + rY) = M bounds Z by |M|: list them all, whatever the range.
        x_limit = max(x_limit, abs(right))
    found = solutions(product, right, x_limit) if right else []
    everything = set()
    for z, _ in found:
        if z % k2:
            continue
        x = z // k2
        total = (x * x - e1) // (4 * k1)
        if total >= 1 and all(d.width(total) is not None for d in depths):
            everything.add(total)
    budgets = {total for total in everything if low <= total <= high}
    explanation = [
        f"depths {first.name} and {second.name}: with X = {2 * k1}*b{first.name} + "
        f"{first.count.s} and Y = {2 * k2}*b{second.name} + {second.count.s}, a common "
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
    others = [d.name for d in depths if d not in pair]
    if others:
        explanation.append(f"depths {_list(others)} tested at each solution with isqrt")
    return CommonCounts(
        budgets=iter(sorted(budgets)),
        complete=complete,
        explanation=tuple(explanation),
        everything=tuple(sorted(everything)) if complete else (),
    )


def _line_counts(
    first: DepthCounts, second: DepthCounts, depths: list[DepthCounts], low: int, high: int
) -> CommonCounts:
    """``k1*k2 = r^2`` and ``N = 0``: ``k2*X1 = r*X2``, a periodic family in ``X1``."""
    k1, k2 = first.count.k, second.count.k
    root = math.isqrt(k1 * k2)
    explanation = (
        f"depths {first.name} and {second.name} degenerate: {k1}*{k2} = {root}^2 and "
        f"N = 0, so every X = {2 * k1}*b + {first.count.s} with {k2}*X divisible by {root} "
        f"and the matching width of depth {second.name} integral is a common count",
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
        f"widths of depth {walker.name} walked upward, the other depths tested at each "
        f"count; the tests repeat with period {period} in the width",
    )
    first_period = [walker.count(width) for width in range(start, start + period)]
    if first_period[-1] <= ceiling and not any(map(common, first_period)):
        return CommonCounts(iter(()), complete=True, explanation=explanation)
    return CommonCounts(walk(), complete=False, explanation=explanation)


def _list(values: list[int]) -> str:
    return ", ".join(map(str, values))
