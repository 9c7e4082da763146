"""The one exception type isoparam raises for bad input."""

from __future__ import annotations


class IsoparamError(ValueError):
    """A request isoparam cannot answer as asked: the message echoes the bad value.

    The command line turns it into one ``error:`` line and exit status 2.
    """


class NotFound(IsoparamError):
    """A search found no answer in its stated range; the message states the range.

    ``explanation`` holds the lines of reasoning behind the search (shown by ``--explain``).
    The command line prints it as an ``error:`` line and exits with status 1.
    """

    def __init__(self, message: str, explanation: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.explanation = explanation


class LimitReached(IsoparamError):
    """A search or listing stopped at one of isoparam's stated limits, after it began.

    A listing that streams its results closes them with this message and exits with
    status 1 (what was written is right, but not all there is).
    """


def power_text(value: int) -> str:
    """``10^k`` or ``2^k`` for a large power of ten or two (budget grids are written so),
    the plain number otherwise.

    >>> power_text(10**100), power_text(2**30), power_text(12345)
    ('10^100', '2^30', '12345')
    """
    digits = str(value)
    if len(digits) > 7 and digits == "1" + "0" * (len(digits) - 1):
        return f"10^{len(digits) - 1}"
    if len(digits) > 7 and value & (value - 1) == 0:
        return f"2^{value.bit_length() - 1}"
    return digits


# --- spread above 0 -----------------------------------------------------------------


MAX_DIGITS = 1000
"""The largest number isoparam takes has this many digits (budgets up to 10^1000): beyond
it Python cannot print an integer by default, and no search would finish."""


def shown(value: object) -> str:
    """``repr(value)`` for a message: an integer too long to print is described instead, a
    long text is shortened.

    >>> shown(12), shown(10**5000), shown("9" * 50)
    ('12', 'an integer of 5001 digits', "'99999999999999999999'... (50 characters)")
    """
    if isinstance(value, str) and len(value) > 40:
        return f"{value[:20]!r}... ({len(value)} characters)"
    if isinstance(value, int) and not isinstance(value, bool):
        digits = len(str(value)) if value.bit_length() < 3000 else _digits(value)
        if digits > MAX_DIGITS:
            return f"an integer of {digits} digits"
    return repr(value)


def _digits(value: int) -> int:
    """The number of decimal digits of ``abs(value)``, without printing it."""
    estimate = int(abs(value).bit_length() * 0.30103)  # within one of the truth, then exact
    power: int = 10**estimate
    return estimate + int(abs(value) >= power)
