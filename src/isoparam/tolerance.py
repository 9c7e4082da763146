"""Tolerance bands as exact fractions: ``1%``, ``0.01`` and ``1/100`` are the same band."""

from __future__ import annotations

from fractions import Fraction

from isoparam.errors import IsoparamError

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
