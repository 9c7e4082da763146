"""Depth 3 along a profile at any offset: with the middle width fixed, the exact counts
lie on a line.

At scale ``s`` the profile's widths are ``(B0, B1, B2)`` and a network follows it within
``D`` when its widths ``(x, v, y)`` lie in ``[B0, B0 + D] x [B1, B1 + D] x [B2, B2 + D]``
(with a width step ``K``, on the multiples of ``K``: ``x = K x'``, ``y = K y'``). For a
fixed middle width ``v`` the count is ``A x' + B y' + h v + o c`` with ``A = K (a + v + h)``
and ``B = K (v + c + h)`` (``h``/``o``: parameters per hidden/output unit beyond the
weights), so the networks with count ``target + e`` are the integer points
``(x0 + b t, y0 - a t)`` of a line (``a = A/g``, ``b = B/g``), cut by the box to an interval
of ``t``. Along it the offset ``max(K - 1, v - B1, x - B0, y - B2)`` is convex in ``t``, and
a larger ``t`` widens ``x`` and narrows ``y``: the smallest offset, a funnel
(``x >= v >= y``) and the lexicographically greatest widths are read off in ``O(1)``.

Deviations ``0, 1, 2, ...`` are tried in turn over every (scale, middle width) whose box
of counts reaches them, so the first deviation with a network is the proven closest, and
the tie rules (smallest offset, a funnel, under the budget, the lexicographically greatest
widths) are applied over all of its networks. Where the closest deviation is far (large
budgets, small offsets) the lines would take too many levels; a scan over the first width
(the count grows with the third, so the two third widths around the target are the only
candidates) answers instead when it is small enough. Beyond both, the answer is the
closest within the largest offset where they fit, and :mod:`isoparam.solvers.profiles`
goes on from there (value sets where they reach further, then a construction).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd
from typing import Protocol

from isoparam.solvers.construct import ProfileSearch
from isoparam.solvers.lines import LINE_COST
from isoparam.solvers.search import last_holding

Key = tuple[int, int, bool, bool, tuple[int, int, int]]
"""``(|deviation|, offset, not a funnel, over the budget, negated widths)``: smallest wins."""


class ProfileLines(ProfileSearch, Protocol):
    """What the line solver needs of a profile search (a ``ProfileProblem``), beyond what
    the constructions need."""

    @property
    def under(self) -> bool: ...
    @property
    def step(self) -> int: ...
    def scales_within(self, offset: int, most: int | None) -> list[int] | None: ...


@dataclass(frozen=True)
class _Box:
    """One scale's box of ``(x', y')`` for a middle width, and its range of counts."""

    base: tuple[int, int, int]
    floor: int
    """``max(K - 1, v - B1)``: the offset's part that the line does not move."""
    x_range: tuple[int, int]
    y_range: tuple[int, int]
    counts: tuple[int, int]


@dataclass(frozen=True)
class _Line:
    """One middle width ``v``: ``A x' + B y' + rest``, over the boxes of the scales it follows."""

    middle: int
    a: int
    b: int
    rest: int
    boxes: list[_Box]

    def key(self, box: _Box, x: int, y: int, deviation: int, step: int) -> Key:
        """The tie rules' key of the widths ``(K x', v, K y')`` at the box's scale."""
        first, middle, third = step * x, self.middle, step * y
        offset = max(box.floor, first - box.base[0], third - box.base[2])
        funnel = first >= middle >= third
        return (abs(deviation), offset, not funnel, deviation > 0, (-first, -middle, -third))


