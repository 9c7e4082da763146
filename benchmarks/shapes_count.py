"""Counting shapes with exactly P weights: isoparam against the alternatives.

Run:  python benchmarks/shapes_count.py

For growing P, the time to count the unconstrained shapes (no biases) by isoparam's free
count (narrow widths as states, wide ones summed in closed form), by isoparam's rule table
(what it uses once a rule such as --max-step applies), by a plain memoised recursion over
(remaining budget, last size), and by exhaustive search over all size tuples (the only
published approach); a method is dropped once one P takes longer than the cap, and the
largest P each finished is reported. All must agree.

Then the whole sequence P = 1..N (what `isoparam count --upto N` computes), the previous
counter (one pass on exact big integers, `isoparam/shapes/free.py` at git revision OLD,
loaded from git) against the current one (digit by digit), each in a fresh process so that
its peak resident memory is its own; their counts must be equal. `--quick` stops at 10000.
"""

from __future__ import annotations

import hashlib
import resource
import subprocess
import sys
import time
import types
from collections.abc import Callable
from functools import cache
from pathlib import Path

from isoparam.request import shape_rules
from isoparam.shapes.table import ShapeTable, count_sequence, count_shapes

CAP = 2.0

OLD = "6e3815f"
"""The last revision that counted in one pass on exact big integers."""


def old_counter() -> Callable[[int, int, int], list[int]]:
    """``free_shape_counts`` of revision :data:`OLD`, from git (it imports only the stdlib)."""
    root = Path(__file__).resolve().parent.parent
    source = subprocess.run(
        ["git", "show", f"{OLD}:src/isoparam/shapes/free.py"],
        cwd=root, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    module = types.ModuleType("old_free")
    sys.modules[module.__name__] = module  # its dataclass looks its module up
    exec(compile(source, f"{OLD}:free.py", "exec"), module.__dict__)
    counter: Callable[[int, int, int], list[int]] = module.free_shape_counts
    return counter


def measure_one(which: str, limit: int, bias: bool) -> None:
    """In this process: count P = 1..limit with one counter; print time, peak RSS, digest."""
    extras = int(bias)
    start = time.perf_counter()
    if which == "old":
        counts = old_counter()(limit, extras, extras)
    else:
        counts = count_sequence(limit, shape_rules(bias=bias))
    elapsed = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    # The peak resident memory of this process since its exec (Linux): ru_maxrss would
    # start from the parent's at the fork.
    status = Path("/proc/self/status").read_text()
    peak = 1024 * int(status.split("VmHWM:")[1].split()[0])
    digest = hashlib.sha256(repr(counts).encode()).hexdigest()[:16]
    print(f"{elapsed:.2f} {cpu:.2f} {peak} {digest} {counts[-1].bit_length()}")


def measure(which: str, limit: int, bias: bool) -> tuple[float, float, int, str, int]:
    """Run :func:`measure_one` in a fresh process: (wall s, CPU s, peak bytes, digest, bits)."""
    command = [sys.executable, __file__, "--one", which, str(limit), str(int(bias))]
    line = subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
    return float(line[0]), float(line[1]), int(line[2]), line[3], int(line[4])


def sequences(limits: tuple[int, ...]) -> None:
    """The whole sequence up to each limit, old against new, side by side."""
    print(
        f"\n| N | biases | largest count | old ({OLD}) wall / CPU | old peak RSS "
        "| new wall / CPU | new peak RSS | CPU new/old | memory old/new |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for limit, bias in [(n, True) for n in limits] + [(limits[-1], False)]:
        old_wall, old_cpu, old_peak, old_digest, bits = measure("old", limit, bias)
        new_wall, new_cpu, new_peak, new_digest, _ = measure("new", limit, bias)
        assert old_digest == new_digest, (limit, bias)
        print(
            f"| {limit} | {'on' if bias else 'off'} | {bits} bits "
            f"| {old_wall:.1f} s / {old_cpu:.1f} s | {old_peak / 1e9:.2f} GB "
            f"| {new_wall:.1f} s / {new_cpu:.1f} s | {new_peak / 1e9:.2f} GB "
            f"| {new_cpu / old_cpu:.2f}x | {old_peak / new_peak:.1f}x |",
            flush=True,
        )


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
    sequences((2000, 5000, 10_000) if "--quick" in sys.argv else (2000, 5000, 10_000, 20_000))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        measure_one(sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1")
    else:
        main()
