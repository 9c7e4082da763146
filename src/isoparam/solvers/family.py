"""Iso-parameter families: one architecture per depth, each as close to the budget as possible."""

from __future__ import annotations

from isoparam.errors import IsoparamError
from isoparam.families.mlp import CountingModel, check_positive
from isoparam.request import (
    DepthsLike,
    ToleranceLike,
    parse_depths,
    parse_tolerance,
    resolve_spread,
)
from isoparam.results import Family, measure
from isoparam.solvers.profiles import ProfileProblem, closest_on_profile, profile_ratios
from isoparam.solvers.spread import (
    SpreadProblem,
    closest_with_spread,
)
from isoparam.solvers.uniform import closest_width


def family(
    inputs: int,
    outputs: int,
    params: int,
    depths: DepthsLike,
    *,
    bias: bool = True,
    norm: str = "none",
    max_spread: int | str = 0,
    min_width: int = 1,
    max_width: int | None = None,
    tolerance: ToleranceLike | None = None,
    profile: str = "rectangle",
) -> Family:
    """For each depth, the hidden widths whose count is closest to ``params``.

    ``bias`` and ``norm`` say how parameters are counted (see :class:`CountingModel`).
    With ``max_spread`` 0 the widths are equal; above 0 they may differ by at most that many
    units, or by a percentage of the depth's best uniform width (``"2%"``, rounded down).
    Every width lies in ``[min_width, max_width]``. The answer is exact when the budget can
    be hit, and otherwise the provably closest count. Ties go, in order, to the smallest
    spread, a funnel (widths never increasing), a count under the budget, and the
    lexicographically greatest widths. Where a large spread outgrows the exhaustive search,
    exact widths are constructed instead and ``constructed_above`` on the architecture says
    how far the smallest spread is proven. A ``profile`` other than ``rectangle`` (see
    :func:`isoparam.profiles.profile_ratios`) makes the widths follow a taper instead:
    then ``max_spread`` bounds how far each width may exceed the profile at its scale.

    >>> fam = family(784, 10, 100_000, "5-6")
    >>> [(a.depth, a.widths[0], a.params, a.deviation) for a in fam.architectures]
    [(5, 87, 99799, -201), (6, 82, 99230, -770)]
    >>> exact = family(4, 3, 1000, [8], bias=False, max_spread=2).architectures[0]
    >>> exact.widths, exact.params
    ((13, 12, 11, 12, 11, 11, 11, 11), 1000)
    """
    check_positive("the input size", inputs)
    check_positive("the output size", outputs)
    check_positive("the budget", params)
    check_positive("the min width", min_width)
    if max_width is not None:
        check_positive("the max width", max_width)
        if max_width < min_width:
            raise IsoparamError(
                f"no width lies between the min width {min_width} and the max width {max_width}"
            )
    band = None if tolerance is None else parse_tolerance(tolerance)
    model = CountingModel(bias=bias, norm=norm)
    profile_ratios(profile, 1)  # refuse an unknown profile before any work
    shaped = profile != "rectangle"
    if shaped and (min_width != 1 or max_width is not None):
        raise IsoparamError(
            f"width bounds apply to the rectangle profile only, not to {profile!r}"
        )
    architectures = []
    for depth in parse_depths(depths):
        count = model.uniform(inputs, outputs, depth)
        if params < count(min_width):
            raise IsoparamError(
                f"the budget {params} is too small for depth {depth}: its smallest network "
                f"(every hidden width {min_width}) has {count(min_width)} parameters"
            )
        spread = resolve_spread(max_spread, closest_width(count, params))
        if shaped:
            ratios = profile_ratios(profile, depth)
            shape = ProfileProblem(model, inputs, outputs, ratios, params)
            answer = closest_on_profile(shape, spread)
        else:
            high = params if max_width is None else max_width
            problem = SpreadProblem(model, inputs, outputs, depth, params, min_width, high)
            answer = closest_with_spread(problem, spread)
        architectures.append(
            measure(model, inputs, outputs, answer.widths, params, band, answer.constructed_above)
        )
    return Family(
        inputs=inputs,
        outputs=outputs,
        target=params,
        counting=model,
        tolerance=band,
        architectures=tuple(architectures),
        max_spread=max_spread,
        min_width=min_width,
        max_width=max_width,
        profile=profile,
    )
