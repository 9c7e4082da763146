"""Exact decimal text for fractions and compact text for width lists."""

from __future__ import annotations

from fractions import Fraction
from itertools import groupby


def signed_decimal(value: Fraction, places: int) -> str:
    """``value`` rounded half away from zero to ``places`` decimals, with its sign.

    A nonzero value that rounds to zero keeps its sign, so ``+0.00`` still says "over".

    >>> signed_decimal(Fraction(-201, 1000), 2), signed_decimal(Fraction(1, 10**9), 2)
    ('-0.20', '+0.00')
    """
    if value == 0:
        return f"{0:.{places}f}"
    scaled = abs(value) * 10**places
    units = int(scaled + Fraction(1, 2))
    whole, fraction = divmod(units, 10**places)
    sign = "-" if value < 0 else "+"
    digits = f"{whole}.{fraction:0{places}d}" if places else str(whole)
    return sign + digits


def compact_widths(widths: tuple[int, ...]) -> str:
    """Widths with runs of equal values folded: ``(87, 87, 86)`` becomes ``87×2 86``; the
    linear model, which has no hidden layer, is ``-``."""
    if not widths:
        return "-"
    parts = []
    for width, run in groupby(widths):
        repeat = len(list(run))
        parts.append(f"{width}×{repeat}" if repeat > 1 else str(width))
    return " ".join(parts)


def exact_decimal(value: Fraction, most: int) -> str | None:
    """``value`` written exactly with at most ``most`` decimals, or None if it cannot be.

    >>> exact_decimal(Fraction(-1, 8), 3), exact_decimal(Fraction(1, 3), 12)
    ('-0.125', None)
    """
    for places in range(most + 1):
        if (value * 10**places).denominator == 1:
            return signed_decimal(value, places).lstrip("+")
    return None


def fraction_text(value: Fraction) -> str:
    """An exact text for a fraction that :class:`fractions.Fraction` reads back.

    >>> fraction_text(Fraction(1, 100)), fraction_text(Fraction(1, 3))
    ('0.01', '1/3')
    """
    return exact_decimal(value, 12) or f"{value.numerator}/{value.denominator}"
