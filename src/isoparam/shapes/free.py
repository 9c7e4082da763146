"""How many shapes have exactly P parameters when no rule narrows them: P = 1..N at once.

``V_t[q]`` counts the ways to finish a shape from a layer of width ``t`` (its own incoming
parameters paid) spending exactly ``q`` more; a hidden layer ``u`` after ``t`` costs
``(t + h) * u`` and the output ``c`` costs ``(t + o) * c`` (``h``/``o``: parameters per
hidden/output unit beyond the weights). The number of shapes with ``q`` parameters is the
sum of ``V_t[q]`` over every input size ``t``.

Widths above ``m = isqrt(N)`` are isolated: two of them side by side would cost more than
``N``. So only the ``m`` small widths are states, and a wide layer ``w`` between small
neighbours ``t`` and ``v`` is summed over in closed form: it costs
``w*(t + h + v) + h*v``, so its contributions over all ``w > m`` run along an arithmetic
progression of step ``J = t + h + v``, a running sum ``H[q] = H[q - J] +
V_v[q - (m+1)*J - h*v]`` (:class:`Progression`). Wide input sizes, and wide layers followed
by the output, are handled the same way. Per budget ``q`` that is about ``q`` additions
for neighbouring small widths and ``q^2 / m^2`` for the progressions, about ``N^2``
big-integer additions in all instead of the ``N^2 log N / 2`` of a recursion over every
width, and ``m * N`` stored counts instead of ``N^2 / 2``. The additions are mostly made a
block of budgets at a time, on whole slices, which is far kinder to the memory caches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate
from math import isqrt
from operator import add, getitem

BLOCK = 256
"""Budgets counted together: lags of at least this many are added as whole slices."""


@dataclass
class Progression:
    """Adds ``H[q] = sum_{i >= 0} source[q - start - i*step]`` into ``target[q]`` for every q.

    ``H[q] = H[q - step] + source[q - start]`` only reads ``source`` ``start`` budgets back,
    so the next ``start`` values can be made at once, one running sum per residue class
    (``itertools.accumulate``), once ``source`` is final below the first of them.
    """

    start: int
    step: int
    source: list[int]
    target: list[int]
    tail: list[int] = field(default_factory=list)
    """``H`` over the ``step`` budgets before the next batch."""

    def batch(self, first: int, limit: int) -> int:
        """Add ``H[first : first + start]`` (up to ``limit``) into the target; the next first."""
        end = min(first + self.start, limit + 1)
        step, offset = self.step, first - self.start
        tail = self.tail or [0] * step
        values = [0] * (end - first)
        for residue in range(min(step, end - first)):
            sums = accumulate(
                self.source[offset + residue : end - self.start : step], initial=tail[residue]
            )
            next(sums)
            values[residue::step] = sums
        self.tail = values[-step:]
        self.target[first:end] = map(add, self.target[first:end], values)
        return end


def free_shape_counts(
    limit: int,
    hidden: int,
    output: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[int]:
    """The number of shapes with exactly ``q`` parameters, for ``q = 1..limit``.

    ``hidden``/``output``: parameters per hidden/output unit beyond the weights.

    >>> free_shape_counts(10, 0, 0)
    [1, 3, 5, 10, 14, 27, 37, 65, 96, 157]
    """
    return free_tables(limit, hidden, output, progress)[0][1:]


def free_tables(
    limit: int,
    hidden: int,
    output: int,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[int], list[list[int]]]:
    """``(totals, finishes)``: ``totals[q]`` shapes with ``q`` parameters and
    ``finishes[t - 1][q] = V_t[q]`` for the narrow widths ``t <= isqrt(limit)``, ``q <= limit``.

    >>> totals, finishes = free_tables(4, 0, 0)
    >>> totals[4], finishes[1][4]  # from width 2, 4 more: then 2; 1, 2; or 1, 1, 1
    (10, 3)
    """
    n, m = limit, isqrt(limit)
    h = hidden
    finishes = [[0] * (n + 1) for _ in range(m)]  # finishes[t - 1][q] = V_t[q]
    incoming = _ends(n, m, hidden, output)  # then the wide layers' sums are added
    totals = _wide_inputs_to_output(n, m, output)
    due: dict[int, list[Progression]] = defaultdict(list)
    for v in range(1, m + 1):
        # A wide input before small v; a wide layer between small t and v.
        due[(m + 1 + h) * v].append(Progression((m + 1 + h) * v, v, finishes[v - 1], totals))
        for t in range(1, m + 1):
            start = (m + 1) * (t + h + v) + h * v
            due[start].append(Progression(start, t + h + v, finishes[v - 1], incoming[t - 1]))
    steps = range(1 + h, m + 1 + h)  # a layer u after t costs (t + h) * u
    for first in range(1, n + 1, BLOCK):
        end = min(first + BLOCK, n + 1)
        for step, arriving in zip(steps, incoming, strict=True):
            _add_far(arriving, finishes, step, first, end)
        for q in range(first, end):
            for progression in due.pop(q, ()):
                due[progression.batch(q, n)].append(progression)
            for step, arriving, row in zip(steps, incoming, finishes, strict=True):
                # The lags below BLOCK, whose counts are this block's own.
                stop = max(q - step * min(m, (BLOCK - 1) // step) - 1, -1)
                row[q] = sum(map(getitem, finishes, range(q - step, stop, -step)), arriving[q])
            totals[q] += sum(row[q] for row in finishes)
        if progress is not None:
            progress(end - 1, n)
    return totals, finishes


def _add_far(
    arriving: list[int], finishes: list[list[int]], step: int, first: int, end: int
) -> None:
    """Add ``V_u[q - step*u]`` into ``arriving[q]`` for ``q`` in ``[first, end)``, for every
    small ``u`` whose lag ``step*u`` is at least :data:`BLOCK`: their counts are all final.

    Whole slices at once: reading each count list in order is several times faster than
    gathering one sum per budget from every list.
    """
    for u, source in enumerate(finishes, 1):
        lag = step * u
        if lag >= end:
            break
        if lag < BLOCK:
            continue
        skip = max(0, lag - first)  # budgets below 0 have no counts
        window = slice(first + skip, end)
        arriving[window] = map(add, arriving[window], source[first + skip - lag : end - lag])


def _ends(n: int, m: int, hidden: int, output: int) -> list[list[int]]:
    """``ends[t - 1][q]``: finishes from small ``t`` that reach the output with ``q`` spent.

    Straight to an output ``c`` costs ``(t + o) * c``; through one wide layer ``w > m`` first
    it costs ``w * (t + h + c) + o * c``.
    """
    ends = []
    for t in range(1, m + 1):
        row = [0] * (n + 1)
        for q in range(t + output, n + 1, t + output):
            row[q] += 1
        c = 1
        while (m + 1) * (t + hidden + c) + output * c <= n:
            step = t + hidden + c
            for q in range((m + 1) * step + output * c, n + 1, step):
                row[q] += 1
            c += 1
        ends.append(row)
    return ends


def _wide_inputs_to_output(n: int, m: int, output: int) -> list[int]:
    """Shapes ``(s, c)`` with a wide input ``s > m``: ``(s + o) * c`` parameters."""
    totals = [0] * (n + 1)
    c = 1
    while (m + 1 + output) * c <= n:
        for q in range((m + 1 + output) * c, n + 1, c):
            totals[q] += 1
        c += 1
    return totals
