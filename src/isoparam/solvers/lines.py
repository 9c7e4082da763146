"""Depth 3 at any spread: with the middle width fixed, the exact counts lie on a line.

For widths ``(x, v, y)`` the count is ``A*x + B*y + h*v + o*c`` with ``A = a + v + h`` and
``B = v + c + h`` (``h``/``o``: parameters per hidden/output unit beyond the weights). For a
fixed ``v`` and deviation ``e`` the networks with count ``target + e`` are the integer
points ``(x0 + b*t, y0 - a*t)`` of a line (``a = A/g``, ``b = B/g``); the width bounds and
the spread cut ``t`` to an interval, and the spread along it is convex in ``t``, so the
smallest spread, a funnel and the lexicographically greatest widths are read off in
``O(1)``. Deviations ``0, 1, 2, ...`` are tried in turn over every middle width that can be
best, so the first that has a network is the proven closest, and its tie rules are
applied over all of its networks: no table, at any spread.
"""

from __future__ import annotations

from math import gcd

from isoparam.solvers.construct import BoundedSearch
from isoparam.solvers.uniform import floor_width

Key = tuple[int, bool, bool, tuple[int, int, int]]

LINE_COST = 16
"""A line solve (a modular inverse of big integers) costs about as much as this many
steps of the depth-2 scan, whose limit (``SearchLimits.scan``) bounds both: ~2 s each."""


def closest_depth_three(
    problem: BoundedSearch, max_spread: int, under: bool = False
) -> tuple[int, int, int] | None:
    """The depth-3 widths the family rules pick (closest count, then the tie rules), or
    None when that needs more than ``problem.limits.scan // LINE_COST`` line solves.

    Complexity: ``O(D * e)`` line solves of ``O(1)`` big-integer operations, for spread
    ``D`` and closest deviation ``e``.

    >>> from isoparam.families.mlp import MLP, CountingModel
    >>> from isoparam.solvers.spread import SpreadProblem
    >>> problem = SpreadProblem(MLP(4, 3, CountingModel(bias=False)), 3, 1000, 1, 1000)
    >>> closest_depth_three(problem, 2)
    (20, 21, 21)
    """
    model = problem.model
    inputs, outputs = model.inputs, model.outputs
    hidden = model.counting.hidden_unit_extras
    constant = outputs * model.counting.output_unit_extras
    low, high = problem.low, problem.high
    widest = floor_width(problem.uniform, problem.target)
    first = max(low, min(widest - max_spread, high))
    last = min(high, max(widest + 1, first) + max_spread)
    middles = range(first, last + 1)
    if last - first + 1 > problem.limits.scan // LINE_COST:
        return None  # the first level alone would pass the limit: say so at once
    work = 0
    level = 0
    while True:
        best: Key | None = None
        for deviation in (-level,) if under or not level else (-level, level):
            for v in middles:
                work += 1
                if work > problem.limits.scan // LINE_COST:  # per solve: a level can be huge
                    return None
                total = problem.target + deviation - hidden * v - constant
                key = _line_best(
                    inputs + v + hidden,
                    v + outputs + hidden,
                    total,
                    v,
                    max(low, v - max_spread),
                    min(high, v + max_spread),
                    max_spread,
                    deviation > 0,
                )
                if key is not None and (best is None or key < best):
                    best = key
        if best is not None:
            x, v, y = (-w for w in best[3])
            return (x, v, y)
        level += 1


def _line_best(
    a: int, b: int, total: int, v: int, low: int, high: int, spread: int, over: bool
) -> Key | None:
    """The best ``(x, v, y)`` with ``a*x + b*y == total``, ``x, y`` in ``[low, high]`` and
    ``|x - y| <= spread``, by smallest spread, funnel, then greatest ``x``; as a sort key.
    """
    divisor = gcd(a, b)
    if total % divisor or low > high:
        return None
    a, b, total = a // divisor, b // divisor, total // divisor
    x0 = total * pow(a, -1, b) % b if b > 1 else 0
    y0 = (total - a * x0) // b
    # x = x0 + b t, y = y0 - a t, x - y = x0 - y0 + (a + b) t.
    t_low = max(_ceil(low - x0, b), _ceil(y0 - high, a), _ceil(-spread - x0 + y0, a + b))
    t_high = min(_floor(high - x0, b), _floor(y0 - low, a), _floor(spread - x0 + y0, a + b))
    if t_low > t_high:
        return None

    def width_spread(t: int) -> int:
        x, y = x0 + b * t, y0 - a * t
        return max(x, v, y) - min(x, v, y)

    candidates = {t_low, t_high}
    for numerator, denominator in ((v - x0, b), (y0 - v, a), (y0 - x0, a + b)):
        for t in (_floor(numerator, denominator), _ceil(numerator, denominator)):
            candidates.add(min(max(t, t_low), t_high))
    least = min(width_spread(t) for t in candidates)
    # The t with spread <= least: |x - v|, |y - v|, |x - y| all <= least.
    p = max(t_low, _ceil(v - least - x0, b), _ceil(y0 - v - least, a))
    p = max(p, _ceil(-least - x0 + y0, a + b))
    q = min(t_high, _floor(v + least - x0, b), _floor(y0 - v + least, a))
    q = min(q, _floor(least - x0 + y0, a + b))
    # A funnel: x >= v >= y.
    funnel_low = max(p, _ceil(v - x0, b), _ceil(y0 - v, a))
    funnel = funnel_low <= q
    x, y = x0 + b * q, y0 - a * q
    return (least, not funnel, over, (-x, -v, -y))


def _ceil(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


def _floor(numerator: int, denominator: int) -> int:
    return numerator // denominator
