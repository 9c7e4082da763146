"""Iso-parameter families: one architecture per depth, each as close to the budget as possible."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any, overload

from isoparam.errors import IsoparamError
from isoparam.families.builder import TorchFamily
from isoparam.families.mlp import check_positive
from isoparam.request import (
    DepthsLike,
    FamilyRequest,
    Profile,
    SearchLimits,
    Spread,
    SpreadLike,
    ToleranceLike,
    parse_budgets,
    parse_tolerance,
)
from isoparam.results import Architecture, Family, FamilyGrid, ModelFamily
from isoparam.solvers.grid import grid_family
from isoparam.solvers.profiles import ProfileProblem, closest_on_profile
from isoparam.solvers.search import SearchAnswer
from isoparam.solvers.spread import SpreadProblem, closest_with_spread
from isoparam.solvers.uniform import closest_width, floor_width


@overload
def family(
    inputs: int,
    outputs: int,
    params: int,
    depths: DepthsLike,
    *,
    bias: bool = True,
    norm: str = "none",
    norm_bias: bool = True,
    norm_affine: bool = True,
    max_spread: SpreadLike = 0,
    min_width: int = 1,
    max_width: int | None = None,
    tolerance: ToleranceLike | None = None,
    profile: str | Profile = "rectangle",
    limits: SearchLimits | None = None,
    under: bool = False,
    narrow: int = 4,
    depth_convention: str = "hidden",
    width_step: int = 1,
) -> Family: ...


@overload
def family(
    *,
    model: str | TorchFamily,
    params: int,
    depths: DepthsLike,
    min_width: int | None = None,
    max_width: int | None = None,
    under: bool = False,
    width_step: int | None = None,
    fine: str | None = None,
    fine_step: int = 1,
) -> ModelFamily: ...


def family(
    inputs: int | None = None,
    outputs: int | None = None,
    params: int | None = None,
    depths: DepthsLike | None = None,
    *,
    bias: bool = True,
    norm: str = "none",
    norm_bias: bool = True,
    norm_affine: bool = True,
    max_spread: SpreadLike = 0,
    min_width: int | None = None,
    max_width: int | None = None,
    tolerance: ToleranceLike | None = None,
    profile: str | Profile = "rectangle",
    limits: SearchLimits | None = None,
    under: bool = False,
    narrow: int = 4,
    depth_convention: str = "hidden",
    width_step: int | None = None,
    model: str | TorchFamily | None = None,
    fine: str | None = None,
    fine_step: int = 1,
) -> Family | ModelFamily:
    """For each depth, the hidden widths whose count is closest to ``params``.

    Parameters
    ----------
    inputs, outputs : int
        The input and output sizes (units, >= 1).
    params : int
        The budget: the number of parameters every depth aims at (>= 1).
    depths : str or iterable of int
        Numbers of hidden layers, ``"5-12"``, ``"3,5,8"`` or ``[5, 6]``.
    bias, norm :
        How parameters are counted (see :class:`isoparam.CountingModel`).
    max_spread : int or str
        With 0 the widths are equal; above 0 they may differ by at most that many units,
        or by a percentage of the depth's closest uniform width (``"2%"``, rounded down).
    min_width, max_width : int
        Every hidden width lies in ``[min_width, max_width]``.
    tolerance : str, int, float or Fraction, optional
        A relative band such as ``"1%"``: each architecture says whether it lies within.
    profile : str
        A taper the widths follow (see :data:`isoparam.PROFILES`); ``max_spread`` then bounds
        how far each width may exceed the profile at its scale.
    width_step : int
        Every hidden width a multiple of this (equal widths only, for now).
    depth_convention : str
        ``"hidden"`` (the default): depths count hidden layers; ``"linear"``: they count
        linear layers, hidden + 1, as BUTTER and many papers do.
    narrow : int
        Flag networks with a hidden width below this (a bottleneck); 0 flags none.
    under : bool
        Only counts at or under ``params`` qualify: the closest from below, as a hard cap.
    limits : SearchLimits, optional
        How far the exhaustive searches may go before exact widths are constructed.
    model : str or TorchFamily, optional
        Instead of an MLP (``inputs`` and ``outputs`` then left out), a PyTorch model
        family: a built-in name, ``MODULE:FUNCTION`` or :func:`isoparam.model_family`'s
        result. Only ``params``, ``depths``, the width bounds, ``width_step`` (default: the
        model's head size), ``under``, ``fine`` and ``fine_step`` apply; the answer is
        :func:`isoparam.grid_family`'s, a :class:`ModelFamily` proven by real builds.
    fine, fine_step :
        A second knob of a ``model`` (see :func:`isoparam.grid_family`).

    Returns
    -------
    Family
        One :class:`Architecture` per depth. It is exact when the budget can be hit, and
        otherwise the provably closest count. Ties go, in order, to the smallest spread, a
        funnel (widths never increasing), a count under the budget, and the
        lexicographically greatest widths. Where a large spread outgrows the exhaustive
        search, exact widths are constructed instead and ``constructed_above`` says how far
        the smallest spread is proven.

    Raises
    ------
    IsoparamError
        For a bad value, or a budget below the smallest network of some depth.

    Complexity: closed form (``isqrt``) per depth for equal widths; with a spread, offset
    tables of ``O(L^2 d^3)`` bits per depth (see :mod:`isoparam.solvers.spread`).

    >>> fam = family(784, 10, 100_000, "5-6")
    >>> [(a.depth, a.widths[0], a.params, a.deviation) for a in fam.architectures]
    [(5, 87, 99799, -201), (6, 82, 99230, -770)]
    >>> exact = family(4, 3, 1000, [8], bias=False, max_spread=2).architectures[0]
    >>> exact.widths, exact.params
    ((13, 12, 11, 12, 11, 11, 11, 11), 1000)
    >>> [r.width for r in family(model="resnet", params=270_000, depths="3", width_step=1).rows]
    [16]
    """
    mlp_only = {
        "inputs": inputs is not None,
        "outputs": outputs is not None,
        "bias": not bias,
        "norm": norm != "none",
        "norm_bias": not norm_bias,
        "norm_affine": not norm_affine,
        "max_spread": Spread.parse(max_spread) != Spread(),
        "tolerance": tolerance is not None,
        "profile": Profile.parse(profile) != Profile(),
        "limits": limits is not None,
        "narrow": narrow != 4,
        "depth_convention": depth_convention != "hidden",
    }
    if model is not None:
        ignored = [name for name, given in mlp_only.items() if given]
        if ignored or params is None or depths is None:
            raise IsoparamError(
                "a model family takes params, depths, min_width, max_width, width_step, "
                "under, fine and fine_step"
                + (
                    f"; not {', '.join(ignored)} (MLP options)"
                    if ignored
                    else ", and needs params and depths"
                )
            )
        return grid_family(
            model,
            params,
            depths,
            width_step=width_step,
            min_width=min_width,
            max_width=max_width,
            under=under,
            fine=fine,
            fine_step=fine_step,
        )
    if inputs is None or outputs is None or params is None or depths is None or fine:
        raise IsoparamError(
            "an MLP family needs inputs, outputs, params and depths (fine applies to a model=...)"
        )
    request = FamilyRequest.of(
        inputs,
        outputs,
        depths,
        bias=bias,
        norm=norm,
        norm_bias=norm_bias,
        norm_affine=norm_affine,
        max_spread=max_spread,
        min_width=1 if min_width is None else min_width,
        max_width=max_width,
        profile=profile,
        limits=limits,
        under=under,
        narrow=narrow,
        depth_convention=depth_convention,
        width_step=1 if width_step is None else width_step,
    )
    band = None if tolerance is None else parse_tolerance(tolerance)
    return solve_family(request, params, band)


def family_grid(
    inputs: int,
    outputs: int,
    budgets: str | Iterable[int],
    depths: DepthsLike,
    *,
    tolerance: ToleranceLike | None = None,
    **options: Any,
) -> FamilyGrid:
    """One family per budget: the sizes x depths grid of a study in one call.

    Parameters
    ----------
    inputs, outputs, depths, tolerance :
        As for :func:`family`.
    budgets : str or iterable of int
        A text such as ``"2^10..2^25"`` or ``"1024,2048"`` (see
        :func:`isoparam.request.parse_budgets`), or integers; repeats are merged.
    options :
        Any other keyword of :func:`family` (spread, profile, bounds, counting, ...).

    Returns
    -------
    FamilyGrid
        One :class:`Family` per budget, ascending, each as :func:`family` gives it.

    Raises
    ------
    IsoparamError
        As :func:`family` does, for any budget; for an empty grid.

    Complexity: one :func:`family` per budget (the request is checked once).

    >>> grid = family_grid(784, 10, "2^16..2^17", "2-3")
    >>> [(fam.target, [a.widths[0] for a in fam.architectures]) for fam in grid.families]
    [(65536, [75, 70]), (131072, [140, 125])]
    """
    request = FamilyRequest.of(inputs, outputs, depths, **options)
    band = None if tolerance is None else parse_tolerance(tolerance)
    sizes = parse_budgets(budgets) if isinstance(budgets, str) else tuple(sorted(set(budgets)))
    if not sizes:
        raise IsoparamError("the budget grid is empty")
    return grid_of(tuple(solve_family(request, size, band, whole=False) for size in sizes))


def grid_of(families: tuple[Family, ...]) -> FamilyGrid:
    """The families of a budget grid, refused only when no budget answers any depth (a
    sweep keeps the rows that a small budget cannot meet, as ``impossible``)."""
    if not any(arch.reason is None for fam in families for arch in fam.architectures):
        raise IsoparamError(families[0].architectures[0].reason or "no budget answers")
    return FamilyGrid(families)


def solve_family(
    request: FamilyRequest,
    params: int,
    tolerance: Fraction | None = None,
    progress: Callable[[int, int], None] | None = None,
    whole: bool = True,
) -> Family:
    """The family for a request already checked, at one budget: :func:`family`'s engine.

    Parameters
    ----------
    request : FamilyRequest
        The typed request (:meth:`FamilyRequest.of` checks the user's values once).
    params : int
        The budget (parameters, >= 1).
    tolerance : Fraction, optional
        A relative band (:func:`parse_tolerance`); rows say whether they lie within.
    progress : callable, optional
        ``progress(done, total)``, called before each depth.
    whole : bool
        Refuse a family where no depth can be answered (False: return its ``impossible``
        rows, as one budget of a grid).

    Returns
    -------
    Family
        As :func:`family` describes; a depth the budget cannot reach is an ``impossible``
        row, unless no depth can be answered.

    Raises
    ------
    IsoparamError
        For a budget below 1, or below the smallest network of every depth.

    >>> request = FamilyRequest.of(784, 10, "5-6")
    >>> [a.params for a in solve_family(request, 100_000).architectures]
    [99799, 99230]
    """
    check_positive("the budget", params)
    model, bounds = request.model, request.bounds
    architectures = []
    (first, last), step = request.grid, request.width_step
    for done, depth in enumerate(request.depths):
        if progress is not None:
            progress(done, len(request.depths))
        if depth and not request.profile.rectangle:
            at_one = request.profile.widths(depth, 1, model.outputs)
            smallest = tuple(-(-w // step) * step for w in at_one)
            on_grid = f", on multiples of {step}" if step > 1 else ""
            which = f"(the profile {request.profile} at scale 1{on_grid})"
        else:
            smallest = (step * first,) * depth
            which = f"(every hidden width {step * first})" if depth else "(the linear model)"
        if params < model.count_widths(smallest):
            reason = (
                f"the budget {params} is too small for depth {depth}: its smallest network "
                f"{which} has {model.count_widths(smallest)} parameters"
            )
            architectures.append(
                Architecture.measure(
                    model, smallest, params, tolerance, reason=reason, profile=request.profile
                )
            )
            continue
        if depth == 0:  # the linear model: one network, whatever the widths
            architectures.append(
                Architecture.measure(model, (), params, tolerance, profile=request.profile)
            )
            continue
        count = model.uniform(depth)
        spread = request.spread.resolve(closest_width(count, params))
        if step > 1 and request.profile.rectangle:  # equal widths on the grid, width step * t
            grid = count.scaled(step)
            t = floor_width(grid, params) if request.under else closest_width(grid, params)
            t = max(first, t if last is None else min(t, last))
            answer = SearchAnswer((step * t,) * depth)
        elif request.profile.rectangle:
            high = params if bounds.high is None else bounds.high
            problem = SpreadProblem(
                model, depth, params, bounds.low, high, request.limits, request.under
            )
            answer = closest_with_spread(problem, spread)
        else:
            shape = ProfileProblem(
                model, request.profile, depth, params, request.limits, request.under, step
            )
            answer = closest_on_profile(shape, spread)
        architectures.append(
            Architecture.measure(
                model,
                answer.widths,
                params,
                tolerance,
                constructed_above=answer.constructed_above,
                searched_up_to=answer.searched_up_to,
                spread_bound=spread,
                profile=request.profile,
            )
        )
    answered = [arch for arch in architectures if arch.reason is None]
    if whole and not answered:
        raise IsoparamError(architectures[0].reason)
    return Family(
        model=model,
        target=params,
        architectures=tuple(architectures),
        tolerance=tolerance,
        max_spread=request.spread,
        bounds=bounds,
        profile=request.profile,
        under=request.under,
        narrow=request.narrow,
        depth_convention=request.depth_convention,
        width_step=request.width_step,
    )
