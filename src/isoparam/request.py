"""Typed values parsed once at the edge: depth sets, tolerances, spreads, shape rules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from isoparam.errors import IsoparamError
from isoparam.families.mlp import CountingModel, check_positive

_ITEM = re.compile(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?")

DepthsLike = str | Iterable[int]


def parse_depths(depths: DepthsLike, minimum: int = 1) -> tuple[int, ...]:
    """The depths (numbers of hidden layers, each >= ``minimum``) named by ``depths``, ascending.

    >>> parse_depths("2-4,8")
    (2, 3, 4, 8)
    >>> parse_depths([7, 5, 7])
    (5, 7)
    """
    if isinstance(depths, str):
        found = _parse_text(depths)
    else:
        found = set()
        for depth in depths:
            if isinstance(depth, bool) or not isinstance(depth, int):
                raise IsoparamError(f"a depth must be an integer, got {depth!r}")
            found.add(depth)
    if not found:
        raise IsoparamError(f"the depth set {depths!r} is empty")
    smallest = min(found)
    if smallest < minimum:
        raise IsoparamError(
            f"a depth (number of hidden layers) must be >= {minimum}, got {smallest} in {depths!r}"
        )
    return tuple(sorted(found))


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
        low = int(match.group(1))
        high = int(match.group(2)) if match.group(2) is not None else low
        if high < low:
            raise IsoparamError(
                f"the depth range {item.strip()!r} in {text!r} is empty: write it as {high}-{low}"
            )
        found.update(range(low, high + 1))
    return found


ToleranceLike = str | int | float | Fraction


def parse_tolerance(tolerance: ToleranceLike) -> Fraction:
    """The relative tolerance ``tolerance`` as an exact fraction of the budget.

    A float is read through its shortest decimal form, so ``0.01`` means exactly 1/100.

    >>> parse_tolerance("1%")
    Fraction(1, 100)
    >>> parse_tolerance(0.05)
    Fraction(1, 20)
    """
    if isinstance(tolerance, bool):
        raise IsoparamError(f"a tolerance must be a number such as 0.01 or 1%, got {tolerance!r}")
    text = str(tolerance).strip() if not isinstance(tolerance, Fraction) else None
    try:
        if text is None:
            value = Fraction(tolerance)
        elif text.endswith("%"):
            value = Fraction(text[:-1].strip()) / 100
        else:
            value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise IsoparamError(
            f"a tolerance must be a number such as 0.01 or 1%, got {tolerance!r}"
        ) from None
    if value < 0:
        raise IsoparamError(f"a tolerance must be >= 0, got {tolerance!r}")
    return value


def within(deviation: int, target: int, tolerance: Fraction) -> bool:
    """Whether ``|deviation| <= tolerance * target``, decided in exact arithmetic."""
    return abs(deviation) * tolerance.denominator <= tolerance.numerator * target


def resolve_spread(max_spread: int | str, width: int) -> int:
    """A spread in units: an integer as it is, a percentage of ``width`` rounded down.

    >>> resolve_spread(3, 500), resolve_spread("2%", 512), resolve_spread("0.5%", 100)
    (3, 10, 0)
    """
    if isinstance(max_spread, int) and not isinstance(max_spread, bool) and max_spread >= 0:
        return max_spread
    text = str(max_spread).strip()
    try:
        if text.endswith("%"):
            share = Fraction(text[:-1].strip()) / 100
            if share >= 0:
                return int(share * width)
        elif int(text) >= 0:
            return int(text)
    except ValueError:
        pass
    raise IsoparamError(
        f"a max spread must be a number of units >= 0 or a percentage such as 2%, "
        f"got {max_spread!r}"
    )


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
    inputs: int | None = None,
    outputs: int | None = None,
    depths: str | list[int] | None = None,
    min_width: int = 1,
    max_width: int | None = None,
    max_step: int | None = None,
) -> ShapeRules:
    """Checked rules from user values (depth sets may include 0 here)."""
    for what, value in (("the input size", inputs), ("the output size", outputs)):
        if value is not None:
            check_positive(what, value)
    check_positive("the min width", min_width)
    if max_width is not None and max_width < min_width:
        raise IsoparamError(
            f"no width lies between the min width {min_width} and the max width {max_width}"
        )
    if max_step is not None and (isinstance(max_step, bool) or max_step < 0):
        raise IsoparamError(f"the max step must be an integer >= 0, got {max_step!r}")
    allowed = None if depths is None else frozenset(parse_depths(depths, minimum=0))
    return ShapeRules(
        CountingModel(bias=bias, norm=norm),
        inputs,
        outputs,
        allowed,
        min_width,
        max_width,
        max_step,
    )
