"""The solvers' reach (issue 12): instances that were refused or slow, timed in-process
against CP-SAT's feasibility model (is there an exact network?) in the same run.

    python benchmarks/reach.py [--cp-sat-limit SECONDS]

Each row: isoparam's answer (status with the spread up to which it is proven, |deviation|,
spread) and time, CP-SAT's answer to "is there an exact network with spread <= D?" and
time, and the ratio.
"""

from __future__ import annotations

import argparse
import time

from ortools.sat.python import cp_model

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cp-sat-limit", type=float, default=30.0)
    args = parser.parse_args()
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
