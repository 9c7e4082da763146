"""Shape profiles: families whose widths follow a taper, hitting the budget exactly.

A profile gives hidden widths ``B_i(s)`` for each depth and integer scale ``s``
(:meth:`isoparam.request.Profile.widths`): ratio profiles ``max(1, floor(s * r_i / max r))``,
BUTTER's tapers to the output size affine or geometric in ``s``. A network follows the
profile within ``d`` when its widths are ``B_i(s) + x_i`` with ``0 <= x_i <= d`` for some
scale. For ``rectangle`` that is exactly a spread of at most ``d``.

The count is then ``count(B) + sum c_i x_i + sum x_i x_{i+1}`` with ``c_i`` read off the
counting model, and a dynamic programme over layers holds every reachable value of the
offsets' part as bits of a Python integer. Only the scales whose range of counts can beat
the profile's own closest scale are searched, so the answer is provably the closest. That
pruning needs each ``B_i(s)`` nondecreasing in ``s`` (so the count is too), which every
registered profile has: ratio widths are floors of ``s`` times a constant, the
trapezoid's ``((L - k) s + k c) / L`` and the exponential's ``(s^(L-k) c^k)^(1/L)`` grow
with ``s`` (exponents ``L - k >= 1``), and rounding and ``max(c, .)`` keep the order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from isoparam.errors import IsoparamError
from isoparam.families.mlp import MLP
from isoparam.request import Profile, SearchLimits
from isoparam.solvers.construct import exact_on_profile
from isoparam.solvers.search import (
    SearchAnswer,
    bit_distance,
    bit_distance_below,
    closest_by_growing_bound,
    last_holding,
)
from isoparam.solvers.uniform import closest_width, floor_width


@dataclass(frozen=True)
class ProfileProblem:
    """One depth's search along a profile: count as near ``target`` as can be."""

    model: MLP
    profile: Profile
    depth: int
    target: int
    limits: SearchLimits = field(default_factory=SearchLimits)
    under: bool = False
    """Only counts at or under the target qualify (the closest from below)."""
    step: int = 1
    """Every width is a multiple of this (``--width-step``): offsets that miss a multiple
    are left out of the value sets."""

    def base(self, scale: int) -> tuple[int, ...]:
        """The profile's widths at ``scale``."""
        return self.profile.widths(self.depth, scale, self.model.outputs)

    def lowest(self, scale: int) -> tuple[int, ...]:
        """The smallest widths at ``scale``: each profile width raised to a multiple of
        :attr:`step` (the profile's own widths for step 1)."""
        return tuple(-(-w // self.step) * self.step for w in self.base(scale))

    def highest(self, scale: int, offset: int) -> tuple[int, ...]:
        """The largest widths at ``scale`` within ``offset``: each lowered to a multiple of
        :attr:`step`."""
        return tuple((w + offset) // self.step * self.step for w in self.base(scale))

    def count(self, widths: Sequence[int]) -> int:
        return self.model.count_widths(widths)

    @cached_property
    def scale(self) -> int:
        """The largest scale whose smallest network (:meth:`lowest`) does not exceed the
        target (at least 1)."""
        return last_holding(lambda scale: self.count(self.lowest(scale)) <= self.target)

    def scale_under(self, raise_by: int) -> int:
        """The largest scale whose profile, every width raised by ``raise_by``, does not
        exceed the target (at least 1)."""

        return last_holding(
            lambda scale: self.count([w + raise_by for w in self.base(scale)]) <= self.target
        )

    def scales(self, offset: int) -> list[int]:
        """The scales that can be closest with offsets up to ``offset``.

        Above ``scale + 1`` every count exceeds the smallest network's count there; below
        ``scale``, once a scale's highest count (every offset at its top) no longer exceeds
        the smallest network's count at :attr:`scale`, no smaller scale can either (with a
        step, ``offset >= step - 1`` keeps those smallest networks within the offset). Of
        scales with the same widths (BUTTER's exponential below the output size) only the
        largest is kept.
        """
        anchor = self.count(self.lowest(self.scale))
        found = [self.scale + 1, self.scale]
        scale = self.scale - 1
        while scale >= 1 and self.count(self.highest(scale, offset)) > anchor:
            if self.base(scale) != self.base(found[-1]):
                found.append(scale)
            scale -= 1
        return found[::-1]

    def weights(self, scale: int) -> list[int]:
        """``c_i``: what one more unit at layer ``i`` adds to the profile's count: its
        incoming and outgoing weights and its own parameters (bias, norm), ``O(depth)``."""
        sizes = self.model.sizes(self.base(scale))
        extras = self.model.counting.hidden_unit_extras
        return [sizes[i] + sizes[i + 2] + extras for i in range(self.depth)]

    def fits(self, offset: int) -> bool:
        """Whether building the value sets for ``offset`` stays within
        the limit on profile work (the largest scale has the largest)."""
        bits = sum(self.weights(self.scale + 1)) * offset + (self.depth - 1) * offset * offset
        return self.depth * (offset + 1) ** 2 * bits <= self.limits.profile_work

    def suffixes(self, scale: int, offset: int, funnel: bool) -> tuple[tuple[int, ...], ...]:
        """``suffix[i][v]``: bits of ``sum_{j>=i} c_j x_j + x_j x_{j+1}`` with ``x_i = v``.

        Built once per (scale, offset, funnel): the closest search and every witness it
        rebuilds read the same tables.
        """
        return _suffix_tables(self, scale, offset, funnel)

    def closest(self, offset: int, best: int) -> int:
        """``min(best, |count - target|)`` over the scales and offsets up to ``offset``
        (with :attr:`under`, counts above the target do not qualify)."""
        for scale in self.scales(offset):
            bits = 0
            for entry in self.suffixes(scale, offset, False)[0]:
                bits |= entry
            position = self.target - self.count(self.base(scale))
            if self.under:
                below = bit_distance_below(bits, position)
                best = best if below is None else min(best, below)
            else:
                best = min(best, bit_distance(bits, position))
        return best

    def reachable(self, offset: int, low: int, high: int) -> int:
        """Bit ``t - low`` is set for every count ``t`` in ``[low, high]`` that a network
        following the profile within ``offset`` hits exactly (the common-budget search).

        The scales run from the first whose highest count (every offset at its top)
        reaches ``low`` to the last whose profile count does not pass ``high``: as the
        profile's widths only grow with the scale, no other scale has a count in range.
        Raises :class:`IsoparamError` when the value sets outgrow the limit on profile work.
        """
        if not self.fits(offset):
            raise IsoparamError(
                f"an offset of {offset} from the profile {self.profile} at depth "
                f"{self.depth} is beyond the exhaustive search; ask for a smaller --max-spread"
            )

        def top(scale: int) -> int:
            return self.count([w + offset for w in self.base(scale)])

        if self.count(self.base(1)) > high:
            return 0
        last = last_holding(lambda scale: self.count(self.base(scale)) <= high)
        first = 1 if top(1) >= low else last_holding(lambda scale: top(scale) < low) + 1
        window = (1 << (high - low + 1)) - 1
        bits = 0
        for scale in range(first, last + 1):
            if scale < last and self.base(scale) == self.base(scale + 1):
                continue  # the same widths as the next scale (BUTTER's exponential below c)
            values = 0
            for entry in self.suffixes(scale, offset, False)[0]:
                values |= entry
            shift = self.count(self.base(scale)) - low
            bits |= (values << shift if shift >= 0 else values >> -shift) & window
        return bits

    def witnesses(self, offset: int, total: int, funnel: bool) -> Iterator[tuple[int, ...]]:
        """Widths with exactly ``total``, one per scale that has any."""
        for scale in self.scales(offset):
            widths = self.witness(scale, offset, total, funnel)
            if widths is not None:
                yield widths

    def witness(self, scale: int, offset: int, total: int, funnel: bool) -> tuple[int, ...] | None:
        """The lexicographically greatest widths at this scale whose count is ``total``."""
        base, weights = self.base(scale), self.weights(scale)
        layers = self.suffixes(scale, offset, funnel)
        need = total - self.count(base)
        chosen: list[int] = []
        for i in range(self.depth):
            for v in range(offset, -1, -1):
                if chosen and funnel and base[i - 1] + chosen[-1] < base[i] + v:
                    continue
                rest = need - (chosen[-1] * v if chosen else 0)
                if rest >= 0 and (layers[i][v] >> rest) & 1:
                    need = rest - weights[i] * v
                    chosen.append(v)
                    break
            else:
                return None
        return tuple(b + x for b, x in zip(base, chosen, strict=True))


@lru_cache(maxsize=16)
def _suffix_tables(
    problem: ProfileProblem, scale: int, offset: int, funnel: bool
) -> tuple[tuple[int, ...], ...]:
    """The suffix tables of :meth:`ProfileProblem.suffixes`, backwards from the last layer;
    an offset whose width is not a multiple of the step reaches nothing."""
    base, weights, step = problem.base(scale), problem.weights(scale), problem.step
    values = range(offset + 1)
    layers = [tuple(0 if (base[-1] + v) % step else 1 << (weights[-1] * v) for v in values)]
    for i in range(problem.depth - 2, -1, -1):
        after = layers[-1]
        layers.append(
            tuple(
                0
                if (base[i] + v) % step
                else _or_prepended(after, v, weights[i], base[i] + v, base[i + 1], funnel)
                for v in values
            )
        )
    layers.reverse()
    return tuple(layers)


def _or_prepended(
    after: tuple[int, ...], v: int, weight: int, width: int, next_base: int, funnel: bool
) -> int:
    """Prepend offset ``v`` (a layer of ``width``) to every suffix; for a funnel, only to
    suffixes whose first width does not exceed ``width``."""
    bits = 0
    for u, suffix in enumerate(after):
        if not (funnel and width < next_base + u):
            bits |= suffix << (weight * v + v * u)
    return bits


def closest_on_profile(problem: ProfileProblem, max_offset: int) -> SearchAnswer:
    """Widths following the profile within ``max_offset`` whose count is closest.

    Parameters
    ----------
    problem : ProfileProblem
        The profile and depth, the target, the limits, and ``under`` (only
        counts at or under the target qualify: the closest from below).
    max_offset : int
        How far each width may exceed the profile at its scale.

    Returns
    -------
    SearchAnswer
        Ties go, in order, to the smallest offset, a funnel, a count under the budget, and
        the lexicographically greatest widths, as for equal widths. Depth 1 is closed form
        (one layer has no taper) and depth 2 a scan; where the value sets outgrow their
        limit without an exact hit at depth >= 3, exact widths are constructed
        (``constructed_above``, not with a step) or the best found is returned with the
        offset up to which it is proven (``searched_up_to``). With a step ``K`` the offset
        must be at least ``K - 1`` (so that every layer's window holds a multiple of
        ``K``) and offsets up to ``K - 1`` count as ``K - 1`` in the tie rules.

    Raises
    ------
    IsoparamError
        With a step, when even the value sets for offset ``K - 1`` are beyond the limit on
        profile work at depth >= 3.

    Complexity: value sets of ``O(n D^2)`` shifts per scale; depth 2 ``O(D)`` per scale.

    >>> from isoparam.families.mlp import MLP, CountingModel
    >>> model = MLP(4, 3, CountingModel(bias=False))
    >>> closest_on_profile(ProfileProblem(model, Profile("trapezoid", (3,)), 2, 1000), 2).widths
    (45, 17)
    """
    step = problem.step
    if problem.depth == 1:  # every multiple of the step from the smallest scale's follows
        count = problem.model.uniform(1).scaled(step)
        t = (
            floor_width(count, problem.target)
            if problem.under
            else closest_width(count, problem.target)
        )
        return SearchAnswer((max(problem.lowest(1)[0], step * t),))
    least = step - 1  # the bounds searched are offsets from least on
    if not problem.fits(least):
        widths = closest_profile_two(problem, max_offset) if problem.depth == 2 else None
        if widths is None:
            raise IsoparamError(
                f"a width step of {step} along the profile {problem.profile} at depth "
                f"{problem.depth} is beyond the exhaustive search"
            )
        return SearchAnswer(widths)
    first = problem.count(problem.lowest(problem.scale)) - problem.target
    return closest_by_growing_bound(
        problem.target,
        max_offset - least,
        -first if problem.under else abs(first),
        lambda bound: problem.fits(least + bound),
        lambda bound, best: problem.closest(least + bound, best),
        lambda bound, total, funnel: problem.witnesses(least + bound, total, funnel),
        lambda bound, _, proven: _beyond_value_sets(problem, least + bound, max_offset, proven),
        problem.under,
    )


def _beyond_value_sets(
    problem: ProfileProblem, offset: int, max_offset: int, proven: tuple[int, ...]
) -> SearchAnswer:
    """Where no value set reaches: depth 2 scanned outright, exact widths built at depth
    >= 3, or else the best found (``proven``, closest within ``offset - 1``)."""
    if problem.depth == 2:
        reach = max_offset
        while reach > offset - 1 and reach >= problem.step - 1:
            widths = closest_profile_two(problem, reach)
            if widths is not None:
                settled = reach == max_offset or problem.count(widths) == problem.target
                return SearchAnswer(widths, searched_up_to=None if settled else reach)
            reach //= 2
    elif problem.step == 1:
        widths = exact_on_profile(problem, offset, max_offset)
        if widths is not None:
            return SearchAnswer(widths, constructed_above=offset - 1)
    return SearchAnswer(proven, searched_up_to=offset - 1)


def closest_profile_two(problem: ProfileProblem, max_offset: int) -> tuple[int, ...] | None:
    """Depth 2 along a profile: for each scale that can be closest and each first width,
    the count grows with the second, so the two second widths around the target (on the
    step's multiples) are the only candidates; the tie rules apply over all of them. None
    beyond the scan limit.

    Complexity ``O(k * D)`` for ``k`` scales and offset ``D``.

    >>> from isoparam.families.mlp import MLP, CountingModel
    >>> model = MLP(4, 3, CountingModel(bias=False))
    >>> closest_profile_two(ProfileProblem(model, Profile("trapezoid", (3,)), 2, 1000), 2)
    (45, 17)
    """
    scales = problem.scales(max_offset)
    if len(scales) * (max_offset + 1) > problem.limits.scan:
        return None
    model = problem.model
    hidden = model.counting.hidden_unit_extras
    shift, lift = model.outputs + hidden, model.inputs + hidden
    product = problem.target - model.outputs * model.counting.output_unit_extras + lift * shift
    step = problem.step
    best: tuple[int, int, bool, bool, tuple[int, int]] | None = None
    for scale in scales:
        first, second = problem.base(scale)
        (_, low), (_, high) = problem.lowest(scale), problem.highest(scale, max_offset)
        for i in range(max_offset + 1):
            x = first + i
            if x % step:
                continue
            under = max(low, min(high, (product // (x + shift) - lift) // step * step))
            for y in (under, under + step) if under < high else (under,):
                deviation = (x + shift) * (y + lift) - product
                if problem.under and deviation > 0:
                    continue
                bound = max(step - 1, i, y - second)
                key = (abs(deviation), bound, x < y, deviation > 0, (-x, -y))
                if best is None or key < best:
                    best = key
    return None if best is None else (-best[4][0], -best[4][1])


__all__ = ["ProfileProblem", "closest_on_profile"]
