"""Exact widths beyond the reach of the exhaustive search: solved for, not searched.

The offset tables of :mod:`isoparam.solvers.spread` and the value sets of
:mod:`isoparam.solvers.profiles`
grow with the spread and stop at a limit, yet at large spreads exact networks are
plentiful. Two exact constructions take over there (``h``/``o``: parameters per
hidden/output unit beyond the weights):

- **Depth 2** factors: ``count = (x + c + h)(y + a + h) - (a + h)(c + h) + o*c``. For each
  ``x`` in a window that must hold the answer, the two ``y`` nearest the target are the
  only candidates, so one scan finds the closest count and applies the tie rules, proven
  as the tables' answers are; for very wide windows an exact network is a divisor of one
  number, listed by factorising it.
- **Depth 3 and more**: with every width fixed but two non-adjacent ones ``x`` and ``y``, the
  count is linear, ``A*x + B*y = T``, and extended Euclid gives the solutions inside the
  width windows directly. The other widths are drawn (deterministically) from their
  windows (one window for a spread; ``[B_i, B_i + D]`` per layer for a profile), and one
  of them is swept over its window. Such a network is exact, but finding none is no
  proof, so spreads are tried in increasing order and the answer records how far the
  exhaustive search went: the smallest exact spread lies between that and the one found.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from math import gcd
from operator import mul
from typing import Protocol

from isoparam.families.base import Quadratic
from isoparam.families.mlp import MLP
from isoparam.request import SearchLimits
from isoparam.solvers.diophantine import CERTAIN_PRIME_LIMIT, divisors
from isoparam.solvers.uniform import floor_width


class BoundedSearch(Protocol):
    """What the constructions need of a spread search (a ``SpreadProblem``)."""

    @property
    def model(self) -> MLP: ...
    @property
    def depth(self) -> int: ...
    @property
    def target(self) -> int: ...
    @property
    def low(self) -> int: ...
    @property
    def high(self) -> int: ...
    @property
    def limits(self) -> SearchLimits: ...
    @property
    def uniform(self) -> Quadratic: ...
    @property
    def under(self) -> bool: ...


class ProfileSearch(Protocol):
    """What the constructions need of a profile search (a ``ProfileProblem``)."""

    @property
    def model(self) -> MLP: ...
    @property
    def target(self) -> int: ...
    @property
    def limits(self) -> SearchLimits: ...
    def base(self, scale: int) -> tuple[int, ...]: ...
    def scale_under(self, raise_by: int) -> int: ...


RUN = 64
"""How many consecutive values the swept width takes per draw of the others."""


EVERY_WINDOW = 16
"""Spreads up to this are constructed in every window position, larger ones centred only
(their windows are wide, and the centred one already holds exact networks in plenty)."""


def closest_depth_two(problem: BoundedSearch, max_spread: int) -> tuple[int, ...] | None:
    """The depth-2 widths the family rules pick (closest count, then the tie rules), or
    None when that cannot be proven within the limits (see below). With
    ``problem.under`` only counts at or under the target qualify.

    With ``u`` the uniform width just under (``w``) or over (``w + 1``) the target, clamped
    to the bounds, any ``x`` more than ``max_spread`` below ``min(w, high)`` or above
    ``max(w + 1, low)`` loses to a uniform network, so only that window of ``x`` is
    scanned; for each ``x`` the count grows with ``y``, so the two ``y`` around the target
    are the only candidates. Past ``problem.limits.scan`` widths only an exact network
    can be found, from the divisors of the factorised product (certain below
    :data:`CERTAIN_PRIME_LIMIT`); None when there is none or the product is too large.

    Complexity ``O(D)`` for spread ``D`` up to the scan limit; factorisation beyond.

    >>> from isoparam.families.mlp import MLP, CountingModel
    >>> from isoparam.solvers.spread import SpreadProblem
    >>> problem = SpreadProblem(MLP(4, 3, CountingModel(bias=False)), 2, 1000, 1, 1000)
    >>> closest_depth_two(problem, 3)
    (27, 30)
    """
    inputs, outputs, low, high = (
        problem.model.inputs,
        problem.model.outputs,
        problem.low,
        problem.high,
    )
    hidden = problem.model.counting.hidden_unit_extras
    widest = floor_width(problem.uniform, problem.target)
    first = max(low, min(widest, high) - max_spread)
    last = min(high, max(widest + 1, low) + max_spread)
    product = (
        problem.target
        - outputs * problem.model.counting.output_unit_extras
        + (inputs + hidden) * (outputs + hidden)
    )
    shift, lift = outputs + hidden, inputs + hidden  # count + k = (x + shift)(y + lift)
    scan = problem.limits.scan
    if last - first + 1 <= scan:
        pairs: Iterable[tuple[int, int]] = _nearest_pairs(
            product, shift, lift, range(first, last + 1), low, high, max_spread, problem.under
        )
    elif product < CERTAIN_PRIME_LIMIT:
        pairs = [
            (d - shift, product // d - lift)
            for d in divisors(product)
            if first + shift <= d <= last + shift
        ]
    else:
        return None
    best: tuple[int, int, bool, bool, tuple[int, int]] | None = None
    for x, y in pairs:
        if not (low <= y <= high and abs(x - y) <= max_spread):
            continue
        deviation = (x + shift) * (y + lift) - product
        if problem.under and deviation > 0:
            continue
        key = (abs(deviation), abs(x - y), x < y, deviation > 0, (-x, -y))
        if best is None or key < best:
            best = key
    if best is None or (last - first + 1 > scan and best[0]):
        return None
    return (-best[4][0], -best[4][1])


def _nearest_pairs(
    product: int,
    shift: int,
    lift: int,
    xs: range,
    low: int,
    high: int,
    max_spread: int,
    only_under: bool = False,
) -> Iterator[tuple[int, int]]:
    """For each ``x``, the allowed ``y`` just under and just over ``product``."""
    for x in xs:
        bottom, top = max(low, x - max_spread), min(high, x + max_spread)
        if bottom > top:
            continue
        under = min(max(product // (x + shift) - lift, bottom), top)
        yield x, under
        if under < top and not only_under:
            yield x, under + 1


def exact_by_construction(problem: BoundedSearch, first: int, last: int) -> tuple[int, ...] | None:
    """Exact widths (depth >= 3) with a spread from ``first`` to ``last``, or None.

    Spreads are tried in increasing order, growing by a quarter each time and ending at
    ``last``, each in the window centred on the uniform width and then, for spreads up to
    :data:`EVERY_WINDOW`, in every other window position that can hold the closest count
    (nearest the centre first), so that wider width bounds never lose a window that
    narrower ones searched.
    """
    widest = floor_width(problem.uniform, problem.target)
    for spread in schedule(first, last):
        centre = widest - spread // 2
        starts = [centre]
        if spread <= EVERY_WINDOW:
            others = range(widest - spread, widest + 2)
            starts += sorted(
                (lo for lo in others if lo != centre), key=lambda lo: abs(lo - centre)
            )
        seen = set()
        for start in starts:
            lo = min(max(problem.low, start), max(problem.low, problem.high - spread))
            window = (lo, min(problem.high, lo + spread))
            if window in seen:
                continue
            seen.add(window)
            found = _sweep(
                problem.model, problem.target, (window,) * problem.depth, problem.limits
            )
            if found is not None:
                return found
    return None


def exact_on_profile(problem: ProfileSearch, first: int, last: int) -> tuple[int, ...] | None:
    """Exact widths (depth >= 3) within ``first`` to ``last`` of the profile, or None.

    Offsets are tried as spreads are above, at the few scales around the one whose
    profile, raised by half the offset, comes nearest the target.
    """
    for offset in schedule(first, last):
        middle = problem.scale_under(offset // 2)
        for scale in (middle, middle + 1, middle - 1, middle + 2):
            if scale < 1:
                continue
            windows = tuple((b, b + offset) for b in problem.base(scale))
            found = _sweep(problem.model, problem.target, windows, problem.limits)
            if found is not None:
                return found
    return None


def schedule(first: int, last: int) -> Iterator[int]:
    """``first``, then a quarter more each time, then ``last``.

    >>> list(schedule(3, 20))
    [3, 4, 5, 6, 7, 8, 10, 12, 15, 18, 20]
    """
    spread = first
    while spread < last:
        yield spread
        spread = max(spread + 1, spread * 5 // 4)
    yield last


def _sweep(
    model: MLP,
    target: int,
    windows: tuple[tuple[int, int], ...],
    limits: SearchLimits,
) -> tuple[int, ...] | None:
    """Widths inside ``windows`` (one ``(lo, hi)`` per layer) whose count is ``target``.

    Widths ``w_1..w_{n-3}`` are drawn and ``v = w_{n-1}`` runs over a stretch of its
    window; ``x = w_{n-2}`` and ``y = w_n`` are solved for: the count is
    ``K + A*x + B*y + h*v`` with ``A = w_{n-3} + v + h`` (``a`` in place of ``w_0``) and
    ``B = v + c + h``. A solve succeeds with a chance of about ``d / 2m`` for windows of
    ``d`` around width ``m``, so eight times that many are tried, unless that is more than
    ``limits.solves`` (hopeless: None at once).
    """
    inputs, outputs = model.inputs, model.outputs
    hidden = model.counting.hidden_unit_extras
    (x_low, x_high), (v_low, v_high), (y_low, y_high) = windows[-3:]
    width = max(hi for _, hi in windows)
    solves = 8 * (2 * width + inputs + outputs) // max(1, v_high - v_low)
    if solves > limits.solves:
        return None
    seed = target ^ (len(windows) << 20) ^ (windows[0][0] << 40) ^ (v_high - v_low)
    generator = random.Random(seed)
    stretch = min(v_high - v_low + 1, RUN)
    for _ in range(-(-solves // stretch)):
        head = _draws(generator, windows[:-3])
        before = inputs * head[0] if head else 0
        before += sum(map(mul, head, head[1:])) + hidden * sum(head)  # adjacent products
        before += outputs * model.counting.output_unit_extras
        left = head[-1] if head else inputs
        (start,) = _draws(generator, ((v_low, v_high - stretch + 1),))
        for v in range(start, start + stretch):
            rest = target - before - hidden * v
            a, b = left + v + hidden, v + outputs + hidden
            pair = _solve(a, b, rest, (x_low, x_high), (y_low, y_high))
            if pair is not None:
                return (*head, pair[0], v, pair[1])
    return None


def _draws(generator: random.Random, windows: Iterable[tuple[int, int]]) -> list[int]:
    """One width drawn uniformly from each ``(lo, hi)`` window: the values ``randint``
    draws (rejection sampling on ``getrandbits``), without its cost per call, which
    dominated deep sweeps."""
    bits = generator.getrandbits
    drawn = []
    for low, high in windows:
        span = high - low + 1
        size = span.bit_length()
        value = bits(size)
        while value >= span:
            value = bits(size)
        drawn.append(low + value)
    return drawn


def _solve(
    a: int, b: int, total: int, xs: tuple[int, int], ys: tuple[int, int]
) -> tuple[int, int] | None:
    """The solution of ``a*x + b*y = total`` with ``x`` in ``xs`` and ``y`` in ``ys`` (both
    inclusive ranges) with the largest ``x``, if any.

    >>> _solve(3, 5, 31, (1, 10), (1, 10)), _solve(4, 6, 31, (1, 10), (1, 10))
    ((7, 2), None)
    >>> _solve(3, 5, 31, (1, 6), (1, 10)), _solve(3, 5, 8, (2, 10), (2, 10))
    ((2, 5), None)
    """
    divisor = gcd(a, b)
    if total % divisor:
        return None
    a, b, total = a // divisor, b // divisor, total // divisor
    # a*x <= total - b*y_low and a*x >= total - b*y_high bound x through y's range.
    top = min(xs[1], (total - b * ys[0]) // a)
    bottom = max(xs[0], -(-(total - b * ys[1]) // a))
    if top < bottom:
        return None
    residue = total * pow(a, -1, b) % b if b > 1 else top
    x = top - (top - residue) % b
    return (x, (total - a * x) // b) if x >= bottom else None
