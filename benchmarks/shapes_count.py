"""Counting shapes with exactly P weights: isoparam against the alternatives.

Run:  python benchmarks/shapes_count.py

For growing P, the time to count the unconstrained shapes (no biases) by isoparam's free
count (narrow widths as states, wide ones summed in closed form), by isoparam's rule table
(what it uses once a rule such as --max-step applies), by a plain memoised recursion over
(remaining budget, last size), and by exhaustive search over all size tuples (the only
published approach); a method is dropped once one P takes longer than the cap, and the
largest P each finished is reported. All must agree. Then the issue's targets: the whole
sequence for P = 1..N.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from functools import cache

from isoparam.request import shape_rules
from isoparam.shapes.table import ShapeTable, count_sequence, count_shapes

CAP = 2.0


def memoised(budget: int) -> int:
    @cache
    def finish(remaining: int, last: int) -> int:
        total = 0
        for size in range(1, remaining // last + 1):
            total += 1 if last * size == remaining else finish(remaining - last * size, size)
        return total

    sys.setrecursionlimit(max(10_000, 4 * budget))
    return sum(finish(budget, first) for first in range(1, budget + 1))


def exhaustive(budget: int) -> int:
    count = 0

    def extend(last: int, remaining: int) -> None:
        nonlocal count
        for size in range(1, remaining // last + 1):
            if last * size == remaining:
                count += 1
            else:
                extend(size, remaining - last * size)

    for first in range(1, budget + 1):
        extend(first, budget)
    return count


def main() -> None:
    free = shape_rules(bias=False)
    methods: dict[str, Callable[[int], int]] = {
        "isoparam free count": lambda p: count_shapes(p, free),
        "isoparam rule table": lambda p: ShapeTable(free, p).total(p),
        "memoised recursion": memoised,
        "exhaustive search": exhaustive,
    }
    alive = set(methods)
    largest = dict.fromkeys(methods, 0)
    print("| P | count (digits) | " + " | ".join(methods) + " | recursion / free count |")
    print("|---:|---:|" + "---:|" * (len(methods) + 1))
    for budget in (10, 20, 30, 40, 100, 200, 400, 800, 1600, 3200, 6400):
        if not alive:
            break
        cells, answers, times = [], set(), {}
        for name, method in methods.items():
            if name not in alive:
                cells.append("-")
                continue
            start = time.perf_counter()
            answers.add(method(budget))
            elapsed = time.perf_counter() - start
            cells.append(f"{elapsed * 1000:.1f} ms")
            times[name] = elapsed
            if elapsed > CAP:
                alive.discard(name)
            else:
                largest[name] = budget
        assert len(answers) == 1, answers
        digits = len(str(answers.pop()))
        ratio = "-"
        if "memoised recursion" in times:
            ratio = f"{times['memoised recursion'] / times['isoparam free count']:.1f}x"
        print(f"| {budget} | {digits} | " + " | ".join(cells) + f" | {ratio} |", flush=True)
    print(f"\nlargest P counted within {CAP} s:", largest)
    for limit in (1000, 2000, 5000, 10_000):
        for bias in (False, True):
            start = time.perf_counter()
            count_sequence(limit, shape_rules(bias=bias))
            elapsed = time.perf_counter() - start
            print(f"isoparam: P = 1..{limit}, biases {'on' if bias else 'off'}: {elapsed:.2f} s")


if __name__ == "__main__":
    main()
