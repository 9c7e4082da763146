"""Model families on a width grid: isoparam's predicted-and-proven widths against a plain
bisection on real builds, and against rounding the hand formula.

Run:  python benchmarks/models_grid.py

1. ``gpt`` (GPT-2 defaults) at 7 billion parameters, depths 2..48, widths on the 64-grid
   (the head size), cold count cache: isoparam's solver (a fitted quadratic predicts the
   width, two builds prove it) against a plain search on real builds at every depth
   (doubling from the smallest width, then bisection). Both are timed in one process after
   one warm-up build (torch's import), and the script asserts they pick the same widths.
2. The hand formula ``12*L*d^2 + V*d`` (blocks plus the token table) for a 12-layer
   nanoGPT-style model (vocab 50304, tied head, context 1024), solved with floating-point
   ``sqrt`` and then rounded, or truncated with ``int()``, to the 64-grid, against the
   closest grid width. The exact closest width comes from the family's quadratic, which
   isoparam fitted by building the models and verified at two more widths; a sample of
   budgets is also solved by the full grid solver, with builds, and must agree.
3. The second knob (``--fine ffn``): a nanoGPT-style ``gpt`` (vocab 50304) at 125 million
   parameters and ``llama`` (Llama-2 defaults) at 7 billion, depths 2..48 on the head-size
   grid: the deviation of the closest width alone against the width plus the feed-forward
   size solved at it (in steps of 1 and of 64), with time and builds. Every row is checked
   against a fresh build of its model.
"""

from __future__ import annotations

import math
import random
import time

from isoparam import grid_family, model_family
from isoparam.families.base import Quadratic
from isoparam.families.builder import TorchFamily, clear_cache
from isoparam.solvers.uniform import floor_width

BUDGET = 7 * 10**9
DEPTHS = range(2, 49)
STEP = 64


def plain_search(family: TorchFamily, depth: int, budget: int) -> tuple[int, int]:
    """The closest grid width by doubling then bisection on real builds; (width, builds)."""
    built: dict[int, int] = {}

    def count(index: int) -> int:
        if index not in built:
            built[index] = family.count(depth, STEP * index)
        return built[index]

    low, high = 0, 1
    while count(high) <= budget:
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if count(middle) <= budget else (low, middle)
    below, above = max(low, 1), max(low, 1) + 1
    best = below if budget - count(below) <= count(above) - budget else above
    return STEP * best, len(built)


def speed() -> None:
    gpt = model_family("gpt")
    gpt.count(1, 64)  # warm-up: imports torch and the builder
    clear_cache()
    start = time.perf_counter()
    result = grid_family(gpt, BUDGET, DEPTHS)
    solver_time = time.perf_counter() - start
    clear_cache()
    start = time.perf_counter()
    plain = [plain_search(gpt, depth, BUDGET) for depth in DEPTHS]
    plain_time = time.perf_counter() - start
    assert [row.width for row in result.rows] == [width for width, _ in plain]
    builds = [row.builds for row in result.rows]
    plain_builds = [count for _, count in plain]
    print("| gpt, 7e9, depths 2..48, 64-grid | time | builds | builds per depth |")
    print("|---|---:|---:|---:|")
    print(
        f"| isoparam (fit + 2 per depth) | {solver_time:.2f} s | "
        f"{result.fit_builds} + {sum(builds)} | {min(builds)}..{max(builds)} |"
    )
    print(
        f"| plain doubling + bisection | {plain_time:.2f} s | {sum(plain_builds)} | "
        f"{min(plain_builds)}..{max(plain_builds)} |"
    )
    print(f"\nratio: {plain_time / solver_time:.1f}x; every depth picks the same width\n")


