"""Depth sets such as ``5-12``, ``3,5,8`` or ``2-4,8``."""

from __future__ import annotations

import re
from collections.abc import Iterable

from isoparam.errors import IsoparamError

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
