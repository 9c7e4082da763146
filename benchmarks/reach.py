"""The solvers' reach (issue 12): instances that were refused or slow, timed in-process
against CP-SAT's feasibility model (is there an exact network?) in the same run.

    python benchmarks/reach.py [--cp-sat-limit SECONDS]
    python benchmarks/reach.py --sweep [--json FILE] [--profile N]

``--sweep`` times every depth x budget x spread of the near-uniform sweep (784/10, biases,
each depth solved alone, the tables' cache cleared), lists the cases over 1 s (at least the
five slowest), prints max and median seconds, optionally writes the answers to FILE (to
compare revisions) and profiles the N slowest cases with cProfile.

Each row: isoparam's answer (status with the spread up to which it is proven, |deviation|,
spread) and time, CP-SAT's answer to "is there an exact network with spread <= D?" and
time, and the ratio.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import time

from isoparam import family
from isoparam.families.mlp import MLP, CountingModel
from isoparam.solvers.spread import SpreadProblem
from isoparam.solvers.tables import offset_tables

INSTANCES = [
    # inputs, outputs, depth, budget, spread, bias
    (784, 10, 3, 10**9, 195, True),
    (784, 10, 3, 10**9, 24, True),
    (784, 10, 256, 10**11, 8, False),
    (784, 10, 1000, 10**9, 1, True),
    (784, 10, 100, 10**12, 4, True),
    (784, 10, 100, 10**12 + 12345, 2, True),
    (784, 10, 2, 10**15, 1, True),
    (784, 10, 1000, 10**12, 4, True),
    (784, 10, 256, 10**12, 8, True),
    (784, 10, 1000, 10**20, 8, True),
]


def run_isoparam(instance: tuple[int, int, int, int, int, bool]) -> tuple[float, str]:
    inputs, outputs, depth, budget, spread, bias = instance
    offset_tables.cache_clear()
    start = time.perf_counter()
    (arch,) = family(inputs, outputs, budget, [depth], bias=bias, max_spread=spread).architectures
    took = time.perf_counter() - start
    if arch.searched_up_to is not None:
        status = f"best found (none closer, spread <= {arch.searched_up_to})"
    elif arch.constructed_above is not None:
        status = f"exact* (none exact, spread <= {arch.constructed_above})"
    else:
        status = "exact" if arch.exact else "closest"
    return took, f"{status} \\|dev\\| {abs(arch.deviation)} spread {arch.spread}"


def run_cpsat(instance: tuple[int, int, int, int, int, bool], limit: float) -> tuple[float, str]:
    """Exact widths with spread <= D: widths w_i = m + x_i, products by multiplication
    equalities, the count set equal to the budget."""
    from ortools.sat.python import cp_model  # only the comparison needs it

    inputs, outputs, depth, budget, spread, bias = instance
    mlp = MLP(inputs, outputs, CountingModel(bias=bias))
    problem = SpreadProblem(mlp, depth, budget, 1, budget)
    bases = problem.bases(spread)
    if budget >= 2**62 or (bases[-1] + spread) ** 2 >= 2**62:
        return 0.0, "cannot be modelled (64-bit integers)"
    h, o = mlp.counting.hidden_unit_extras, mlp.counting.output_unit_extras
    model = cp_model.CpModel()
    widths = [model.new_int_var(bases[0], bases[-1] + spread, f"w{i}") for i in range(depth)]
    low = model.new_int_var(bases[0], bases[-1], "low")
    for w in widths:
        model.add(w >= low)
        model.add(w <= low + spread)
    top = (bases[-1] + spread) ** 2
    products = []
    for i in range(depth - 1):
        p = model.new_int_var(0, top, f"p{i}")
        model.add_multiplication_equality(p, [widths[i], widths[i + 1]])
        products.append(p)
    model.add(
        inputs * widths[0] + sum(products) + outputs * widths[-1] + h * sum(widths) + o * outputs
        == budget
    )
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 8
    solver.parameters.max_time_in_seconds = limit
    start = time.perf_counter()
    status = solver.solve(model)
    took = time.perf_counter() - start
    names = {cp_model.OPTIMAL: "exact", cp_model.FEASIBLE: "exact", cp_model.INFEASIBLE: "none"}
    return took, names.get(status, f"unknown after {limit:g} s")


SWEEP_DEPTHS = (4, 8, 16, 32, 64, 100, 128, 256, 512, 1000)
SWEEP_BUDGETS = (10**6, 10**9, 10**12, 10**20, 10**30, 10**50, 10**100)
SWEEP_SPREADS = ("1", "2", "4", "8", "1%", "2%", "5%")


def solve_case(depth: int, budget: int, spread: str) -> dict[str, object]:
    """One sweep case, 784/10 with biases, solved alone: its answer (what a revision must
    not weaken)."""
    offset_tables.cache_clear()
    (arch,) = family(784, 10, budget, [depth], max_spread=spread).architectures
    return {
        "widths": list(arch.widths),
        "deviation": arch.deviation,
        "spread": arch.spread,
        "constructed_above": arch.constructed_above,
        "searched_up_to": arch.searched_up_to,
        "reason": arch.reason,
    }


def sweep(json_path: str | None, profiles: int) -> None:
    """Time every sweep case; print the slow ones, the summary and the profiles."""
    times: list[tuple[float, int, int, str]] = []
    answers: dict[str, dict[str, object]] = {}
    for depth in SWEEP_DEPTHS:
        for budget in SWEEP_BUDGETS:
            for spread in SWEEP_SPREADS:
                start = time.perf_counter()
                answer = solve_case(depth, budget, spread)
                took = time.perf_counter() - start
                times.append((took, depth, budget, spread))
                answers[f"{depth} {budget} {spread}"] = answer
    slow = sorted((case for case in times if case[0] > 1.0), reverse=True)
    print(f"| depth | budget | spread | seconds |  ({len(slow)} cases over 1 s, at least 5 shown)")
    print("|---:|---:|---:|---:|")
    for took, depth, budget, spread in sorted(times, reverse=True)[: max(5, len(slow))]:
        print(f"| {depth} | {budget:.0e} | {spread} | {took:.2f} |")
    seconds = [case[0] for case in times]
    print(
        f"{len(times)} cases: max {max(seconds):.2f} s, median {statistics.median(seconds):.3f} s,"
        f" {len(slow)} over 1 s"
    )
    if json_path is not None:
        with open(json_path, "w") as out:
            json.dump(answers, out, indent=0, default=str)
    for took, depth, budget, spread in sorted(times, reverse=True)[:profiles]:
        print(f"\nprofile: depth {depth} budget {budget:.0e} spread {spread} ({took:.2f} s)")
        profiler = cProfile.Profile()
        profiler.runcall(solve_case, depth, budget, spread)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cp-sat-limit", type=float, default=30.0)
    parser.add_argument("--sweep", action="store_true", help="time the near-uniform sweep")
    parser.add_argument("--json", help="with --sweep: write the answers to this file")
    parser.add_argument("--profile", type=int, default=0, help="with --sweep: profile N cases")
    args = parser.parse_args()
    if args.sweep:
        sweep(args.json, args.profile)
        return
    print("| instance | isoparam | time | CP-SAT (exact?) | time | ratio |")
    print("|---|---|---:|---|---:|---:|")
    for instance in INSTANCES:
        inputs, outputs, depth, budget, spread, bias = instance
        ours, answer = run_isoparam(instance)
        theirs, verdict = run_cpsat(instance, args.cp_sat_limit)
        label = f"{inputs}/{outputs} L={depth} P={budget} D={spread}{'' if bias else ' no bias'}"
        ratio = f"{theirs / ours:.0f}x" if theirs else "-"
        print(f"| {label} | {answer} | {ours:.3f} s | {verdict} | {theirs:.2f} s | {ratio} |")


if __name__ == "__main__":
    main()
