"""Percentage spreads at large budgets: where the tables stop and exact widths are built.

Run:  python benchmarks/large_spreads.py

For inputs 784, outputs 10, biases on and --max-spread 2%, the time for one depth's
answer, the spread found, and up to which spread the exhaustive search proved that no
network hits the budget exactly. Every answer is recounted.
"""

from __future__ import annotations

import time

from isoparam import IsoparamError, count_params, family


def main() -> None:
    print("| budget | depth | time | exact | spread found | 2% of width | proven none up to |")
    print("|---:|---:|---:|:---:|---:|---:|---:|")
    for budget in (10**9, 10**12, 10**20, 10**30):
        for depth in (2, 3, 5, 8, 32, 100):
            start = time.perf_counter()
            try:
                (arch,) = family(784, 10, budget, [depth], max_spread="2%").architectures
            except IsoparamError as error:
                elapsed = time.perf_counter() - start
                reason = str(error).split(";")[0]
                power = len(str(budget)) - 1
                print(f"| 10^{power} | {depth} | {elapsed:.2f} s | refused: {reason} ||||")
                continue
            elapsed = time.perf_counter() - start
            assert arch.params == count_params(arch.sizes)
            (uniform,) = family(784, 10, budget, [depth]).architectures
            proven = "-" if arch.constructed_above is None else arch.constructed_above
            print(
                f"| 10^{len(str(budget)) - 1} | {depth} | {elapsed:.2f} s | "
                f"{'yes' if arch.exact else 'no'} | {arch.spread} | "
                f"{uniform.widths[0] * 2 // 100} | {proven} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
