"""Percentage spreads at large budgets: where the exhaustive search stops and exact widths
are built.

Run:  python benchmarks/large_spreads.py

For inputs 784, outputs 10 and biases on, `--max-spread 2%` (rectangle) and
`--max-spread 1% --profile trapezoid:2`: the time for one depth's answer, whether it is
exact, the spread (or offset from the profile) of the answer, the allowance in units, and
up to which spread the exhaustive search proved that no network hits the budget exactly.
Every answer is recounted.
"""

from __future__ import annotations

import time

from isoparam import IsoparamError, count_params, family
from isoparam.families.mlp import MLP
from isoparam.request import Profile, Spread
from isoparam.solvers.profiles import ProfileProblem
from isoparam.solvers.search import last_holding

CASES = (("rectangle", "2%", (2, 3, 5, 8, 32, 100)), ("trapezoid:2", "1%", (3, 6, 12, 32)))


def main() -> None:
    print("| profile | budget | depth | time | exact | found | allowed | proven none up to |")
    print("|---|---:|---:|---:|:---:|---:|---:|---:|")
    for profile, share, depths in CASES:
        for budget in (10**9, 10**12, 10**20, 10**30):
            for depth in depths:
                row(profile, share, budget, depth)


def row(profile: str, share: str, budget: int, depth: int) -> None:
    power = len(str(budget)) - 1
    start = time.perf_counter()
    try:
        (arch,) = family(784, 10, budget, [depth], max_spread=share, profile=profile).architectures
    except IsoparamError as error:
        elapsed = time.perf_counter() - start
        reason = str(error).split(";")[0]
        print(f"| {profile} | 10^{power} | {depth} | {elapsed:.2f} s | refused: {reason} ||||")
        return
    elapsed = time.perf_counter() - start
    assert arch.params == count_params(arch.sizes)
    (uniform,) = family(784, 10, budget, [depth]).architectures
    allowed = Spread.parse(share).resolve(uniform.widths[0])
    found = arch.spread
    if profile != "rectangle":
        found = offset_from_profile(arch.widths, profile, budget)
    proven = "-" if arch.constructed_above is None else arch.constructed_above
    print(
        f"| {profile} | 10^{power} | {depth} | {elapsed:.2f} s | "
        f"{'yes' if arch.exact else 'no'} | {found} | {allowed} | {proven} |",
        flush=True,
    )


def offset_from_profile(widths: tuple[int, ...], profile: str, budget: int) -> int:
    """The largest excess over the profile at the largest scale not above the widths (the
    excess only shrinks as the scale grows)."""
    problem = ProfileProblem(MLP(784, 10), Profile.parse(profile).ratios(len(widths)), budget)

    def under(scale: int) -> bool:
        return all(b <= w for w, b in zip(widths, problem.base(scale), strict=True))

    low = last_holding(under)
    return max(w - b for w, b in zip(widths, problem.base(low), strict=True))


if __name__ == "__main__":
    main()
