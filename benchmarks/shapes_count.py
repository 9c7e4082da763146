"""Counting shapes with exactly P weights: isoparam's table against the alternatives.

Run:  python benchmarks/shapes_count.py

For growing P, the time to count the unconstrained shapes (no biases) by isoparam's table,
by a plain memoised recursion over (remaining budget, last size), and by exhaustive search
over all size tuples (the only published approach); a method is dropped once one P takes
longer than the cap. All three must agree.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from functools import cache

from isoparam.shapes import count_sequence, count_shapes, shape_rules

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
    methods: dict[str, Callable[[int], int]] = {
        "isoparam table": lambda p: count_shapes(p, shape_rules(bias=False)),
        "memoised recursion": memoised,
        "exhaustive search": exhaustive,
    }
    alive = set(methods)
    print("| P | count | " + " | ".join(methods) + " |")
    print("|---:|---:|" + "---:|" * len(methods))
    for budget in (10, 20, 30, 40, 60, 100, 200, 400, 800, 1200):
        cells, answers = [], set()
        for name, method in methods.items():
            if name not in alive:
                cells.append("-")
                continue
            start = time.perf_counter()
            answers.add(method(budget))
            elapsed = time.perf_counter() - start
            cells.append(f"{elapsed * 1000:.1f} ms")
            if elapsed > CAP:
                alive.discard(name)
        assert len(answers) == 1, answers
        print(f"| {budget} | {answers.pop()} | " + " | ".join(cells) + " |", flush=True)
    start = time.perf_counter()
    count_sequence(1000, shape_rules(bias=False))
    print(f"\nisoparam: the sequence for P = 1..1000 in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
