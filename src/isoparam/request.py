"""Typed values parsed once at the edge: depth sets, tolerances, spreads, shape rules."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from typing import ClassVar, TypeVar

from isoparam.errors import MAX_DIGITS, IsoparamError, shown
from isoparam.families.mlp import MLP, CountingModel, check_positive

_ITEM = re.compile(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?")

DepthsLike = str | Iterable[int]

MAX_DEPTH = 1_000_000
"""The deepest network isoparam designs (its widths are listed one by one)."""

MAX_DEPTH_COUNT = 10_000
"""The most depths one request may name."""

DEPTH_CONVENTIONS = ("hidden", "linear")
"""What a depth counts: hidden layers (isoparam's default), or linear layers (hidden + 1),
as BUTTER and many papers count them."""


def hidden_depths(depths: DepthsLike, convention: str = "hidden") -> tuple[int, ...]:
    """The numbers of hidden layers that ``depths`` name under ``convention``.

    >>> hidden_depths("1-3", "linear"), hidden_depths("1-3")
    ((0, 1, 2), (1, 2, 3))
    """
    if convention not in DEPTH_CONVENTIONS:
        raise IsoparamError(
            f"unknown depth convention {convention!r}: choose {' or '.join(DEPTH_CONVENTIONS)}"
        )
    if convention == "hidden":
        return parse_depths(depths, minimum=0)
    return tuple(depth - 1 for depth in parse_depths(depths, minimum=1, counted="linear layers"))


def parse_depths(
    depths: DepthsLike, minimum: int = 1, counted: str = "hidden layers"
) -> tuple[int, ...]:
    """The depths named by ``depths``, ascending and without repeats.

    Parameters
    ----------
    depths : str or iterable of int
        A text of items ``5`` or ``5-12`` separated by commas (spaces allowed), or integers.
    minimum : int
        The smallest depth accepted (0 admits the linear model).
    counted : str
        What a depth counts, for messages (``"hidden layers"`` or ``"linear layers"``).

    Returns
    -------
    tuple of int
        The depths, each in ``[minimum, MAX_DEPTH]``.

    Raises
    ------
    IsoparamError
        For an empty set, a malformed item, a reversed range, a depth below ``minimum`` or
        above :data:`MAX_DEPTH`, or more than :data:`MAX_DEPTH_COUNT` depths, said before
        the set is built.

    Complexity: linear in the text's length (plus the number of depths named).

    >>> parse_depths("2-4,8")
    (2, 3, 4, 8)
    >>> parse_depths([7, 5, 7])
    (5, 7)
    """
    if isinstance(depths, str):
        found = _parse_text(depths)
    elif isinstance(depths, Iterable):
        found = set()
        for depth in depths:
            if isinstance(depth, bool) or not isinstance(depth, int):
                raise IsoparamError(f"a depth must be an integer, got {shown(depth)}")
            _check_depth(depth)
            found.add(depth)
            if len(found) > MAX_DEPTH_COUNT:
                raise IsoparamError(f"a depth set may name at most {MAX_DEPTH_COUNT} depths")
    else:
        raise IsoparamError(
            f"depths are a text such as '5-12' or a list of integers, got {shown(depths)}"
        )
    if not found:
        raise IsoparamError(f"the depth set {depths!r} is empty")
    smallest = min(found)
    if smallest < minimum:
        raise IsoparamError(
            f"a depth (number of {counted}) must be >= {minimum}, got {smallest} in {depths!r}"
        )
    return tuple(sorted(found))


def _check_depth(depth: int) -> None:
    if depth > MAX_DEPTH:
        raise IsoparamError(f"a depth must be at most {MAX_DEPTH}, got {shown(depth)}")


def _parse_text(text: str) -> set[int]:
    found: set[int] = set()
    if not text.strip():
        return found
    for item in text.split(","):
        match = _ITEM.fullmatch(item)
        if match is None:
            raise IsoparamError(
                f"cannot read the depth set {text!r} at {item.strip()!r}: "
                "write depths like 5-12, 3,5,8 or 2-4,8"
            )
        if max(len(group or "") for group in match.groups()) > 7:
            raise IsoparamError(f"a depth must be at most {MAX_DEPTH}, got {item.strip()!r}")
        low = int(match.group(1))
        high = int(match.group(2)) if match.group(2) is not None else low
        _check_depth(high)
        if len(found) + high - low + 1 > MAX_DEPTH_COUNT:
            raise IsoparamError(f"the depth set {text!r} names more than {MAX_DEPTH_COUNT} depths")
        if high < low:
            raise IsoparamError(
                f"the depth range {item.strip()!r} in {text!r} is empty: write it as {high}-{low}"
            )
        found.update(range(low, high + 1))
    return found


ToleranceLike = str | int | float | Fraction


def parse_tolerance(tolerance: ToleranceLike) -> Fraction:
    """The relative tolerance ``tolerance`` as an exact fraction of the budget.

    Parameters
    ----------
    tolerance : str, int, float or Fraction
        A percentage (``"5%"``) or a fraction below 1 (``0.05``, ``"1/20"``). A float is
        read through its shortest decimal form, so ``0.01`` means exactly 1/100.

    Returns
    -------
    Fraction
        The band's half-width relative to the budget, in ``[0, 1)`` for bare numbers.

    Raises
    ------
    IsoparamError
        For a negative value, a bare number of 1 or more (``5`` would mean ±500%: the
        message says to write ``5%``), or text that is not a number.

    Complexity: linear in the text's length.

    >>> parse_tolerance("1%")
    Fraction(1, 100)
    >>> parse_tolerance(0.05)
    Fraction(1, 20)
    """
    shown_value = shown(tolerance)
    if isinstance(tolerance, bool) or not isinstance(tolerance, str | int | float | Fraction):
        raise IsoparamError(f"a tolerance must be a number such as 0.01 or 1%, got {shown_value}")
    text = str(tolerance).strip() if not isinstance(tolerance, Fraction) else None
    try:
        if text is None:
            value = Fraction(tolerance)
        elif text.endswith("%"):
            value = exact_number(text[:-1]) / 100
        else:
            value = exact_number(text)
    except (ValueError, ZeroDivisionError):
        raise IsoparamError(
            f"a tolerance must be a number such as 0.01 or 1%, got {shown_value}"
        ) from None
    if value < 0:
        raise IsoparamError(f"a tolerance must be >= 0, got {shown_value}")
    if value >= 1 and not (text or "").endswith("%"):
        raise IsoparamError(
            f"a tolerance of {shown_value} would allow ±{_decimal(value * 100)}%: write a "
            f"percentage such as {_decimal(value)}% or a fraction below 1 such as 0.05"
        )
    return value


def within(deviation: int, target: int, tolerance: Fraction) -> bool:
    """Whether ``|deviation| <= tolerance * target``, decided in exact arithmetic."""
    return abs(deviation) * tolerance.denominator <= tolerance.numerator * target


def exact_number(text: str) -> Fraction:
    """The exact rational written as ``12``, ``0.5``, ``1e3`` or ``1/3``.

    Raises ValueError (or ZeroDivisionError) for anything else, and for numbers beyond
    ``10**MAX_DIGITS`` either way, checked before any expansion: the time is linear in the
    text's length.

    >>> exact_number("0.05"), exact_number("1/3"), exact_number("2e3")
    (Fraction(1, 20), Fraction(1, 3), Fraction(2000, 1))
    """
    if len(text) > 2 * MAX_DIGITS:
        raise ValueError(f"a number of {len(text)} characters")
    top, slash, bottom = text.partition("/")
    values = []
    for part in (top, bottom) if slash else (top,):
        try:
            number = Decimal(part.strip().replace("_", ""))
        except InvalidOperation:
            raise ValueError(part) from None
        if not number.is_finite() or (number and abs(number.adjusted()) > MAX_DIGITS):
            raise ValueError(part)
        values.append(Fraction(number))
    return values[0] / values[1] if slash else values[0]


AmountT = TypeVar("AmountT", bound="Amount")


@dataclass(frozen=True)
class Amount:
    """An amount in ``units``, or ``percent`` of a reference (a width, a budget), rounded
    down when resolved.

    >>> Amount.parse("2%").resolve(512), Amount.parse(3).resolve(512), str(Amount.parse("0.5%"))
    (10, 3, '0.5%')
    >>> Amount.parse("0") == Amount.parse(0) == Amount.parse("0%") == Amount()
    True
    """

    units: int = 0
    percent: Fraction | None = None
    what: ClassVar[str] = "an amount"

    @classmethod
    def parse(cls: type[AmountT], value: int | str | Amount) -> AmountT:
        """Read ``3``, ``"3"`` or ``"2%"``; raise :class:`IsoparamError` for anything else."""
        if isinstance(value, cls):
            return value
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            check_positive(cls.what, value, least=0)
            return cls(units=value)
        text = value.strip() if isinstance(value, str) else None
        try:
            if text is not None and text.endswith("%"):
                share = exact_number(text[:-1])
                if share >= 0:
                    return cls(percent=share) if share else cls()
            elif text is not None and len(text) <= MAX_DIGITS and text.isdigit():
                return cls(units=int(text))
        except (ValueError, ZeroDivisionError):
            pass
        raise IsoparamError(
            f"{cls.what} must be a number of units >= 0 or a percentage such as 2%, "
            f"got {shown(value)}"
        )

    def resolve(self, reference: int) -> int:
        """The amount in units, for a reference (100%) of ``reference``."""
        if self.percent is None:
            return self.units
        return int(self.percent * reference / 100)

    def __str__(self) -> str:
        if self.percent is None:
            return str(self.units)
        return f"{_decimal(self.percent)}%"


@dataclass(frozen=True)
class Spread(Amount):
    """A bound on ``max(w) - min(w)`` within a network (or, under a profile, on each
    width's offset from the profile): ``units``, or ``percent`` of the depth's closest
    uniform width, rounded down.

    >>> Spread.parse("2%").resolve(512), Spread.parse("0") == Spread()
    (10, True)
    """

    what: ClassVar[str] = "a max spread"

    @property
    def uniform(self) -> bool:
        """Whether every width must be equal (spread 0)."""
        return self.units == 0 and self.percent is None


@dataclass(frozen=True)
class Window(Amount):
    """How far from ``--near`` a common budget may lie: units, or a percentage of it."""

    what: ClassVar[str] = "a window"


SpreadLike = int | str | Spread


def _decimal(value: Fraction) -> str:
    """A fraction read from a decimal written back as that decimal (``1/2`` -> ``0.5``)."""
    if value.denominator == 1:
        return str(value.numerator)
    for places in range(1, 40):
        scaled = value * 10**places
        if scaled.denominator == 1:
            digits = str(abs(scaled.numerator)).rjust(places + 1, "0")
            sign = "-" if value < 0 else ""
            return f"{sign}{digits[:-places]}.{digits[-places:]}"
    return str(value)


ProfileWidths = Callable[[tuple[Fraction, ...], int, int, int], tuple[int, ...]]
"""A profile's hidden widths from its parsed values, at (depth, scale, output size)."""


@dataclass(frozen=True)
class ProfileKind:
    """One entry of the profile registry: its name, what its value means, its widths.

    ``widths(values, depth, scale, outputs)`` gives the profile's hidden widths at an
    integer ``scale >= 1``. The searches rely on two properties every kind must have: each
    width is nondecreasing in the scale, and some width is at least the scale.
    """

    name: str
    value: str | None
    """How the value after ``name:`` is written (``R``), or None when it takes none."""
    help: str
    widths: ProfileWidths

    @property
    def spelling(self) -> str:
        return self.name if self.value is None else f"{self.name}:{self.value}"


def by_ratios(
    ratios: Callable[[tuple[Fraction, ...], int], tuple[Fraction, ...]],
) -> ProfileWidths:
    """The widths of a profile given by relative widths ``r_i``: at scale ``s`` (the widest
    layer's width) ``max(1, floor(s * r_i / max r))``, nondecreasing in ``s``, the widest
    exactly ``s``.

    >>> halves = by_ratios(lambda _, depth: (Fraction(2),) + (Fraction(1),) * (depth - 1))
    >>> halves((), 3, 9, 10)
    (9, 4, 4)
    """

    def widths(values: tuple[Fraction, ...], depth: int, scale: int, _: int) -> tuple[int, ...]:
        shape = ratios(values, depth)
        top = max(shape)
        return tuple(max(1, int(scale * r / top)) for r in shape)

    return widths


def _trapezoid(values: tuple[Fraction, ...], depth: int) -> tuple[Fraction, ...]:
    (first,) = values
    steps = max(depth - 1, 1)
    return tuple(first + (1 - first) * Fraction(i, steps) for i in range(depth))


def _trapezoid_to_output(
    _: tuple[Fraction, ...], depth: int, scale: int, outputs: int
) -> tuple[int, ...]:
    """BUTTER's trapezoid: linear from ``scale`` at the first hidden layer to ``outputs``
    at the output layer, ``round(s - k (s - c) / L)`` for hidden layer ``k`` of ``L``
    (half to even, exactly). Each width is ``((L - k) s + k c) / L`` rounded, nondecreasing
    in ``s``; the first is ``s``.

    >>> _trapezoid_to_output((), 3, 100, 10)
    (100, 70, 40)
    """
    return tuple(round(Fraction((depth - k) * scale + k * outputs, depth)) for k in range(depth))


def _exponential_to_output(
    _: tuple[Fraction, ...], depth: int, scale: int, outputs: int
) -> tuple[int, ...]:
    """BUTTER's exponential: geometric from ``scale`` at the first hidden layer to
    ``outputs`` at the output layer, ``max(c, round(s (c / s)^(k / L)))`` for hidden layer
    ``k`` of ``L``, rounded exactly. ``s (c/s)^(k/L) = (s^(L-k) c^k)^(1/L)`` is
    nondecreasing in ``s``; the first width is ``max(c, s)``.

    >>> _exponential_to_output((), 3, 1000, 10)
    (1000, 215, 46)
    """
    if scale <= outputs:  # then every width is at most c, so max(c, .) makes it c
        return (outputs,) * depth
    return tuple(
        max(outputs, _rounded_root(scale ** (depth - k) * outputs**k, depth)) for k in range(depth)
    )


def _rounded_root(x: int, n: int) -> int:
    """``round(x^(1/n))`` for ``x >= 1``, exactly: the largest ``r`` with
    ``(2r - 1)^n < 2^n x``. A tie cannot occur (``(2r + 1)^n`` is odd, ``2^n x`` even), so
    half-to-even and half-up agree. A float gives only where the exact bisection starts.

    >>> _rounded_root(10**6, 3), _rounded_root(2, 2), _rounded_root(3**40 + 1, 40)
    (100, 1, 3)
    """
    shift = max(0, x.bit_length() // n - 60)
    guess = max(1, round(math.exp(math.log(x >> (n * shift)) / n)) << shift)

    def past(r: int) -> bool:
        return int((2 * r - 1) ** n) >= x << n

    low, high, step = guess, guess + 1, 1  # usually the answer: two powers, no bisection
    while past(low):  # past(1) never holds
        low, step = max(1, low - step), step * 2
    step = 1
    while not past(high):
        high, step = high + step, step * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if past(middle) else (middle, high)
    return low


PROFILES: dict[str, ProfileKind] = {
    kind.name: kind
    for kind in (
        ProfileKind(
            "rectangle", None, "equal widths", by_ratios(lambda _, depth: (Fraction(1),) * depth)
        ),
        ProfileKind(
            "trapezoid", "R", "linear taper from R times the last width", by_ratios(_trapezoid)
        ),
        ProfileKind(
            "exponential",
            "Q",
            "each width Q times the one before",
            by_ratios(lambda values, depth: tuple(values[0] ** i for i in range(depth))),
        ),
        ProfileKind(
            "wide-first",
            "K",
            "the first hidden layer K times as wide as the rest",
            by_ratios(lambda values, depth: (values[0],) + (Fraction(1),) * (depth - 1)),
        ),
        ProfileKind(
            "custom",
            "W1,W2,...",
            "the listed relative widths stretched over the depth",
            by_ratios(
                lambda values, depth: tuple(_stretch(values, i, depth) for i in range(depth))
            ),
        ),
        ProfileKind(
            "trapezoid-to-output",
            None,
            "linear from the first hidden width down to the output size (BUTTER's trapezoid)",
            _trapezoid_to_output,
        ),
        ProfileKind(
            "exponential-to-output",
            None,
            "geometric from the first hidden width down to the output size (BUTTER's exponential)",
            _exponential_to_output,
        ),
    )
}
"""The shape profiles by name: a new profile is one entry here; help texts, errors and
the docs read this registry."""


def profile_spellings() -> str:
    """``rectangle, trapezoid:R, ...``: how each registered profile is written."""
    return ", ".join(kind.spelling for kind in PROFILES.values())


@dataclass(frozen=True)
class Profile:
    """A shape profile: the hidden widths a network follows at every depth and scale.

    >>> Profile.parse("trapezoid:2").widths(3, 8, 10)
    (8, 6, 4)
    >>> Profile.parse("custom:4,1").widths(4, 8, 10)
    (8, 6, 4, 2)
    >>> str(Profile.parse("exponential:0.5")), Profile.parse("rectangle").rectangle
    ('exponential:0.5', True)
    """

    name: str = "rectangle"
    values: tuple[Fraction, ...] = ()

    @classmethod
    def parse(cls, value: str | Profile) -> Profile:
        """Read ``name`` or ``name:value``; raise :class:`IsoparamError` naming the choices."""
        if isinstance(value, Profile):
            return value
        text = value if isinstance(value, str) else ""
        name, colon, written = text.partition(":")
        kind = PROFILES.get(name.strip())
        if kind is None:
            raise IsoparamError(f"unknown profile {shown(value)}: choose {profile_spellings()}")
        if kind.value is None:
            if colon:
                raise IsoparamError(f"the profile {kind.name} takes no value, got {shown(text)}")
            return cls(kind.name)
        parts = written.split(",")
        if not written.strip() or ("," not in kind.value and len(parts) > 1):
            raise IsoparamError(
                f"the profile {kind.name} is written {kind.spelling}, got {shown(text)}"
            )
        return cls(
            kind.name,
            tuple(_positive(f"the value of profile {kind.name}", part) for part in parts),
        )

    @property
    def rectangle(self) -> bool:
        return self.name == "rectangle"

    def widths(self, depth: int, scale: int, outputs: int) -> tuple[int, ...]:
        """The profile's hidden widths at ``depth`` and integer ``scale >= 1`` with
        ``outputs`` output units: each nondecreasing in ``scale``, some width at least it."""
        return _profile_widths(self, depth, scale, outputs)

    def offset(self, widths: tuple[int, ...], outputs: int) -> int | None:
        """How far ``widths`` lie above the profile: the least ``max_i (w_i - B_i(s))`` over
        the scales ``s`` with every ``B_i(s) <= w_i``, or None when there is none (the
        widths fall below the profile). As ``B`` only grows with ``s`` the least is at the
        largest such scale, at most ``max(widths)``, found by bisection. For the
        rectangle it is ``max(w) - min(w)``.

        >>> Profile.parse("trapezoid-to-output").offset((101, 72, 40), 10)
        1
        """
        if not widths:
            return 0

        def on(scale: int) -> bool:
            base = self.widths(len(widths), scale, outputs)
            return all(b <= w for b, w in zip(base, widths, strict=True))

        low, high = 1, max(widths) + 1
        if not on(low):
            return None
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if on(middle) else (low, middle)
        base = self.widths(len(widths), low, outputs)
        return max(w - b for b, w in zip(base, widths, strict=True))

    def __str__(self) -> str:
        if not self.values:
            return self.name
        return f"{self.name}:{','.join(_decimal(v) for v in self.values)}"


@lru_cache(maxsize=4096)
def _profile_widths(profile: Profile, depth: int, scale: int, outputs: int) -> tuple[int, ...]:
    """:meth:`Profile.widths`, cached: the searches ask for the same scales again."""
    return PROFILES[profile.name].widths(profile.values, depth, scale, outputs)


def _positive(what: str, text: str) -> Fraction:
    """``text`` read as a positive exact number; raise :class:`IsoparamError` saying ``what``
    must be positive."""
    try:
        value = exact_number(text)
    except (ValueError, ZeroDivisionError):
        value = None
    if value is None or value <= 0:
        raise IsoparamError(
            f"{what} must be a positive number such as 2 or 0.5, got {shown(text.strip())}"
        )
    return value


def _stretch(points: tuple[Fraction, ...], index: int, depth: int) -> Fraction:
    """Linear interpolation of ``points`` at layer ``index`` of ``depth``."""
    if len(points) == 1 or depth == 1:
        return points[0]
    where = Fraction(index * (len(points) - 1), depth - 1)
    left = min(int(where), len(points) - 2)
    return points[left] + (points[left + 1] - points[left]) * (where - left)


@dataclass(frozen=True)
class WidthBounds:
    """Every hidden width lies in ``[low, high]`` (``high`` None: no upper bound).

    >>> WidthBounds(8, 64).clamp(100), WidthBounds().high
    (64, None)
    """

    low: int = 1
    high: int | None = None

    def __post_init__(self) -> None:
        check_positive("the min width", self.low)
        if self.high is not None:
            check_positive("the max width", self.high)
            if self.high < self.low:
                raise IsoparamError(
                    f"no width lies between the min width {self.low} and the max width {self.high}"
                )

    @property
    def bounded(self) -> bool:
        """Whether any bound narrows the widths (beyond ``>= 1``)."""
        return self != WidthBounds()

    def clamp(self, width: int) -> int:
        width = max(width, self.low)
        return width if self.high is None else min(width, self.high)


@dataclass(frozen=True)
class SearchLimits:
    """How much work a search may do before it stops and says so (raise them to go further).

    ``table_bits``: the largest offset-table entry of the spread search, in bits (~0.1 s).
    ``profile_work``: the most bit operations one profile table may take.
    ``scan``: the most widths the depth-2 solver scans for the closest count.
    ``solves``: the most linear solves one construction level may try.
    ``window_bits``: budgets examined at once by the spread-budget intersection.
    """

    table_bits: int = 2_000_000
    profile_work: int = 1_000_000_000
    scan: int = 1_000_000
    solves: int = 20_000
    window_bits: int = 1 << 22

    def __post_init__(self) -> None:
        for name in ("table_bits", "profile_work", "scan", "solves", "window_bits"):
            check_positive(f"the search limit {name}", getattr(self, name))


@dataclass(frozen=True)
class ShapeRules:
    """Which shapes count: sizes fixed or bounded, depths allowed, steps limited."""

    counting: CountingModel = field(default_factory=CountingModel)
    inputs: int | None = None
    outputs: int | None = None
    depths: frozenset[int] | None = None
    min_width: int = 1
    max_width: int | None = None
    max_step: int | None = None

    @property
    def free(self) -> bool:
        """Whether only the counting model applies (no size, depth, width or step rule)."""
        return self == ShapeRules(self.counting)


def shape_rules(
    *,
    bias: bool = True,
    norm: str = "none",
    norm_bias: bool = True,
    norm_affine: bool = True,
    inputs: int | None = None,
    outputs: int | None = None,
    depths: str | list[int] | None = None,
    min_width: int = 1,
    max_width: int | None = None,
    max_step: int | None = None,
) -> ShapeRules:
    """The rules a shape must follow to be listed, counted or sampled, checked once.

    Parameters
    ----------
    bias, norm, norm_bias, norm_affine :
        How parameters are counted (see :class:`CountingModel`).
    inputs, outputs : int, optional
        Fix the input or output size (units, >= 1); ``None`` lets it vary.
    depths : str or list of int, optional
        The depths (hidden layers) allowed, 0 included; ``None`` allows every depth.
    min_width, max_width : int
        Every hidden width lies in ``[min_width, max_width]`` (``None``: no upper bound).
    max_step : int, optional
        Consecutive hidden widths differ by at most this many units (>= 0).

    Returns
    -------
    ShapeRules
        The typed rules for :func:`enumerate_shapes`, :func:`count_shapes` and
        :func:`sample_shapes`.

    Raises
    ------
    IsoparamError
        For a size below 1, bad width bounds, a negative step or a bad depth set or norm.

    >>> shape_rules(inputs=4, depths="0-2").depths == frozenset({0, 1, 2})
    True
    """
    for what, value in (("the input size", inputs), ("the output size", outputs)):
        if value is not None:
            check_positive(what, value)
    WidthBounds(min_width, max_width)  # the same checks as a family's bounds
    if max_step is not None:
        check_positive("the max step", max_step, least=0)
    allowed = None if depths is None else frozenset(parse_depths(depths, minimum=0))
    return ShapeRules(
        CountingModel(bias, norm, norm_bias, norm_affine),
        inputs,
        outputs,
        allowed,
        min_width,
        max_width,
        max_step,
    )


@dataclass(frozen=True)
class FamilyRequest:
    """What a family is asked to be, checked once: the one validation behind
    :func:`isoparam.family` and :func:`isoparam.common_budget` and the command line."""

    model: MLP
    depths: tuple[int, ...]
    spread: Spread = field(default_factory=Spread)
    bounds: WidthBounds = field(default_factory=WidthBounds)
    profile: Profile = field(default_factory=Profile)
    limits: SearchLimits = field(default_factory=SearchLimits)
    under: bool = False
    """Every count at or under the budget: the closest from below."""
    narrow: int = 4
    """Flag networks with a hidden width below this as bottlenecks (0: never)."""
    depth_convention: str = "hidden"
    """How depths are shown: hidden layers, or linear layers (hidden + 1)."""
    width_step: int = 1
    """Every hidden width is a multiple of this (hardware-friendly widths: 8, 64)."""

    @property
    def shown_depths(self) -> tuple[int, ...]:
        """The depths as the user counts them: hidden layers, or linear layers (+ 1)."""
        return tuple(depth + (self.depth_convention == "linear") for depth in self.depths)

    @property
    def grid(self) -> tuple[int, int | None]:
        """The smallest and largest multiples of :attr:`width_step` within the bounds, in
        steps (``t`` for width ``width_step * t``); None: no upper bound."""
        step, low, high = self.width_step, self.bounds.low, self.bounds.high
        return -(-low // step), None if high is None else high // step

    def __post_init__(self) -> None:
        check_positive("the narrow-width threshold", self.narrow, least=0)
        check_positive("the width step", self.width_step)
        first, last = self.grid
        if last is not None and last < first:
            raise IsoparamError(
                f"no multiple of the width step {self.width_step} lies between the min width "
                f"{self.bounds.low} and the max width {self.bounds.high}"
            )
        step = self.width_step
        if step > 1 and self.profile.rectangle and not self.spread.uniform:
            raise IsoparamError(
                "--width-step takes equal widths or a profile for now: drop --max-spread"
            )
        if step > 1 and not self.profile.rectangle and self.spread.units < step - 1:
            raise IsoparamError(
                f"--width-step {step} along a profile needs --max-spread in units, at least "
                f"{step - 1}, so that every layer's range of widths holds a multiple of {step}"
            )
        if not self.profile.rectangle and self.bounds.bounded:
            raise IsoparamError(
                f"width bounds apply to the rectangle profile only, not to {self.profile}"
            )

    @classmethod
    def of(
        cls,
        inputs: int,
        outputs: int,
        depths: DepthsLike,
        *,
        bias: bool = True,
        norm: str = "none",
        norm_bias: bool = True,
        norm_affine: bool = True,
        max_spread: SpreadLike = 0,
        min_width: int = 1,
        max_width: int | None = None,
        profile: str | Profile = "rectangle",
        limits: SearchLimits | None = None,
        under: bool = False,
        narrow: int = 4,
        depth_convention: str = "hidden",
        width_step: int = 1,
    ) -> FamilyRequest:
        """The request from the keyword arguments users write; raises
        :class:`IsoparamError` naming the first bad value."""
        return cls(
            MLP(inputs, outputs, CountingModel(bias, norm, norm_bias, norm_affine)),
            hidden_depths(depths, depth_convention),
            Spread.parse(max_spread),
            WidthBounds(min_width, max_width),
            Profile.parse(profile),
            SearchLimits() if limits is None else limits,
            under,
            narrow,
            depth_convention,
            width_step,
        )


MAX_BUDGETS = 1000
"""The most budgets one request may name."""

_POWERS = re.compile(r"\s*(\d+)\s*\^\s*(\d+)\s*(?:\.\.\s*(\d+)\s*\^\s*(\d+)\s*)?")


def parse_budgets(text: str) -> tuple[int, ...]:
    """The budgets named by ``text``, ascending: ``1024,2048``, ``1e5``, a power ``2^20``,
    or a range of powers ``2^10..2^25`` (every power of the base from the first exponent to
    the last).

    >>> parse_budgets("2^10..2^13"), parse_budgets("4096, 1e3")
    ((1024, 2048, 4096, 8192), (1000, 4096))
    """
    found: set[int] = set()
    for item in text.split(","):
        powers = _POWERS.fullmatch(item)
        if powers is not None:
            base, first = int(powers.group(1)), int(powers.group(2))
            other = base if powers.group(3) is None else int(powers.group(3))
            last = first if powers.group(4) is None else int(powers.group(4))
            # base^last >= 2^((bits - 1) * last): beyond 10^1000 without computing the power
            if (
                base != other
                or base < 2
                or first > last
                or (base.bit_length() - 1) * last > 3322
                or base**last > 10**MAX_DIGITS
            ):
                raise IsoparamError(
                    f"cannot read the budgets {shown(item.strip())}: write powers as "
                    "2^10..2^25 (one base, exponents ascending, at most 10^1000)"
                )
            if len(found) + last - first + 1 > MAX_BUDGETS:
                raise IsoparamError(f"a request may name at most {MAX_BUDGETS} budgets")
            found.update(base**exponent for exponent in range(first, last + 1))
            continue
        try:
            value = exact_number(item)
        except (ValueError, ZeroDivisionError):
            value = Fraction(0)
        if value.denominator != 1 or value < 1:
            raise IsoparamError(
                f"a budget must be an integer >= 1 such as 100000, 1e5 or 2^10..2^25, "
                f"got {shown(item.strip())}"
            )
        check_positive("a budget", int(value))
        found.add(int(value))
        if len(found) > MAX_BUDGETS:
            raise IsoparamError(f"a request may name at most {MAX_BUDGETS} budgets")
    return tuple(sorted(found))
