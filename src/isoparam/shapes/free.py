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

The counts have up to ``0.64 N`` bits, so ``m * N`` of them take gigabytes from ``N`` about
15,000 on. :func:`free_shape_counts` therefore counts one digit (of about a thousand bits)
per pass, lowest first, carrying into the next pass what each sum cut down to its digit
left over: a pass keeps about :data:`PASS_BYTES` whatever ``N``, and the counts stay exact.
"""

from __future__ import annotations

from array import array
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


PASS_BYTES = 750_000_000
"""What the counts one pass of :func:`free_shape_counts` keeps may take, about."""


def digit_size(limit: int, first: int) -> int:
    """Bits of the digit counted by a pass over budgets ``first..limit``.

    Such a pass keeps about ``1.5 * isqrt(limit)`` numbers per budget (the narrow widths'
    counts, and the sums on their way to them), each of at most ``bits`` bits plus about 36
    bytes of Python int and list slot: the digit is as large as keeps them within
    :data:`PASS_BYTES`, rounded down to a multiple of 64 bits (at least 64). Later passes
    start at larger budgets, so they keep fewer numbers and count larger digits. The counts
    up to ``P`` have fewer than ``P`` bits, so no digit needs more (up to about 6,000 one pass
    suffices).

    >>> digit_size(20_000, 1), digit_size(20_000, 10_000), digit_size(5_000, 1) >= 5_000
    (1088, 2496, True)
    """
    stored = 3 * isqrt(limit) * (limit - first + 1) // 2 + 1
    return max(64, min(8 * (PASS_BYTES // stored - 36), limit + 63) // 64 * 64)


def free_shape_counts(
    limit: int,
    hidden: int,
    output: int,
    progress: Callable[[int, int], None] | None = None,
    bits: int | None = None,
) -> list[int]:
    """The number of shapes with exactly ``q`` parameters, for ``q = 1..limit``.

    ``hidden``/``output``: parameters per hidden/output unit beyond the weights.

    The counts are made one digit at a time, lowest first (``bits`` bits each, by default
    :func:`digit_size`): a pass keeps every count modulo ``2^bits`` and, wherever it cuts a
    sum down to its digit, the carry into the next digit, which the next pass adds there.
    So a pass stores numbers of at most ``bits`` bits, however large the counts, and the
    passes stop when no carry is left: the counts are exact and need no bound known in
    advance. A pass starts at the first budget where a carry arrives (below, the digit is 0).

    ``progress(done, total)`` reports work (about ``q`` for budget ``q`` in each pass); the
    total adds an estimate of the passes to come, from how fast the digits have grown.

    Complexity: about ``limit^2`` additions of numbers of at most ``bits`` bits per pass; in
    memory, about :data:`PASS_BYTES` (and ``limit`` exact counts).

    >>> free_shape_counts(10, 0, 0)
    [1, 3, 5, 10, 14, 27, 37, 65, 96, 157]
    >>> free_shape_counts(300, 0, 0, bits=64) == free_shape_counts(300, 0, 0)  # 4 passes
    True
    """

    def size(first: int) -> int:
        return bits or digit_size(limit, first)

    meter = _Meter(limit, progress)
    carries: Carries | None = None
    shift, first = 0, 1
    digits: list[tuple[int, int, int, bytes]] = []  # (shift, first budget, bytes each, digits)
    while True:
        digit = size(first)
        totals, carries = _digit(limit, hidden, output, meter, digit, carries, first)
        # Packed in one block, which no later pass's numbers are interleaved with: Python's
        # small-object pools then come back whole at the end of each pass.
        width = (digit + 7) // 8
        packed = b"".join(total.to_bytes(width, "little") for total in totals[first:])
        digits.append((shift, first, width, packed))
        del totals
        found = carries.first()
        if found is None:
            break
        first, shift = found, shift + digit
        meter.next_pass(first, shift, size)
    meter.finish()
    counts = [0] * (limit + 1)
    for shift, first, width, packed in digits:
        for q in range(first, limit + 1):
            start = (q - first) * width
            counts[q] += int.from_bytes(packed[start : start + width], "little") << shift
    return counts[1:]


def _digit(
    n: int, h: int, output: int, meter: _Meter, bits: int, carries: Carries | None, first: int
) -> tuple[list[int], Carries]:
    """One digit's pass of :func:`free_shape_counts`: its totals and carries (the narrow
    widths' counts are dropped here, before the next pass builds its own)."""
    totals, _, out = _fill(n, h, output, meter, bits, carries, first)
    return totals, out


def free_tables(
    limit: int,
    hidden: int,
    output: int,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[int], list[list[int]]]:
    """``(totals, finishes)``: ``totals[q]`` shapes with ``q`` parameters and
    ``finishes[t - 1][q] = V_t[q]`` for the narrow widths ``t <= isqrt(limit)``, ``q <= limit``,
    all exact (one pass on whole numbers: about ``isqrt(limit) * limit`` counts of up to
    ``0.64 * limit`` bits are kept, which sampling needs).

    >>> totals, finishes = free_tables(4, 0, 0)
    >>> totals[4], finishes[1][4]  # from width 2, 4 more: then 2; 1, 2; or 1, 1, 1
    (10, 3)
    """
    totals, finishes, _ = _fill(limit, hidden, output, _Meter(limit, progress))
    return totals, finishes


