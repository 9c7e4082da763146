"""Depth 3 along a profile: the line solver against the search it replaces.

Run:  python benchmarks/profile_lines.py

Each instance (inputs 784, outputs 10, biases, three hidden layers following a profile
within an offset) is answered twice in one process: as isoparam answers it now (lines along
the middle width, or a scan, proven closest within the work limit) and with the line solver
switched off (the value sets up to their limit, then a construction or the best found),
which is what isoparam answered before. The table gives each answer's status, deviation
and time (best of 3 runs).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from unittest import mock

from isoparam import family
from isoparam.results import Architecture
from isoparam.solvers import profiles

CASES = [
    ("trapezoid:2", 10**9, "200"),
    ("trapezoid:2", 10**6, "10"),
    ("trapezoid:2", 10**6, "5%"),
    ("trapezoid:2", 10**12, "10"),
    ("trapezoid:2", 10**12, "1%"),
    ("exponential-to-output", 10**9, "50"),
    ("wide-first:3", 10**15, "10"),
    ("custom:3,1,2", 10**15, "1000"),
    ("trapezoid-to-output", 10**20, "10"),
    ("exponential:1/2", 10**30, "10"),
    ("trapezoid:2", 10**30, "100"),
]


def status(arch: Architecture) -> str:
    if arch.constructed_above is not None:
        return f"exact (constructed, proven none <= {arch.constructed_above})"
    if arch.searched_up_to is not None:
        return f"best found (proven <= {arch.searched_up_to})"
    return "exact" if arch.exact else "closest"


def answer(profile: str, budget: int, offset: str) -> Architecture:
    (arch,) = family(784, 10, budget, [3], max_spread=offset, profile=profile).architectures
    return arch


def timed(run: Callable[[], Architecture]) -> tuple[Architecture, float]:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        arch = run()
        best = min(best, time.perf_counter() - start)
    return arch, best


def main() -> None:
    print("| profile | budget | max offset | now | dev | time | before | dev | time |")
    print("|---|---:|---:|---|---:|---:|---|---:|---:|")
    for profile, budget, offset in CASES:
        run = partial(answer, profile, budget, offset)
        now, now_time = timed(run)
        with mock.patch.object(profiles, "closest_profile_three", return_value=None):
            before, before_time = timed(run)
        print(
            f"| {profile} | 1e{len(str(budget)) - 1} | {offset} | {status(now)} | "
            f"{now.deviation:+d} | {now_time * 1000:.1f} ms | {status(before)} | "
            f"{before.deviation:+d} | {before_time * 1000:.1f} ms |"
        )


if __name__ == "__main__":
    main()
