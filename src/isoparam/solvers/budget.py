"""Common budgets: a parameter count every requested depth hits exactly, and the family at it.

Equal widths go to :mod:`isoparam.solvers.pell`, a spread above 0 or a profile to
:mod:`isoparam.solvers.intersect`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from isoparam.errors import IsoparamError, NotFound, power_text, shown
from isoparam.families.builder import TorchFamily
from isoparam.families.mlp import check_positive
from isoparam.request import (
    DepthsLike,
    FamilyRequest,
    Profile,
    SearchLimits,
    Spread,
    SpreadLike,
    Window,
)
from isoparam.results import Budget
from isoparam.solvers.family import solve_family
from isoparam.solvers.intersect import (
    Reach,
    common_counts,
    nearest_common,
    reachable_counts,
)
from isoparam.solvers.pell import DepthCounts, uniform_common_counts
from isoparam.solvers.profiles import ProfileProblem
from isoparam.solvers.spread import (
    SpreadProblem,
)
from isoparam.solvers.uniform import closest_width

MAX_SEARCHED = 10**200
"""The largest budget a common-budget search covers: the number theory's cost grows with
the budget's length (about a second at 10^200, a minute at 10^1000)."""


def check_search_range(low: int, high: int) -> None:
    if low < 1 or high < low:
        raise IsoparamError(
            f"the budget range [{power_text(low)}, {power_text(high)}] is empty"
            + (" (the largest budget searched is 10^100 by default)" if high == 10**100 else "")
        )
    if high > MAX_SEARCHED:
        raise IsoparamError(
            f"a common-budget search covers budgets up to 10^200, and this one would reach "
            f"{shown(high)}: ask for a smaller budget"
        )


def model_depths(request: FamilyRequest) -> list[DepthCounts]:
    """Each depth's uniform count and width bounds, for the Pell search: with a width step
    ``K`` the count of width ``K*t`` as a quadratic in ``t``, and the bounds in steps."""
    step, (first, last) = request.width_step, request.grid
    return [
        DepthCounts(depth, request.model.uniform(depth).scaled(step), first, last, shown)
        for depth, shown in zip(request.depths, request.shown_depths, strict=True)
    ]


def common_budget(
    inputs: int | None = None,
    outputs: int | None = None,
    depths: DepthsLike | None = None,
    *,
    model: str | TorchFamily | None = None,
    near: int | None = None,
    window: int | str | Window | None = None,
    at_least: int = 1,
    max_params: int | None = None,
    bias: bool = True,
    norm: str = "none",
    norm_bias: bool = True,
    norm_affine: bool = True,
    max_spread: SpreadLike = 0,
    min_width: int = 1,
    max_width: int | None = None,
    profile: str | Profile = "rectangle",
    limits: SearchLimits | None = None,
    narrow: int = 4,
    width_step: int = 1,
    depth_convention: str = "hidden",
    progress: Callable[[int, int], None] | None = None,
) -> Budget:
    """A parameter count that every depth hits exactly, and the family at it.

    Parameters
    ----------
    inputs, outputs, depths, bias, norm, max_spread, min_width, max_width, profile, limits,
    narrow, width_step, depth_convention :
        The family, as for :func:`isoparam.family`. Under a profile other than the
        rectangle every depth hits the budget exactly along it, each width at most
        ``max_spread`` above the profile's widths at some scale.
    near : int, optional
        Search for the common budget closest to ``near`` within ``window`` (units, or a
        percentage of ``near`` such as ``"1%"``; default 5% of
        ``near``); a tie goes to the smaller budget.
    at_least, max_params : int
        Without ``near``: the smallest common budget in ``[at_least, max_params]``
        (default ``10^100`` with equal widths, ``at_least + 10^8`` with a spread or a
        profile).
    progress : callable, optional
        Called as ``progress(done, total)`` by the spread search as it advances.
    model : str or TorchFamily
        Refused (IsoparamError): a PyTorch model's count is known only where it is built.

    Returns
    -------
    Budget
        The budget, the family at it, the range searched and whether the common budgets
        found are all there are (``complete``), with the reasoning in ``explanation``.

    Raises
    ------
    NotFound
        When no common budget lies in the range, saying whether none exists at all.
    IsoparamError
        For a bad value.

    References: the generalized Pell equation ``x^2 - D y^2 = N`` and its class
    representatives bounded by Nagell's theorem (T. Nagell, *Introduction to Number
    Theory*, 1951, Thm. 108); see ``docs/mathematics.md``.

    >>> found = common_budget(4, 3, "1-2", bias=False)
    >>> found.budget, [a.widths for a in found.family.architectures]
    (98, [(14,), (7, 7)])
    """
    if model is not None:
        raise IsoparamError(
            "common_budget does not take a PyTorch model: its answers (the smallest or "
            "nearest common budget, or none in a range) are claims about every width, and "
            "a model's count is known only at the widths that are built; a quadratic "
            "fitted from builds is not proven between them. Use family(model=..., "
            "params=...) per budget, which proves each width with two builds"
        )
    if inputs is None or outputs is None or depths is None:
        raise IsoparamError("common_budget needs inputs, outputs and depths")
    request = FamilyRequest.of(
        inputs,
        outputs,
        depths,
        bias=bias,
        norm=norm,
        norm_bias=norm_bias,
        norm_affine=norm_affine,
        max_spread=max_spread,
        min_width=min_width,
        max_width=max_width,
        profile=profile,
        limits=limits,
        narrow=narrow,
        width_step=width_step,
        depth_convention=depth_convention,
    )
    return search_budget(request, near, window, at_least, max_params, progress)


