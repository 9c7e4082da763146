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
progression of step ``J = t + h + v``, kept as a running sum in a ring of ``J`` slots
(``H[q] = H[q - J] + V_v[q - (m+1)*J - h*v]``). Wide input sizes, and wide layers followed
by the output, are handled the same way. Per budget ``q`` that is about ``q`` additions
for neighbouring small widths and ``q^2 / 2m^2`` ring updates, about ``N^2`` big-integer
additions in all instead of the ``N^2 log N / 2`` of a recursion over every width, and
``m * N`` stored counts instead of ``N^2 / 2``.
"""

from __future__ import annotations

from collections.abc import Callable
from math import isqrt
from operator import getitem

Ring = tuple[int, int, list[int], list[int]]
"""``(start, step, slots, source)``: adds ``source[q - start]`` every ``step`` budgets."""


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
    n, m = limit, isqrt(limit)
    h = hidden
    ends = _ends(n, m, hidden, output)
    totals = _wide_inputs_to_output(n, m, output)
    finishes = [[0] * (n + 1) for _ in range(m)]  # finishes[t - 1][q] = V_t[q]
    # Through a wide layer between small t and v; from a wide input to small v.
    rings = [
        _rings(n, [((m + 1) * (t + h + v) + h * v, t + h + v) for v in range(1, m + 1)], finishes)
        for t in range(1, m + 1)
    ]
    wide_inputs = _rings(n, [((m + 1 + h) * v, v) for v in range(1, m + 1)], finishes)
    steps = range(1 + h, m + 1 + h)
    per_width = list(zip(steps, ends, rings, finishes, strict=True))
    for q in range(1, n + 1):
        for step, end_row, width_rings, row in per_width:
            count = end_row[q] + _advance(width_rings, q)
            if step <= q:
                stop = -1 if step * m > q else q - step * m - 1
                count += sum(map(getitem, finishes, range(q - step, stop, -step)))
            row[q] = count
        totals[q] += sum(row[q] for row in finishes) + _advance(wide_inputs, q)
        if progress is not None and q % 256 == 0:
            progress(q, n)
    return totals[1:]


def _rings(n: int, starts_steps: list[tuple[int, int]], finishes: list[list[int]]) -> list[Ring]:
    """One ring per small width ``v`` (in order) whose first budget is at most ``n``."""
    return [
        (start, step, [0] * step, finishes[v])
        for v, (start, step) in enumerate(starts_steps)
        if start <= n
    ]


def _advance(rings: list[Ring], q: int) -> int:
    """Move every ring (ordered by start) to budget ``q``; the sum of their running sums."""
    total = 0
    for start, step, slots, source in rings:
        if start > q:
            break
        slot = q % step
        running = slots[slot] + source[q - start]
        slots[slot] = running
        total += running
    return total


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
