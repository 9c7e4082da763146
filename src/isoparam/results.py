"""The results isoparam returns: frozen dataclasses, comparable, hashable, serialisable."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise

from isoparam.families.mlp import CountingModel
from isoparam.request import (
    ShapeRules,
    within,
)


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
    constructed_above: int | None = None
    """Set when exact widths were built beyond the exhaustive search, which proved only
    that no spread up to this one hits the budget; a smaller spread may then exist."""

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

    @property
    def spread(self) -> int:
        """``max(widths) - min(widths)``."""
        return max(self.widths) - min(self.widths)

    @property
    def funnel(self) -> bool:
        """Whether the widths never increase from input to output."""
        return all(left >= right for left, right in pairwise(self.widths))


@dataclass(frozen=True)
class Family:
    """A family of architectures, one per depth, all aimed at the budget ``target``."""

    inputs: int
    outputs: int
    target: int
    counting: CountingModel
    tolerance: Fraction | None
    architectures: tuple[Architecture, ...]
    max_spread: int | str = 0
    min_width: int = 1
    max_width: int | None = None
    profile: str = "rectangle"

    def _repr_html_(self) -> str:
        """Jupyter shows a family as its table."""
        from isoparam.render import render

        return render(self, "html")

    @property
    def all_within_tolerance(self) -> bool:
        """True unless a tolerance was given and some depth lies outside it."""
        return all(arch.within_tolerance is not False for arch in self.architectures)


def measure(
    counting: CountingModel,
    inputs: int,
    outputs: int,
    widths: tuple[int, ...],
    target: int,
    band: Fraction | None,
    constructed_above: int | None = None,
) -> Architecture:
    """The architecture with these widths, counted and held against the target."""
    total = counting.count((inputs, *widths, outputs))
    return Architecture(
        inputs=inputs,
        outputs=outputs,
        widths=widths,
        params=total,
        deviation=total - target,
        counting=counting,
        within_tolerance=None if band is None else within(total - target, target, band),
        constructed_above=constructed_above,
    )


@dataclass(frozen=True)
class Budget:
    """A common budget, the family at it (every depth exact) and what the search covered."""

    budget: int
    family: Family
    low: int
    high: int
    complete: bool
    explanation: tuple[str, ...]


@dataclass(frozen=True)
class ShapeCounts:
    """How many shapes each budget has, under one set of rules."""

    rules: ShapeRules
    counts: tuple[tuple[int, int], ...]
    """``(budget, number of shapes)`` pairs, budgets ascending."""
