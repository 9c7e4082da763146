"""The results isoparam returns: frozen dataclasses, comparable, hashable, serialisable.

They know nothing of formats: :mod:`isoparam.render` decides how each looks, and installs
Jupyter's ``_repr_html_`` on them when the package is imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import pairwise

from isoparam.errors import IsoparamError, shown
from isoparam.families.builder import Audit, TorchFamily
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
    searched_up_to: int | None = None
    """Set when the search went beyond its exhaustive tables: it proved that no network
    with spread (or offset from the profile) up to this one comes closer. Below
    :attr:`spread_bound` the widths are the best found, and a closer network with a larger
    spread may exist; at the bound they are proven closest, without the tie rules."""
    spread_bound: int = 0
    """The spread (or offset from a profile) this depth was allowed, in units: a
    percentage resolved against the depth's closest uniform width."""
    reason: str | None = None
    """Why this depth cannot meet the request (then the widths are its smallest network),
    or None when it is answered."""
    offset: int | None = None
    """Under a profile other than the rectangle: how far the widths lie above it (what
    ``--max-spread`` bounds there, see :meth:`Profile.offset`); None otherwise."""

    @classmethod
    def measure(
        cls,
        model: MLP,
        widths: tuple[int, ...],
        target: int,
        band: Fraction | None = None,
        constructed_above: int | None = None,
        searched_up_to: int | None = None,
        spread_bound: int = 0,
        reason: str | None = None,
        profile: Profile | None = None,
    ) -> Architecture:
        """The architecture with these widths, counted and held against ``target``; under a
        ``profile`` other than the rectangle, its offset from it. Raises
        :class:`IsoparamError` when the widths fall below the profile at every scale."""
        total = model.count_widths(widths)
        offset = None
        if profile is not None and not profile.rectangle:
            offset = profile.offset(widths, model.outputs)
            if offset is None:
                raise IsoparamError(
                    f"the widths {shown(widths)} fall below the profile {profile} at every scale"
                )
        return cls(
            model=model,
            widths=widths,
            params=total,
            deviation=total - target,
            within_tolerance=None if band is None else within(total - target, target, band),
            constructed_above=constructed_above,
            searched_up_to=searched_up_to,
            spread_bound=spread_bound,
            reason=reason,
            offset=offset,
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
        """What ``--max-spread`` bounds: the :attr:`offset` from the profile under one,
        else :attr:`width_range` (the two coincide for the rectangle)."""
        return self.width_range if self.offset is None else self.offset

    @property
    def status(self) -> str:
        """``impossible``, ``best found``, ``closest``, ``exact*`` or ``exact``: what was
        proven about this row (the ``status`` column and JSON key)."""
        if self.reason is not None:
            return "impossible"
        if not self.proven_closest:
            return "best found"
        if not self.exact:
            return "closest"
        return "exact" if self.constructed_above is None else "exact*"

    @property
    def proven_closest(self) -> bool:
        """Whether no network within the request comes closer (also beyond the tables)."""
        return self.searched_up_to is None or self.searched_up_to >= self.spread_bound

    @property
    def width_range(self) -> int:
        """``max(widths) - min(widths)`` (0 for the linear model, which has none)."""
        return max(self.widths, default=0) - min(self.widths, default=0)

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
    under: bool = False
    """Whether only counts at or under the budget qualified."""
    narrow: int = 4
    """Networks with a hidden width below this are flagged as bottlenecks (0: never)."""
    depth_convention: str = "hidden"
    """What the depths shown count: hidden layers, or linear layers (hidden + 1)."""
    width_step: int = 1
    """Every hidden width is a multiple of this."""

    def shown_depth(self, arch: Architecture) -> int:
        """The depth of ``arch`` in the family's convention."""
        return arch.depth + (self.depth_convention == "linear")

    def is_narrow(self, arch: Architecture) -> bool:
        """Whether ``arch`` has a hidden width below :attr:`narrow` (a bottleneck)."""
        return min(arch.widths, default=self.narrow) < self.narrow

    @property
    def all_answered(self) -> bool:
        """Whether every depth met the request (no row is impossible)."""
        return all(arch.reason is None for arch in self.architectures)

    @property
    def all_within_tolerance(self) -> bool:
        """True unless a tolerance was given and some depth lies outside it."""
        return all(arch.within_tolerance is not False for arch in self.architectures)


@dataclass(frozen=True)
class FamilyGrid:
    """One family per budget, for sweeps over sizes x depths (all with one request)."""

    families: tuple[Family, ...]

    @property
    def all_answered(self) -> bool:
        return all(fam.all_answered for fam in self.families)

    @property
    def all_within_tolerance(self) -> bool:
        return all(fam.all_within_tolerance for fam in self.families)


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


@dataclass(frozen=True)
class ModelCount:
    """One member of a model family, counted by building it: ``isoparam params --model``."""

    model: TorchFamily
    depth: int
    width: int
    params: int
    audit: Audit


STATUSES = ("exact", "closest", "under", "not proven")
"""What a :class:`ModelRow` claims: hits the budget; provably closest on the grid; provably
the largest width at or under the budget; or an answer whose proof assumed a monotone count
that a spot check found false."""


@dataclass(frozen=True)
class Certificate:
    """The builds that prove a row under the sole assumption that the count never decreases
    as the width grows: ``below`` is ``(width, count)`` of the largest grid width whose count
    is at or under the budget, ``above`` the next grid width and its count, over the budget.
    ``below`` is None when even the smallest width is over, ``above`` when the largest
    allowed width is under."""

    below: tuple[int, int] | None
    above: tuple[int, int] | None


@dataclass(frozen=True)
class ModelRow:
    """One depth of a model family: the chosen grid width, its count and its proof."""

    depth: int
    width: int
    params: int
    deviation: int
    status: str
    certificate: Certificate
    builds: int
    """Members built at this depth to find and prove the width (and the second knob)."""
    fine_name: str | None = None
    """The second knob, a builder argument solved at the chosen width (``--fine``)."""
    fine_value: int | None = None
    fine_certificate: Certificate | None = None
    """The knob's proof, as ``certificate`` is the width's: ``(value, count)`` pairs at the
    largest knob value at or under the budget and at the next one. ``certificate`` then
    proves the width with the builder's own value of the knob."""

    @property
    def fine_ratio(self) -> Fraction | None:
        """The knob's value divided by the width (4 for GPT-2's feed-forward size)."""
        return None if self.fine_value is None else Fraction(self.fine_value, self.width)

    @property
    def target(self) -> int:
        return self.params - self.deviation

    @property
    def relative_deviation(self) -> Fraction:
        return Fraction(self.deviation, self.target)


@dataclass(frozen=True)
class ModelFamily:
    """One width per depth on the grid ``width_step * j`` within ``bounds``, closest to
    ``target`` (or, with ``under``, the largest at or under it)."""

    model: TorchFamily
    target: int
    rows: tuple[ModelRow, ...]
    width_step: int
    bounds: WidthBounds
    under: bool = False
    fit_builds: int = 0
    """Builds spent once for the whole family, fitting the width predictor."""
    fine: str | None = None
    """The builder argument solved at each chosen width, if any (``--fine``)."""
    fine_step: int = 1
    """The knob's values are multiples of it."""

    def member(self, row: ModelRow) -> TorchFamily:
        """The family whose member at ``(row.depth, row.width)`` is the row's model: the
        knob's value set when one was solved."""
        if row.fine_name is None or row.fine_value is None:
            return self.model
        return self.model.with_option(row.fine_name, row.fine_value)

    @property
    def proven(self) -> bool:
        """Whether every row is proven (no spot check found the count non-monotone)."""
        return all(row.status != "not proven" for row in self.rows)
