"""Common budgets: number theory against a scan, bitset intersection against per-budget solves.

Run:  python benchmarks/budget_search.py

1. Equal widths. isoparam's Pell-equation search runs to 10^100; a brute-force scan (widths of
   the deepest depth walked upward, the others tested with isqrt, as a user would write it)
   gets the same wall-clock time, and the table shows how far it reaches.
2. With a spread. isoparam intersects each depth's reachable counts as bitsets; the
   alternative calls the exact family solver for every budget in the window and keeps the
   budgets where every depth is exact. Both must find the same common budgets.
3. Along a profile (BUTTER's trapezoid to the output size, offsets up to D): the same
   comparison, each depth's counts read off the profile search's value sets.
"""

from __future__ import annotations

import time
from functools import partial
from math import isqrt

from isoparam import family
from isoparam.families.mlp import MLP, CountingModel
from isoparam.request import FamilyRequest, Profile
from isoparam.solvers.budget import model_depths
from isoparam.solvers.intersect import common_counts, reachable_counts
from isoparam.solvers.pell import uniform_common_counts
from isoparam.solvers.profiles import ProfileProblem
from isoparam.solvers.spread import SpreadProblem, offset_tables

CASES = [
    (784, 10, (5, 6, 7, 8), True),
    (784, 10, tuple(range(5, 13)), True),
    (4, 3, (2, 3), False),
    (3072, 100, (2, 4, 6), True),
]


def scan(inputs: int, outputs: int, depths: tuple[int, ...], bias: bool, seconds: float) -> int:
    """Walk the deepest depth's widths for ``seconds``; return the budget reached."""
    model = CountingModel(bias=bias)
    counts = [MLP(inputs, outputs, model).uniform(depth) for depth in sorted(depths, reverse=True)]
    walker, others = counts[0], counts[1:]
    deadline = time.perf_counter() + seconds
    width = total = 1
    while time.perf_counter() < deadline:
        for _ in range(1000):
            total = walker(width)
            for count in others:
                # the width whose count is total, if any: root of the quadratic via isqrt
                root = isqrt(count.s * count.s + 4 * count.k * (total - count.u))
                b = (root - count.s) // (2 * count.k) if count.k else (total - count.u) // count.s
                if count(b) != total:
                    break
            width += 1
    return total


def equal_widths() -> None:
    print(
        "| inputs, outputs, depths | isoparam to 10^100 | scan, same time | scan, 1 s | answer |"
    )
    print("|---|---:|---:|---:|---|")
    for inputs, outputs, depths, bias in CASES:
        request = FamilyRequest(MLP(inputs, outputs, CountingModel(bias=bias)), tuple(depths))
        levels = model_depths(request)
        start = time.perf_counter()
        search = uniform_common_counts(levels, 1, 10**100)
        found = list(search.budgets)
        elapsed = time.perf_counter() - start
        reached = scan(inputs, outputs, depths, bias, max(elapsed, 0.001))
        second = scan(inputs, outputs, depths, bias, 1.0)
        answer = f"{len(found)} common budgets" + (" (all there are)" if search.complete else "")
        label = f"{inputs}, {outputs}, {','.join(map(str, depths))}{'' if bias else ', no bias'}"
        print(
            f"| {label} | {elapsed * 1000:.2f} ms | reaches {reached:.1e} "
            f"| reaches {second:.1e} | {answer} |"
        )


def with_spread() -> None:
    print()
    print("| depths, spread, window | intersection | per-budget solves | ratio | common budgets |")
    print("|---|---:|---:|---:|---:|")
    model = CountingModel()
    for depths, spread, centre, half in (
        ((5, 6, 7, 8), 3, 10**6, 300),
        ((5, 8, 12), 2, 10**5, 500),
    ):
        low, high = centre - half, centre + half
        problems = [SpreadProblem(MLP(784, 10, model), d, high, 1, high) for d in depths]
        offset_tables.cache_clear()
        start = time.perf_counter()
        reaches = [partial(reachable_counts, problem, spread) for problem in problems]
        ours = list(common_counts(reaches, low, high, 1 << 22))
        fast = time.perf_counter() - start
        start = time.perf_counter()
        theirs = [
            total
            for total in range(low, high + 1)
            if all(
                a.exact for a in family(784, 10, total, depths, max_spread=spread).architectures
            )
        ]
        slow = time.perf_counter() - start
        assert ours == theirs, (ours, theirs)
        label = f"{','.join(map(str, depths))}, {spread}, {low}..{high}"
        print(
            f"| {label} | {fast * 1000:.1f} ms | {slow * 1000:.0f} ms | {slow / fast:.0f}x "
            f"| {len(ours)} |"
        )


def with_profile() -> None:
    print()
    print(
        "| profile, depths, offset, window | intersection | per-budget solves | ratio | common |"
    )
    print("|---|---:|---:|---:|---:|")
    model = MLP(784, 10)
    for profile, depths, offset, centre, half in (
        ("trapezoid-to-output", (2, 3, 4, 5), 4, 103_500, 500),
        ("exponential-to-output", (3, 5), 2, 10**5, 500),
    ):
        low, high = centre - half, centre + half
        shape = Profile.parse(profile)
        problems = [ProfileProblem(model, shape, d, high) for d in depths]
        start = time.perf_counter()
        reaches = [partial(problem.reachable, offset) for problem in problems]
        ours = list(common_counts(reaches, low, high, 1 << 22))
        fast = time.perf_counter() - start
        start = time.perf_counter()
        theirs = [
            total
            for total in range(low, high + 1)
            if all(
                a.exact
                for a in family(
                    784, 10, total, depths, max_spread=offset, profile=profile
                ).architectures
            )
        ]
        slow = time.perf_counter() - start
        assert ours == theirs, (ours, theirs)
        label = f"{profile}, {','.join(map(str, depths))}, {offset}, {low}..{high}"
        print(
            f"| {label} | {fast * 1000:.1f} ms | {slow * 1000:.0f} ms | {slow / fast:.0f}x "
            f"| {len(ours)} |"
        )


if __name__ == "__main__":
    equal_widths()
    with_spread()
    with_profile()