def closest_on_grid(quadratic: Quadratic, budget: int) -> int:
    below = max(floor_width(quadratic, budget) // STEP, 1) * STEP
    above = below + STEP
    return below if budget - quadratic(below) <= quadratic(above) - budget else above


FORMULAS = (
    ("12*L*d^2 (Kaplan, non-embedding)", 0),
    ("12*L*d^2 + V*d (with the token table)", 50304),
    ("the exact count, 144*d^2 + 51486*d", 51486),
)
"""The hand formulas, as ``12*L*d^2 + linear*d`` at L = 12: Kaplan's alone, with the token
embedding, and the exact count of the built model (so that only the rounding is wrong)."""


def hand_formula() -> None:
    nano = model_family("gpt", {"vocab_size": 50304})
    quadratic = nano.uniform(12)
    assert quadratic == Quadratic(144, 51486, 0)
    generator = random.Random(15)
    budgets = [int(10 ** generator.uniform(7, 10)) for _ in range(100_000)]
    exact = [closest_on_grid(quadratic, budget) for budget in budgets]
    sample = budgets[:: len(budgets) // 40]
    for budget in sample:  # the quadratic against the full solver with real builds
        assert grid_family(nano, budget, [12]).rows[0].width == closest_on_grid(quadratic, budget)
    print(
        "| nanoGPT, 12 layers, vocab 50304, 64-grid | rounded: wrong | share | int(): wrong "
        "| share |"
    )
    print("|---|---:|---:|---:|---:|")
    worst = (0, 0, 0, 0)
    for name, linear in FORMULAS:
        wrong = {"round": 0, "int": 0}
        for budget, best in zip(budgets, exact, strict=True):
            root = (-linear + math.sqrt(linear**2 + 4 * 144 * budget)) / (2 * 144)
            rounded = max(round(root / STEP), 1) * STEP
            wrong["round"] += rounded != best
            wrong["int"] += max(int(root / STEP), 1) * STEP != best
            if linear == 51486 and rounded != best:
                loss = abs(quadratic(rounded) - budget) - abs(quadratic(best) - budget)
                worst = max(worst, (loss, budget, rounded, best))
        shares = {key: f"{100 * value / len(budgets):.2f}%" for key, value in wrong.items()}
        print(
            f"| {name} | {wrong['round']} | {shares['round']} | {wrong['int']} | {shares['int']} |"
        )
    loss, budget, rounded, best = worst
    print(
        f"\n{len(budgets)} budgets log-uniform in [10^7, 10^10], seed 15; {len(sample)} of "
        f"them re-solved with real builds. Worst rounding of the exact count: at {budget} "
        f"it gives {rounded} ({quadratic(rounded) - budget:+d}) where {best} gives "
        f"{quadratic(best) - budget:+d}"
    )


KNOBS: tuple[tuple[str, dict[str, int], int], ...] = (
    ("gpt", {"vocab_size": 50304}, 125 * 10**6),
    ("llama", {}, 7 * 10**9),
)


def percent(value: float) -> str:
    return f"{100 * value:+.3f}%"


def second_knob() -> None:
    print(
        "| model, budget, depths 2..48 | knob | deviation: min | max | max abs | time "
        "| builds per depth |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, arguments, budget in KNOBS:
        family = model_family(name, arguments)
        family.count(1, family.width_multiple)  # warm-up: imports torch and the builder
        for fine, fine_step in ((None, 1), ("ffn", 1), ("ffn", 64)):
            clear_cache()
            start = time.perf_counter()
            result = grid_family(family, budget, DEPTHS, fine=fine, fine_step=fine_step)
            elapsed = time.perf_counter() - start
            for row in result.rows:  # every row against a fresh build, outside the timing
                model = result.member(row).build(row.depth, row.width, "meta")
                assert sum(p.numel() for p in model.parameters()) == row.params
            assert result.proven
            deviations = [float(row.relative_deviation) for row in result.rows]
            builds = [row.builds for row in result.rows]
            knob = "width only" if fine is None else f"ffn, steps of {fine_step}"
            print(
                f"| {name}, {budget:.3g} | {knob} | {percent(min(deviations))} | "
                f"{percent(max(deviations))} | {100 * max(map(abs, deviations)):.3f}% | "
                f"{elapsed:.2f} s | {min(builds)}..{max(builds)} |"
            )
        ratios = [float(row.fine_ratio or 0) for row in result.rows]
        print(f"|  | ffn/width (steps of 64) | {min(ratios):.2f} | {max(ratios):.2f} | | | |")


if __name__ == "__main__":
    speed()
    hand_formula()
    second_knob()
