"""Common budgets with a spread above 0 or along a profile: each depth's exactly reachable
counts in a window, assembled as one big-integer bitset (from the spread solver's offset
tables, or the profile search's value sets), intersected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from isoparam.errors import IsoparamError, NotFound
from isoparam.solvers.spread import (
    SpreadProblem,
    offset_tables,
    table_bits,
)
from isoparam.solvers.uniform import floor_width


def reachable_counts(problem: SpreadProblem, spread: int, low: int, high: int) -> int:
    """Bit ``t - low`` is set for every count ``t`` in ``[low, high]`` that some network of
    this depth with spread at most ``spread`` (and widths in bounds) hits exactly."""
    if table_bits(problem.depth, spread) > problem.limits.table_bits:
        raise IsoparamError(
            f"a spread of {spread} at depth {problem.depth} is beyond the exhaustive search; "
            "ask for a smaller --max-spread"
        )
    size = high - low + 1
    window = (1 << size) - 1
    bits = 0
    count = problem.uniform
    if problem.depth == 1:
        for width in range(max(problem.low, floor_width(count, low - 1) + 1), problem.high + 1):
            if count(width) > high:
                break
            bits |= 1 << (count(width) - low)
        return bits
    first_base = max(problem.low, floor_width(count, low) - spread)
    last_base = min(problem.high, floor_width(count, high))
    for base in range(first_base, last_base + 1):
        top = problem.offset_top(base, spread)
        slope = problem.slope(base)
        for last in range(top + 1):
            tables = offset_tables(problem.depth, top, False, last)
            for first in range(top + 1):
                entry = tables.suffix[0][first]
                origin = problem.end_shift(base, first, last) - low
                rows = entry.bit_length() // tables.row + 1
                for s in range(rows):
                    position = origin + slope * s
                    if position > size or position + tables.row < 0:
                        continue
                    row_bits = (entry >> (s * tables.row)) & ((1 << tables.row) - 1)
                    placed = row_bits << position if position >= 0 else row_bits >> -position
                    bits |= placed & window
    return bits


Reach = Callable[[int, int], int]
"""One depth's exactly reachable counts in ``[low, high]``: bit ``t - low`` for count ``t``."""


def _common_in(reaches: Sequence[Reach], low: int, high: int) -> int:
    """Bit ``t - low`` set for every count ``t`` in ``[low, high]`` all depths hit."""
    common = (1 << (high - low + 1)) - 1
    for reach in reaches:
        common &= reach(low, high)
        if not common:
            break
    return common


def common_counts(
    reaches: Sequence[Reach],
    low: int,
    high: int,
    window_bits: int,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[int]:
    """Common budgets in ``[low, high]``, increasing, found by intersecting the depths'
    reachable counts in windows that double in size up to ``window_bits``."""
    start, size = low, 4096
    while start <= high:
        stop = min(high, start + size - 1)
        common = _common_in(reaches, start, stop)
        while common:
            lowest = common & -common
            yield start + lowest.bit_length() - 1
            common ^= lowest
        if progress is not None:
            progress(stop, high)
        start, size = stop + 1, min(2 * size, window_bits)


def nearest_common(
    reaches: Sequence[Reach],
    depths: Sequence[int],
    near: int,
    window: int,
    most: int,
    progress: Callable[[int, int], None] | None = None,
) -> int | None:
    """The common budget closest to ``near`` within ``window`` (the smaller on a tie).

    The searched range grows outward from ``near``, each step intersecting only the two
    new stretches beside what was searched (doubling in size), so the work is linear in
    the range finally searched and nothing is searched twice. Raises :class:`NotFound`
    naming the range searched when it would pass ``most`` on each side.

    >>> from functools import partial
    >>> from isoparam.families.mlp import MLP, CountingModel
    >>> problems = [SpreadProblem(MLP(4, 3, CountingModel(bias=False)), d, 10**4, 1, 10**4)
    ...             for d in (2, 3)]
    >>> reaches = [partial(reachable_counts, problem, 1) for problem in problems]
    >>> nearest_common(reaches, (2, 3), 1000, 100, 2**22)
    980
    """
    low, high = max(1, near - min(window, 2048)), near + min(window, 2048)
    common = _common_in(reaches, low, high)
    step = 2048
    while not common:
        if progress is not None:
            progress(high - near, window)
        if high - near >= window and (low == 1 or near - low >= window):
            return None
        if high - near >= most:
            named = ", ".join(map(str, depths))
            raise NotFound(
                f"no common budget for depths {named} in [{low}, {high}]; with a spread or "
                f"a profile the search around a budget stops at ±{most}"
            )
        step *= 2
        new_low, new_high = max(1, near - min(window, step)), near + min(window, step)
        left = _common_in(reaches, new_low, low - 1) if new_low < low else 0
        right = _common_in(reaches, high + 1, new_high) if new_high > high else 0
        options = []
        if left:
            options.append(new_low + left.bit_length() - 1)
        if right:
            options.append(high + 1 + (right & -right).bit_length() - 1)
        if options:
            return min(options, key=lambda total: (abs(total - near), total))
        low, high = new_low, new_high
    below = common & ((2 << (near - low)) - 1)
    above = common >> (near - low)
    options = []
    if below:
        options.append(low + below.bit_length() - 1)
    if above:
        options.append(near + (above & -above).bit_length() - 1)
    return min(options, key=lambda total: (abs(total - near), total))