def search_budget(
    request: FamilyRequest,
    near: int | None = None,
    window: int | str | Window | None = None,
    at_least: int = 1,
    max_params: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Budget:
    """The common budget for a checked request: see :func:`common_budget`."""
    if near is None and window is not None:
        raise IsoparamError("a window applies around a budget to search near: give near")
    if near is not None and (max_params is not None or at_least != 1):
        raise IsoparamError(
            "a search near a budget covers its window, so the largest and smallest budgets "
            "(max params, at least) would be ignored: give one or the other"
        )
    if near is not None:
        check_positive("the budget to search near", near)
        reach = Window.parse("5%" if window is None else window).resolve(near)
        low, high, reference = max(1, near - reach), near + reach, near
    else:
        check_positive("the smallest budget", at_least)
        if max_params is not None:
            check_positive("the largest budget", max_params)
            high = max_params
        else:
            pell = request.spread.uniform and request.profile.rectangle
            high = 10**100 if pell else at_least + 10**8
        low, reference = at_least, at_least
    check_search_range(low, high)
    if 0 in request.depths:
        return _with_the_linear_model(request, low, high, near)
    counts = model_depths(request)
    spread = min(request.spread.resolve(max(1, closest_width(d.count, reference))) for d in counts)
    everything: tuple[int, ...] = ()
    if request.profile.rectangle and (spread == 0 or all(d.depth == 1 for d in counts)):
        search = uniform_common_counts(counts, low, high)
        complete, explanation = search.complete, search.explanation
        everything = search.everything
        if near is None:
            budget = next(search.budgets, None)
        else:
            budget = _nearest_uniform(counts, near, low, high)
    else:
        reaches, what = _reaches(request, spread, high)
        complete, explanation = (
            False,
            (
                f"each depth's exactly reachable counts {what}, assembled from its "
                f"{'offset tables' if request.profile.rectangle else 'value sets'} and "
                "intersected as bitsets",
            ),
        )
        window_bits = request.limits.window_bits
        if near is None:
            budget = next(common_counts(reaches, low, high, window_bits, progress), None)
        else:
            budget = nearest_common(
                reaches, request.shown_depths, near, high - near, window_bits, progress
            )
    if budget is None:
        raise NotFound(
            _none_found(request.shown_depths, low, high, near, complete, everything), explanation
        )
    fam = solve_family(replace(request, spread=Spread(spread)), budget)
    return Budget(budget, fam, low, high, complete, explanation)


def _reaches(request: FamilyRequest, spread: int, high: int) -> tuple[list[Reach], str]:
    """Each depth's exactly reachable counts, for budgets up to ``high``: with a spread of at
    most ``spread`` (widths in bounds), or along the profile with offsets up to it."""
    model, bounds = request.model, request.bounds
    if request.profile.rectangle:
        problems = [
            SpreadProblem(model, depth, high, bounds.low, bounds.high or high, request.limits)
            for depth in request.depths
        ]
        return (
            [partial(reachable_counts, problem, spread) for problem in problems],
            f"with spread at most {spread}",
        )
    profiles = [
        ProfileProblem(
            model, request.profile, depth, high, request.limits, step=request.width_step
        )
        for depth in request.depths
    ]
    return (
        [partial(problem.reachable, spread) for problem in profiles],
        f"along the profile {request.profile} with offsets up to {spread}",
    )


def _with_the_linear_model(
    request: FamilyRequest, low: int, high: int, near: int | None
) -> Budget:
    """Depth 0 (the linear model) has one count, so it is the only common budget there can
    be: it is one when every other depth hits it exactly (the family solver's answer at it
    is exact, or provably not)."""
    only = request.model.count_widths(())
    explanation = (f"depth 0 (the linear model) has exactly one count, {only}",)
    fam = solve_family(request, only)
    common = all(a.exact and a.reason is None for a in fam.architectures)
    if not common or not low <= only <= high:
        everything = (only,) if common else ()
        raise NotFound(
            _none_found(request.shown_depths, low, high, near, True, everything), explanation
        )
    return Budget(only, fam, low, high, True, explanation)


def _none_found(
    depths: tuple[int, ...],
    low: int,
    high: int,
    near: int | None,
    complete: bool,
    everything: tuple[int, ...],
) -> str:
    """What a search that found nothing in ``[low, high]`` has proven, and no more.

    >>> _none_found((2, 5), 116, 10**100, None, True, (115,))
    'the only common budget for depths 2, 5 is 115; none is >= 116'
    >>> _none_found((2, 5), 1, 100, None, False, ())
    'no common budget for depths 2, 5 in [1, 100]'
    """
    named = ", ".join(map(str, depths))
    if complete and not everything:
        return f"no common budget for depths {named} exists at all"
    scope = (
        f"none is >= {low}"
        if near is None and high == 10**100
        else f"none in [{low}, {power_text(high)}]"
    )
    if not complete:
        return f"no common budget for depths {named} in [{low}, {power_text(high)}]"
    if len(everything) == 1:
        return f"the only common budget for depths {named} is {everything[0]}; {scope}"
    if len(everything) <= 6:
        listed = ", ".join(map(str, everything[:-1])) + f" and {everything[-1]}"
        return f"the only common budgets for depths {named} are {listed}; {scope}"
    return (
        f"the common budgets for depths {named} are {len(everything)}, from "
        f"{everything[0]} to {everything[-1]}; {scope}"
    )


def _nearest_uniform(counts: list[DepthCounts], near: int, low: int, high: int) -> int | None:
    """The common budget of equal widths closest to ``near`` in ``[low, high]`` (the
    smaller on a tie): the first at or above ``near``, and the last below it found in
    ranges that double downward from ``near``, so the walk never covers more than twice
    the distance to the answer (one period of a periodic family at most).
    """
    above = next(uniform_common_counts(counts, max(low, near), high).budgets, None)
    below = None
    reach = 1
    while True:
        start = max(low, near - reach)
        if start <= near - 1:
            found = list(uniform_common_counts(counts, start, near - 1).budgets)
            if found:
                below = found[-1]
                break
        if start == low:
            break
        reach *= 2
    options = [b for b in (below, above) if b is not None]
    return min(options, key=lambda b: (abs(b - near), b)) if options else None