def closest_profile_three(
    problem: ProfileLines, max_offset: int
) -> tuple[tuple[int, int, int], int] | None:
    """The depth-3 widths following the profile that the family rules pick (closest count,
    then the smallest offset, a funnel, under the budget, the lexicographically greatest
    widths; with ``under`` only counts at or under the target) within the largest offset
    this solver can prove, and that offset. The lines (or the scan) run within
    ``problem.limits.scan`` steps (a box looked at is a step, a line solved ``LINE_COST``;
    a scan may take half of them) at ``max_offset``, or at the largest offset whose boxes
    fit that limit; if they run out, the scan runs at the largest offset whose scan fits.
    Both fallbacks are the same for every larger ``max_offset``, so a larger one never
    proves less than they do. None when not even offset ``K - 1`` fits or no network
    qualifies.

    Complexity: ``O(k * D * e)`` box steps and ``O((k + D) * e)`` line solves of ``O(1)``
    big-integer operations for ``k`` scales, offset ``D`` and closest deviation ``e``, or a
    scan of ``O(k * D^2)`` steps, whichever is the cheaper.

    >>> from isoparam.families.mlp import MLP, CountingModel
    >>> from isoparam.request import Profile
    >>> from isoparam.solvers.profiles import ProfileProblem
    >>> model = MLP(4, 3, CountingModel(bias=False))
    >>> closest_profile_three(ProfileProblem(model, Profile("trapezoid", (2,)), 3, 1000), 4)
    ((25, 22, 14), 4)
    """
    for scanned in (False, True):
        offset = _reach(problem, max_offset, scanned)
        if offset is None:
            return None
        lines = _lines(problem, offset)
        assert lines is not None  # the reach fits its boxes
        boxes = [box for line in lines for box in line.boxes]
        scan = sum(box.x_range[1] - box.x_range[0] + 1 for box in boxes)
        if scan <= problem.limits.scan // 2:
            # The lines get a quarter of the scan's cost: a sparse budget may need too many
            # deviations, and then the scan takes over at little loss.
            found, _ = _by_levels(problem, lines, scan // 4 - len(boxes))
            found = found or _by_scan(problem, lines)
            return None if found is None else (found, offset)
        found, _ = _by_levels(problem, lines, problem.limits.scan - len(boxes))
        if found is not None:
            return found, offset
        max_offset = offset - 1
    return None


def _reach(problem: ProfileLines, most: int, scanned: bool) -> int | None:
    """The largest offset in ``[K - 1, most]`` whose boxes (``k`` scales, ``w`` widths per
    layer: ``k * w`` boxes) and, if ``scanned``, scan (``k * w^2`` steps, half the limit)
    surely fit ``problem.limits.scan``, or None. ``O(log D)`` listings of the scales, each
    cut short past the limit."""
    least, limit = problem.step - 1, problem.limits.scan

    def fits(offset: int) -> bool:
        width = offset // problem.step + 1
        cap = limit // LINE_COST // width
        return (
            problem.scales_within(offset, min(cap, limit // 2 // width**2) if scanned else cap)
            is not None
        )

    if most < least or fits(most):
        return most if most >= least else None
    if not fits(least):
        return None
    return (
        least
        + last_holding(lambda bound: least + bound - 1 < most and fits(least + bound - 1))
        - 1
    )


def _lines(problem: ProfileLines, max_offset: int) -> list[_Line] | None:
    """Every middle width with the boxes of the scales that can be closest, or None when
    the boxes alone would cost more than ``LINE_COST`` times the line solves the limit
    allows."""
    model, step = problem.model, problem.step
    hidden = model.counting.hidden_unit_extras
    constant = model.outputs * model.counting.output_unit_extras
    scales = problem.scales_within(
        max_offset, problem.limits.scan // LINE_COST // (max_offset // step + 1)
    )
    if scales is None:
        return None
    lines: dict[int, _Line] = {}
    for scale in scales:
        b0, b1, b2 = problem.base(scale)
        x_range = (_ceil(b0, step), (b0 + max_offset) // step)
        y_range = (_ceil(b2, step), (b2 + max_offset) // step)
        for v in range(_ceil(b1, step) * step, b1 + max_offset + 1, step):
            if v not in lines:
                a = step * (model.inputs + v + hidden)
                b = step * (v + model.outputs + hidden)
                lines[v] = _Line(v, a, b, hidden * v + constant, [])
            line = lines[v]
            counts = (
                line.a * x_range[0] + line.b * y_range[0] + line.rest,
                line.a * x_range[1] + line.b * y_range[1] + line.rest,
            )
            if problem.under and counts[0] > problem.target:
                continue
            line.boxes.append(_Box((b0, b1, b2), max(step - 1, v - b1), x_range, y_range, counts))
    return list(lines.values())


def _by_levels(
    problem: ProfileLines, lines: list[_Line], work: int
) -> tuple[tuple[int, int, int] | None, int]:
    """Deviations ``0, 1, 2, ...`` in turn, each over the boxes whose counts hold it, until
    one has a network; None once ``work`` runs out. With the work left."""
    target, step = problem.target, problem.step
    spans = [
        max(box.counts[0] - target, target - box.counts[1], 0)
        for line in lines
        for box in line.boxes
    ]
    if not spans:
        return None, work
    level = min(spans)  # nearer than every box's counts there is no network
    while True:
        best: Key | None = None
        for deviation in (-level,) if problem.under or not level else (-level, level):
            total = target + deviation
            for line in lines:
                inside = [box for box in line.boxes if box.counts[0] <= total <= box.counts[1]]
                work -= len(line.boxes) + (LINE_COST if inside else 0)
                if work < 0:
                    return None, work
                if not inside:
                    continue
                key = _line_best(line, inside, total - line.rest, deviation, step)
                if key is not None and (best is None or key < best):
                    best = key
        if best is not None:
            return _widths(best), work
        level += 1


def _line_best(
    line: _Line, boxes: list[_Box], total: int, deviation: int, step: int
) -> Key | None:
    """The best network with ``A x' + B y' == total`` in any of the boxes, as a sort key."""
    divisor = gcd(line.a, line.b)
    if total % divisor:
        return None
    a, b, total = line.a // divisor, line.b // divisor, total // divisor
    x0 = total * pow(a, -1, b) % b if b > 1 else 0
    y0 = (total - a * x0) // b
    best: Key | None = None
    for box in boxes:
        # x' = x0 + b t, y' = y0 - a t.
        (x_low, x_high), (y_low, y_high) = box.x_range, box.y_range
        t_low = max(_ceil(x_low - x0, b), _ceil(y0 - y_high, a))
        t_high = min((x_high - x0) // b, (y0 - y_low) // a)
        if t_low > t_high:
            continue
        b0, _, b2 = box.base
        # The offset is the larger of a rising and a falling line in t (and the floor):
        # least where they cross.
        crossing = step * (y0 - x0) + b0 - b2
        candidates = {t_low, t_high}
        for t in (crossing // (step * (a + b)), _ceil(crossing, step * (a + b))):
            candidates.add(min(max(t, t_low), t_high))
        least = min(
            max(box.floor, step * (x0 + b * t) - b0, step * (y0 - a * t) - b2) for t in candidates
        )
        # The largest t within that offset: the widest first width, the most funnel-like.
        t = min(t_high, ((least + b0) // step - x0) // b)
        key = line.key(box, x0 + b * t, y0 - a * t, deviation, step)
        if best is None or key < best:
            best = key
    return best


def _by_scan(problem: ProfileLines, lines: list[_Line]) -> tuple[int, int, int] | None:
    """Every first width of every box: the count grows with the third width, so the two
    around the target (in the box) are the only candidates."""
    target, step, under = problem.target, problem.step, problem.under
    best: Key | None = None
    for line in lines:
        for box in line.boxes:
            (x_low, x_high), (y_low, y_high) = box.x_range, box.y_range
            for x in range(x_low, x_high + 1):
                rest = target - line.a * x - line.rest
                y = max(y_low, min(y_high, rest // line.b))
                for third in (y, y + 1) if y < y_high else (y,):
                    deviation = line.b * third - rest
                    if (under and deviation > 0) or (best and abs(deviation) > best[0]):
                        continue
                    key = line.key(box, x, third, deviation, step)
                    if best is None or key < best:
                        best = key
    return None if best is None else _widths(best)


def _widths(key: Key) -> tuple[int, int, int]:
    x, v, y = key[4]
    return (-x, -v, -y)


def _ceil(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


__all__ = ["closest_profile_three"]
