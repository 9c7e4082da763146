"""Closest count with bounded spread: isoparam against OR-Tools CP-SAT and Z3, side by side.

Run:  python benchmarks/spread_vs_solvers.py          (needs: pip install -e '.[bench]')

Each instance is solved in-process by isoparam (tables rebuilt from scratch every run), by a
CP-SAT model and by a Z3 model of the same problem: hidden widths written as a base m plus
offsets in [0, D], so that only two products are large (m*m and m*T, T the sum of adjacent
offset pairs); the base ranges over the same d+2 candidates isoparam proves sufficient. All
three must agree on the closest |deviation| and on whether the budget is hit exactly.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import z3
from ortools.sat.python import cp_model

from isoparam.families.mlp import MLP, CountingModel
from isoparam.solvers.spread import SpreadProblem, closest_with_spread, offset_tables


@dataclass(frozen=True)
class Instance:
    inputs: int
    outputs: int
    depth: int
    budget: int
    spread: int
    bias: bool

    def problem(self) -> SpreadProblem:
        return SpreadProblem(
            MLP(self.inputs, self.outputs, CountingModel(bias=self.bias)),
            self.depth,
            self.budget,
            1,
            self.budget,
        )

    def label(self) -> str:
        return (
            f"{self.inputs}->{self.outputs} L={self.depth} P={self.budget} D={self.spread}"
            f"{' bias' if self.bias else ''}"
        )


INSTANCES = [
    Instance(784, 10, 8, 100_000, 1, True),
    Instance(784, 10, 32, 10**7, 2, True),
    Instance(3072, 100, 24, 10**8, 2, True),
    Instance(784, 10, 64, 10**9, 3, True),
    Instance(784, 10, 100, 10**12 + 12345, 2, True),
    Instance(4, 3, 8, 1000, 2, False),
]


def solve_isoparam(instance: Instance) -> int:
    offset_tables.cache_clear()
    problem = instance.problem()
    widths = closest_with_spread(problem, instance.spread).widths
    count = problem.model.count_widths(widths)
    return abs(count - instance.budget)


def _terms(instance: Instance) -> tuple[int, int, int, int, range]:
    problem = instance.problem()
    h = problem.model.counting.hidden_unit_extras
    linear = instance.inputs + instance.outputs + h * instance.depth
    constant = instance.outputs * problem.model.counting.output_unit_extras
    return h, linear, constant, instance.depth - 1, problem.bases(instance.spread)


def solve_cpsat(instance: Instance, exact_only: bool = False) -> int | None:
    """The closest |deviation| by CP-SAT (or, with exact_only, 0 if exact else None)."""
    h, linear, constant, k, bases = _terms(instance)
    n, d = instance.depth, instance.spread
    model = cp_model.CpModel()
    m = model.new_int_var(bases[0], bases[-1], "m")
    x = [model.new_int_var(0, d, f"x{i}") for i in range(n)]
    products = []
    for i in range(n - 1):
        p = model.new_int_var(0, d * d, f"p{i}")
        model.add_multiplication_equality(p, [x[i], x[i + 1]])
        products.append(p)
    pair_sum = model.new_int_var(0, 2 * (n - 1) * d, "T")
    model.add(pair_sum == sum(x[i] + x[i + 1] for i in range(n - 1)))
    square = model.new_int_var(bases[0] ** 2, bases[-1] ** 2, "m2")
    model.add_multiplication_equality(square, [m, m])
    cross = model.new_int_var(0, bases[-1] * 2 * (n - 1) * d, "mT")
    model.add_multiplication_equality(cross, [m, pair_sum])
    count = (
        linear * m
        + k * square
        + cross
        + sum(products)
        + instance.inputs * x[0]
        + instance.outputs * x[-1]
        + h * sum(x)
        + constant
    )
    span = 4 * instance.budget
    deviation = model.new_int_var(-span, span, "dev")
    model.add(deviation == count - instance.budget)
    if exact_only:
        model.add(deviation == 0)
    else:
        distance = model.new_int_var(0, span, "abs")
        model.add_abs_equality(distance, deviation)
        model.minimize(distance)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    if exact_only:
        return 0 if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
    assert status == cp_model.OPTIMAL, solver.status_name(status)
    return int(solver.objective_value)


def solve_z3(instance: Instance, timeout_ms: int) -> int | None:
    """The closest |deviation| by Z3's optimiser, or None if it runs out of time."""
    h, linear, constant, k, bases = _terms(instance)
    n, d = instance.depth, instance.spread
    optimiser = z3.Optimize()
    optimiser.set("timeout", timeout_ms)
    m = z3.Int("m")
    x = [z3.Int(f"x{i}") for i in range(n)]
    optimiser.add(m >= bases[0], m <= bases[-1])
    for xi in x:
        optimiser.add(xi >= 0, xi <= d)
    pair_sum = z3.Sum([x[i] + x[i + 1] for i in range(n - 1)])
    count = (
        linear * m
        + k * m * m
        + m * pair_sum
        + z3.Sum([x[i] * x[i + 1] for i in range(n - 1)])
        + instance.inputs * x[0]
        + instance.outputs * x[-1]
        + h * z3.Sum(x)
        + constant
    )
    deviation = z3.Int("dev")
    optimiser.add(deviation == count - instance.budget)
    distance = z3.If(deviation >= 0, deviation, -deviation)
    handle = optimiser.minimize(distance)
    if optimiser.check() != z3.sat:
        return None
    if optimiser.reason_unknown():
        return None
    return int(str(handle.value()))


def timed(solve: Callable[[], int | None], repeats: int) -> tuple[float, int | None]:
    times, answer = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        answer = solve()
        times.append(time.perf_counter() - start)
    return statistics.median(times), answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--z3-timeout", type=float, default=60.0, help="seconds per instance")
    args = parser.parse_args()
    print(
        "| instance | closest abs(dev) | isoparam | CP-SAT closest | CP-SAT exact? | Z3 closest "
        "| CP-SAT / isoparam | Z3 / isoparam |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for instance in INSTANCES:
        ours, distance = timed(partial(solve_isoparam, instance), args.repeats)
        sat, sat_distance = timed(partial(solve_cpsat, instance), args.repeats)
        exact, exact_answer = timed(partial(solve_cpsat, instance, True), args.repeats)
        z3_time, z3_distance = timed(partial(solve_z3, instance, int(args.z3_timeout * 1000)), 1)
        assert sat_distance == distance, (instance, sat_distance, distance)
        assert (exact_answer == 0) == (distance == 0), (instance, exact_answer, distance)
        z3_cell = "timeout" if z3_distance is None else f"{z3_time * 1000:.0f} ms"
        if z3_distance is not None:
            assert z3_distance == distance, (instance, z3_distance, distance)
        z3_ratio = (
            f">{args.z3_timeout * 1000 / (ours * 1000):.0f}x"
            if z3_distance is None
            else f"{z3_time / ours:.0f}x"
        )
        print(
            f"| {instance.label()} | {distance} | {ours * 1000:.2f} ms | {sat * 1000:.1f} ms "
            f"| {exact * 1000:.1f} ms | {z3_cell} | {sat / ours:.1f}x | {z3_ratio} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
