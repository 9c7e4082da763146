"""Offset tables: every reachable ``(S, Q)`` of offsets in ``[0, top]``, as big-integer bits.

For offsets ``x_1..x_n`` the tables hold ``S = sum x_i`` and ``Q = sum x_i x_{i+1}`` of every
suffix, keyed by its first and last offsets; see :mod:`isoparam.solvers.spread` for how a
count is read off them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from isoparam.solvers.search import bit_distance, bit_distance_below


@dataclass(frozen=True)
class OffsetTables:
    """Reachable ``(S, Q)`` of offset suffixes: ``suffix[p][v]`` for ``x_p = v``.

    Bit ``(S * row + Q) * lanes + last`` of ``suffix[p][v]`` is set when some offsets
    ``x_p..x_n`` in ``[0, top]`` with ``x_p = v`` and ``x_n = last`` sum to ``S`` with
    adjacent products summing to ``Q``; the last offset is the lowest digit so that one
    shift extends every ending at once. With ``funnel`` the offsets never increase.
    """

    length: int
    top: int
    funnel: bool
    row: int
    suffix: tuple[tuple[int, ...], ...]
    lane_masks: tuple[int, ...]

    @property
    def lanes(self) -> int:
        return len(self.lane_masks)

    def nearest(self, bits: int, last: int, slope: int, target: int, best: int) -> int:
        """``min(best, |slope*S + Q - target|)`` over the keys of ``bits`` ending in ``last``.

        Rows ``S`` are scanned outward from the one nearest the target and stop as soon as
        a whole row lies ``best`` or more away.
        """
        rows = bits.bit_length() // (self.row * self.lanes) + 1
        start = min(max(target // slope, 0), rows - 1)
        for s in range(start, -1, -1):
            if target - slope * s - self.row + 1 >= best:
                break
            best = self._row_nearest(bits, last, s, target - slope * s, best)
        for s in range(start + 1, rows):
            if slope * s - target >= best:
                break
            best = self._row_nearest(bits, last, s, target - slope * s, best)
        return best

    def nearest_below(self, bits: int, last: int, slope: int, target: int, best: int) -> int:
        """``min(best, target - (slope*S + Q))`` over the keys of ``bits`` ending in
        ``last`` with ``slope*S + Q <= target``."""
        if target < 0:
            return best
        lanes = self.lanes
        rows = bits.bit_length() // (self.row * lanes) + 1
        for s in range(min(target // slope, rows - 1), -1, -1):
            if target - slope * s - self.row + 1 >= best:
                break
            row_bits = (bits >> (s * self.row * lanes)) & self.lane_masks[last]
            found = bit_distance_below(row_bits, (target - slope * s) * lanes + last)
            if found is not None:
                best = min(best, found // lanes)
        return best

    def _row_nearest(self, bits: int, last: int, s: int, q: int, best: int) -> int:
        """``min(best, distance from q to the nearest Q of row s ending in last)``."""
        lanes = self.lanes
        row_bits = (bits >> (s * self.row * lanes)) & self.lane_masks[last]
        if not row_bits:
            return best
        return min(best, bit_distance(row_bits, q * lanes + last) // lanes)

    def hits(self, bits: int, last: int, slope: int, target: int) -> bool:
        """Whether a key of ``bits`` ending in ``last`` has ``slope*S + Q == target``."""
        return self.find(bits, last, slope, target) is not None

    def find(self, bits: int, last: int, slope: int, target: int) -> tuple[int, int] | None:
        """An ``(S, Q)`` of ``bits`` ending in ``last`` with ``slope*S + Q == target``."""
        if target < 0:
            return None
        row, lanes = self.row, self.lanes
        rows = bits.bit_length() // (row * lanes) + 1
        for s in range(max(0, -(-(target - row + 1) // slope)), min(target // slope, rows) + 1):
            if (bits >> ((s * row + target - slope * s) * lanes + last)) & 1:
                return s, target - slope * s
        return None

    def offsets(self, first: int, last: int, total: int, products: int) -> list[int]:
        """Offsets starting with ``first`` and ending with ``last`` whose sum is ``total``
        and adjacent products sum to ``products``, which the tables must hold."""
        chosen = [first]
        for position in range(1, self.length):
            total -= chosen[-1]
            for value in range(self.top, -1, -1):
                rest = products - chosen[-1] * value
                key = (total * self.row + rest) * self.lanes + last
                if rest >= 0 and (self.suffix[position][value] >> key) & 1:
                    chosen.append(value)
                    products = rest
                    break
            else:
                raise AssertionError("the tables do not hold these offsets")  # pragma: no cover
        return chosen


def table_bits(length: int, top: int) -> int:
    """The size in bits of the largest table entry: what the search costs grows with it."""
    return (top + 1) * (length * top + 1) * ((length - 1) * top * top + 1)


@lru_cache(maxsize=32)
def offset_tables(length: int, top: int, funnel: bool, last: int | None = None) -> OffsetTables:
    """Build the tables backwards from the last position, one layer at a time.

    With ``last`` given, only sequences ending in that offset are kept and the keys are
    plain ``S * row + Q`` (one lane), which is what value sets are assembled from.
    """
    row = (length - 1) * top * top + 1
    lanes = top + 1 if last is None else 1
    layer = tuple(
        (1 << ((v * row) * lanes + (v if last is None else 0))) if last in (None, v) else 0
        for v in range(top + 1)
    )
    layers = [layer]
    for _ in range(length - 1):
        after = layers[-1]
        layer = tuple(
            _or_shifted(after, range(v + 1) if funnel else range(top + 1), v, row, lanes)
            for v in range(top + 1)
        )
        layers.append(layer)
    layers.reverse()
    repunit = ((1 << (lanes * row)) - 1) // ((1 << lanes) - 1)
    masks = tuple(repunit << lane for lane in range(lanes))
    return OffsetTables(length, top, funnel, row, tuple(layers), masks)


def _or_shifted(after: tuple[int, ...], nexts: range, v: int, row: int, lanes: int) -> int:
    """Prepend offset ``v`` to every suffix that starts with an offset in ``nexts``."""
    bits = 0
    for u in nexts:
        bits |= after[u] << ((v * row + v * u) * lanes)
    return bits


__all__ = ["OffsetTables", "offset_tables", "table_bits"]