@dataclass
class Carries:
    """What one pass carries into the next digit: ``rows[t - 1][q]`` into ``V_t[q]`` and
    ``totals[q]`` into the number of shapes with ``q`` parameters.

    A carry is at most the number of digits summed into its count (about
    ``isqrt(limit) * limit`` at most), so 64 bits hold it.
    """

    rows: list[array[int]]
    totals: array[int]

    @classmethod
    def zeros(cls, limit: int, rows: int) -> Carries:
        """No carry anywhere, for ``rows`` narrow widths and budgets ``0..limit``."""
        empty = bytes(8 * (limit + 1))
        return cls([array("Q", empty) for _ in range(rows)], array("Q", empty))

    def first(self) -> int | None:
        """The smallest budget with a carry, or None."""
        found = [next((q for q, c in enumerate(row) if c), None) for row in self.rows]
        found.append(next((q for q, c in enumerate(self.totals) if c), None))
        return min((q for q in found if q is not None), default=None)


class _Meter:
    """Work done for ``progress``: a budget ``q`` costs ``q`` in each pass.

    The digits of the counts grow about linearly with the budget, so the passes still to
    come are planned from the bits per budget seen so far.
    """

    def __init__(self, limit: int, progress: Callable[[int, int], None] | None) -> None:
        self.limit, self.progress = limit, progress
        self.done = self.before = 0
        self.total = self._work(1)

    def _work(self, first: int) -> int:
        """The work of one pass over budgets ``first..limit``."""
        return (self.limit * (self.limit + 1) - first * (first - 1)) // 2

    def block(self, end: int, first: int) -> None:
        """Budgets up to ``end - 1`` are done in the current pass (which began at ``first``)."""
        if self.progress is not None:
            self.done = self.before + self._work(first) - self._work(end)
            self.progress(self.done, max(self.total, self.done))

    def finish(self) -> None:
        """The last pass is done: report all the work as the total."""
        if self.progress is not None:
            self.progress(self.done, self.done)

    def next_pass(self, first: int, shift: int, size: Callable[[int], int]) -> None:
        """The next pass counts the digit of bits ``shift`` on, from budget ``first``, and
        each pass the digit of ``size(first)`` bits: plan the passes to come."""
        self.before = self.total = self.done
        rate = (shift, first)  # bits per budget, so far
        while first <= self.limit:
            self.total += self._work(first)
            shift += size(first)
            first = -(-shift * rate[1] // rate[0])


def _fill(
    n: int,
    h: int,
    output: int,
    meter: _Meter,
    bits: int | None = None,
    carries: Carries | None = None,
    first: int = 1,
) -> tuple[list[int], list[list[int]], Carries]:
    """One pass: the counts exactly (``bits`` None) or their digit number ``d`` of ``bits``
    bits, given the ``carries`` of digit ``d - 1`` (None for the lowest digit, whose pass
    alone adds the layers that reach the output); then the carries out of this digit.

    Every count below ``first`` is known to be 0 in this digit (no carry arrives there), so
    the pass starts at the block of ``first``.
    """
    m = isqrt(n)
    finishes = [[0] * (n + 1) for _ in range(m)]  # finishes[t - 1][q] = V_t[q]
    if carries is None:
        incoming = _ends(n, m, h, output)  # then the wide layers' sums are added
        totals = _wide_inputs_to_output(n, m, output)
    else:
        incoming = [[0] * (n + 1) for _ in range(m)]
        totals = [0] * (n + 1)
    out = Carries.zeros(n if bits else 0, m)
    begin = 1 + (first - 1) // BLOCK * BLOCK
    due: dict[int, list[Progression]] = defaultdict(list)
    for v in range(1, m + 1):
        # A wide input before small v; a wide layer between small t and v.
        start = (m + 1 + h) * v
        due[max(start, begin)].append(Progression(start, v, finishes[v - 1], totals))
        for t in range(1, m + 1):
            start = (m + 1) * (t + h + v) + h * v
            progression = Progression(start, t + h + v, finishes[v - 1], incoming[t - 1])
            due[max(start, begin)].append(progression)
    steps = range(1 + h, m + 1 + h)  # a layer u after t costs (t + h) * u
    mask = (1 << bits) - 1 if bits else 0
    for block in range(begin, n + 1, BLOCK):
        end = min(block + BLOCK, n + 1)
        for step, arriving in zip(steps, incoming, strict=True):
            _add_far(arriving, finishes, step, block, end)
        for q in range(block, end):
            for progression in due.pop(q, ()):
                due[progression.batch(q, n)].append(progression)
            for t, (step, arriving, row) in enumerate(zip(steps, incoming, finishes, strict=True)):
                # The lags below BLOCK, whose counts are this block's own.
                stop = max(q - step * min(m, (BLOCK - 1) // step) - 1, -1)
                value = sum(map(getitem, finishes, range(q - step, stop, -step)), arriving[q])
                arriving[q] = 0  # read once: keep only the budgets still to come
                if bits:
                    value += carries.rows[t][q] if carries else 0
                    out.rows[t][q], value = value >> bits, value & mask
                row[q] = value
            value = totals[q] + sum(row[q] for row in finishes)
            if bits:
                value += carries.totals[q] if carries else 0
                out.totals[q], value = value >> bits, value & mask
            totals[q] = value
        meter.block(end, begin)
    return totals, finishes, out


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
