"""The results isoparam returns: frozen dataclasses, comparable, hashable, serialisable.

They know nothing of formats: :mod:`isoparam.render` decides how each looks, and installs
Jupyter's ``_repr_html_`` on them when the package is imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import pairwise

from isoparam.families.mlp import MLP
from isoparam.request import Profile, ShapeRules, Spread, WidthBounds, within


@dataclass(frozen=True)
class Architecture:
    """One network of a family: its hidden widths and its exact count against the target."""

    model: MLP
    widths: tuple[int, ...]
    params: int
    deviation: int
    within_tolerance: bool | None = None
    constructed_above: int | None = None
    """Set when exact widths were built beyond the exhaustive search, which proved only
    that no spread up to this one hits the budget; a smaller spread may then exist."""

    @classmethod
    def measure(
        cls,
        model: MLP,
        widths: tuple[int, ...],
        target: int,
        band: Fraction | None = None,
        constructed_above: int | None = None,
    ) -> Architecture:
        """The architecture with these widths, counted and held against ``target``."""
        total = model.count_widths(widths)
        return cls(
            model=model,
            widths=widths,
            params=total,
            deviation=total - target,
            within_tolerance=None if band is None else within(total - target, target, band),
            constructed_above=constructed_above,
        )

    @property
    def depth(self) -> int:
        return len(self.widths)

    @property
    def target(self) -> int:
        return self.params - self.deviation

    @property
    def sizes(self) -> tuple[int, ...]:
        """The full shape, input size first and output size last."""
        return self.model.sizes(self.widths)

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

    model: MLP
    target: int
    architectures: tuple[Architecture, ...]
    tolerance: Fraction | None = None
    max_spread: Spread = field(default_factory=Spread)
    bounds: WidthBounds = field(default_factory=WidthBounds)
    profile: Profile = field(default_factory=Profile)

    @property
    def all_within_tolerance(self) -> bool:
        """True unless a tolerance was given and some depth lies outside it."""
        return all(arch.within_tolerance is not False for arch in self.architectures)


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


@dataclass(frozen=True)
class ShapeListing:
    """Shapes with exactly ``budget`` parameters under one set of rules, in the order
    listed (``isoparam shapes`` streams them; this holds a listing read back from JSON)."""

    budget: int
    rules: ShapeRules
    shapes: tuple[tuple[int, ...], ...]
