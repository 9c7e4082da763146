"""Iso-parameter families: one architecture per depth, each as close to the budget as possible."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from isoparam.counting import CountingModel, check_positive
from isoparam.depths import DepthsLike, parse_depths
from isoparam.errors import IsoparamError
from isoparam.tolerance import ToleranceLike, parse_tolerance, within
from isoparam.uniform import closest_width


@dataclass(frozen=True)
class Architecture:
    """One network of a family: its hidden widths and its exact count against the target."""

    inputs: int
    outputs: int
    widths: tuple[int, ...]
    params: int
    deviation: int
    counting: CountingModel
    within_tolerance: bool | None = None

    @property
    def depth(self) -> int:
        return len(self.widths)

    @property
    def target(self) -> int:
        return self.params - self.deviation

    @property
    def sizes(self) -> tuple[int, ...]:
        """The full shape, input size first and output size last."""
        return (self.inputs, *self.widths, self.outputs)

    @property
    def relative_deviation(self) -> Fraction:
        """``(params - target) / target``, exactly."""
        return Fraction(self.deviation, self.target)

    @property
    def exact(self) -> bool:
        return self.deviation == 0


@dataclass(frozen=True)
class Family:
    """A family of architectures, one per depth, all aimed at the budget ``target``."""

    inputs: int
    outputs: int
    target: int
    counting: CountingModel
    tolerance: Fraction | None
    architectures: tuple[Architecture, ...]

    def _repr_html_(self) -> str:
        """Jupyter shows a family as its table."""
        from isoparam.render import render

        return render(self, "html")

    @property
    def all_within_tolerance(self) -> bool:
        """True unless a tolerance was given and some depth lies outside it."""
        return all(arch.within_tolerance is not False for arch in self.architectures)


def family(
    inputs: int,
    outputs: int,
    params: int,
    depths: DepthsLike,
    *,
    bias: bool = True,
    norm: str = "none",
    max_spread: int = 0,
    tolerance: ToleranceLike | None = None,
) -> Family:
    """For each depth, the uniform hidden width whose count is closest to ``params``.

    ``bias`` and ``norm`` say how parameters are counted (see :class:`CountingModel`).
    A tie between two widths goes to the smaller one (the count under the budget).

    >>> fam = family(784, 10, 100_000, "5-6")
    >>> [(a.depth, a.widths[0], a.params, a.deviation) for a in fam.architectures]
    [(5, 87, 99799, -201), (6, 82, 99230, -770)]
    """
    check_positive("the input size", inputs)
    check_positive("the output size", outputs)
    check_positive("the budget", params)
    if max_spread != 0:
        raise IsoparamError(
            f"a max spread above 0 is not supported yet, got {max_spread!r}: "
            "only uniform widths (max spread 0) are available"
        )
    band = None if tolerance is None else parse_tolerance(tolerance)
    model = CountingModel(bias=bias, norm=norm)
    architectures = []
    for depth in parse_depths(depths):
        count = model.uniform(inputs, outputs, depth)
        if params < count(1):
            raise IsoparamError(
                f"the budget {params} is too small for depth {depth}: its smallest network "
                f"(every hidden width 1) has {count(1)} parameters"
            )
        width = closest_width(count, params)
        deviation = count(width) - params
        architectures.append(
            Architecture(
                inputs=inputs,
                outputs=outputs,
                widths=(width,) * depth,
                params=count(width),
                deviation=deviation,
                counting=model,
                within_tolerance=None if band is None else within(deviation, params, band),
            )
        )
    return Family(
        inputs=inputs,
        outputs=outputs,
        target=params,
        counting=model,
        tolerance=band,
        architectures=tuple(architectures),
    )
