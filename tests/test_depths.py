"""Depth sets and tolerance bands as users write them."""

from __future__ import annotations

from fractions import Fraction

import pytest

from isoparam import IsoparamError, parse_depths, parse_tolerance


@pytest.mark.parametrize(
    ("text", "depths"),
    [
        ("5-12", tuple(range(5, 13))),
        ("3,5,8", (3, 5, 8)),
        ("2-4,8", (2, 3, 4, 8)),
        (" 8 , 2 - 4 ", (2, 3, 4, 8)),
        ("7,7,5", (5, 7)),
        ("1", (1,)),
    ],
)
def test_depth_sets(text: str, depths: tuple[int, ...]) -> None:
    assert parse_depths(text) == depths


@pytest.mark.parametrize("text", ["", " ", "5-", "-5", "12-5", "a,b", "5,,6", "0", "0-3", "1.5"])
def test_malformed_depth_sets(text: str) -> None:
    with pytest.raises(IsoparamError, match="depth"):
        parse_depths(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1%", Fraction(1, 100)),
        ("0.01", Fraction(1, 100)),
        ("5 %", Fraction(1, 20)),
        (0.05, Fraction(1, 20)),
        ("0", Fraction(0)),
        (Fraction(1, 3), Fraction(1, 3)),
    ],
)
def test_tolerances(text: str | float | Fraction, value: Fraction) -> None:
    assert parse_tolerance(text) == value


@pytest.mark.parametrize("text", ["", "%", "abc", "-1%", "1/0", True, "nan", "inf"])
def test_bad_tolerances(text: str | bool) -> None:
    with pytest.raises(IsoparamError, match="tolerance"):
        parse_tolerance(text)
