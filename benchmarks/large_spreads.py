"""Percentage spreads at large budgets: where the exhaustive search stops and exact widths
are built.

Run:  python benchmarks/large_spreads.py

For inputs 784, outputs 10 and biases on, `--max-spread 2%` (rectangle) and
`--max-spread 1% --profile trapezoid:2`: the time for one depth's answer, its status, the
spread (or offset from the profile) of the answer, the allowance in units, and what was
proven beyond the exhaustive search: for `exact*` the spread up to which no network hits
the budget, for `best found` (and `closest` beyond the tables) the spread up to which none
comes closer. Every answer is recounted.
"""

from __future__ import annotations

import time

from isoparam import IsoparamError, count_params, family
from isoparam.request import Spread

CASES = (("rectangle", "2%", (2, 3, 5, 8, 32, 100)), ("trapezoid:2", "1%", (3, 6, 12, 32)))


def main() -> None:
    print("| profile | budget | depth | time | status | found | allowed | proven up to |")
    print("|---|---:|---:|---:|:---:|---:|---:|---:|")
    for profile, share, depths in CASES:
        for budget in (10**9, 10**12, 10**20, 10**30):
            for depth in depths:
                row(profile, share, budget, depth)


def row(profile: str, share: str, budget: int, depth: int) -> None:
    power = len(str(budget)) - 1
    start = time.perf_counter()
    try:
        fam = family(784, 10, budget, [depth], max_spread=share, profile=profile)
        (arch,) = fam.architectures
    except IsoparamError as error:
        elapsed = time.perf_counter() - start
        reason = str(error).split(";")[0]
        print(f"| {profile} | 10^{power} | {depth} | {elapsed:.2f} s | refused: {reason} ||||")
        return
    elapsed = time.perf_counter() - start
    assert arch.params == count_params(arch.sizes)
    (uniform,) = family(784, 10, budget, [depth]).architectures
    allowed = Spread.parse(share).resolve(uniform.widths[0])
    found = arch.spread  # under a profile, the offset from it
    status = arch.status
    bound = arch.constructed_above if arch.searched_up_to is None else arch.searched_up_to
    proven = "-" if bound is None else bound
    print(
        f"| {profile} | 10^{power} | {depth} | {elapsed:.2f} s | {status} | {found} | "
        f"{allowed} | {proven} |",
        flush=True,
    )


if __name__ == "__main__":
    main()
