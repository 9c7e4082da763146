"""Exact widths built beyond the exhaustive search, checked against brute force."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from isoparam import MLP, SearchLimits, count_params, family, from_json, to_json
from isoparam.families.mlp import CountingModel
from isoparam.solvers.construct import _solve, closest_depth_two
from isoparam.solvers.spread import SpreadProblem, table_bits
from tests.reference import brute_force_family_row, reference_count, uniform_count


@settings(max_examples=400, deadline=None)
@given(
    a=st.integers(1, 30),
    b=st.integers(1, 30),
    total=st.integers(0, 1500),
    x_low=st.integers(1, 20),
    x_width=st.integers(0, 20),
    y_low=st.integers(1, 20),
    y_width=st.integers(0, 20),
)
def test_linear_solve_matches_brute_force(
    a: int, b: int, total: int, x_low: int, x_width: int, y_low: int, y_width: int
) -> None:
    xs, ys = (x_low, x_low + x_width), (y_low, y_low + y_width)
    pairs = [
        (x, y)
        for x in range(xs[0], xs[1] + 1)
        for y in range(ys[0], ys[1] + 1)
        if a * x + b * y == total
    ]
    assert _solve(a, b, total, xs, ys) == (max(pairs) if pairs else None)


@settings(max_examples=400, deadline=None)
@given(
    inputs=st.integers(1, 25),
    outputs=st.integers(1, 25),
    spread=st.integers(0, 5),
    slack=st.integers(0, 2500),
    low=st.integers(1, 6),
    extra=st.integers(0, 40),
    bias=st.booleans(),
    norm=st.sampled_from(["none", "layer"]),
)
def test_depth_two_scan_matches_brute_force(
    inputs: int,
    outputs: int,
    spread: int,
    slack: int,
    low: int,
    extra: int,
    bias: bool,
    norm: str,
) -> None:
    target = uniform_count(inputs, outputs, 2, low, bias, norm) + slack
    high = low + extra
    problem = SpreadProblem(MLP(inputs, outputs, CountingModel(bias, norm)), 2, target, low, high)
    expected = brute_force_family_row(
        inputs, outputs, 2, target, spread, bias, norm, low=low, high=high
    )
    assert closest_depth_two(problem, spread) == expected


@settings(max_examples=150, deadline=None)
@given(
    inputs=st.integers(1, 25),
    outputs=st.integers(1, 25),
    depth=st.integers(2, 5),
    spread=st.integers(2, 4),
    slack=st.integers(0, 3000),
    bias=st.booleans(),
)
def test_claims_beyond_the_tables_hold(
    inputs: int, outputs: int, depth: int, spread: int, slack: int, bias: bool
) -> None:
    # Shrink the tables' limit so that they stop after spread 1 and what lies beyond runs
    # (lines at depth 3, the scan at depth 2, constructions or the best found deeper);
    # every claim it then makes is checked by brute force over all width tuples.
    target = uniform_count(inputs, outputs, depth, 1, bias) + slack
    limits = SearchLimits(table_bits=table_bits(depth, 1))
    (arch,) = family(
        inputs, outputs, target, [depth], bias=bias, max_spread=spread, limits=limits
    ).architectures
    best = brute_force_family_row(inputs, outputs, depth, target, spread, bias)
    assert arch.params == count_params(arch.sizes, bias=bias)
    assert arch.spread <= spread
    if arch.constructed_above is None and arch.searched_up_to is None:
        assert arch.widths == best  # proven: the same answer as brute force
        return
    assert depth >= 4  # depths 2 and 3 are solved outright at these sizes

    def closest(max_spread: int) -> int:
        row = brute_force_family_row(inputs, outputs, depth, target, max_spread, bias)
        return abs(reference_count([inputs, *row, outputs], bias) - target)

    if arch.constructed_above is not None:
        # Exact, and no exact network with spread up to the claimed floor (the chains'
        # bounds may prove more than the tables did).
        assert arch.searched_up_to is None
        assert arch.exact
        assert 1 <= arch.constructed_above < arch.spread
        assert closest(arch.constructed_above) != 0
        assert max(best) - min(best) <= arch.spread
        return
    # Best found: not exact, and no network with spread up to the claim comes closer.
    assert arch.searched_up_to is not None
    assert 1 <= arch.searched_up_to <= spread
    assert abs(arch.deviation) <= closest(1)
    assert closest(arch.searched_up_to) >= abs(arch.deviation)
    assert not arch.exact


def test_percentages_at_large_budgets_are_exact() -> None:
    # 2% of the width at 10^12 is far beyond the tables; the construction hits exactly.
    for depth in (3, 5, 8, 32, 100):
        (arch,) = family(784, 10, 10**12, [depth], max_spread="2%").architectures
        (uniform,) = family(784, 10, 10**12, [depth]).architectures
        assert arch.exact
        assert arch.params == count_params(arch.sizes)
        assert arch.spread <= uniform.widths[0] * 2 // 100
        # Depth 3 is solved by lines (proven smallest spread); deeper ones are built.
        assert (arch.constructed_above is None) == (depth == 3)
        assert family(784, 10, 10**12, [depth], max_spread="2%").architectures == (arch,)


def test_depth_two_wide_windows_factorise() -> None:
    # A budget built from two widths 0.5% apart: an exact network must be found, by
    # factorising, with a spread no larger.
    widths = (10**10 + 12_345, 10**10 + 50_012_345)
    target = count_params((784, *widths, 10))
    (arch,) = family(784, 10, target, [2], max_spread="2%").architectures
    assert arch.exact
    assert arch.constructed_above is None
    assert arch.spread <= widths[1] - widths[0]
    # Too large to factorise with certainty and too wide to scan: the best found, with
    # the spread up to which the scan proved it closest.
    limits = SearchLimits(scan=20_000)
    (best,) = family(784, 10, 10**30, [2], max_spread="2%", limits=limits).architectures
    assert best.searched_up_to is not None
    (scanned,) = family(
        784, 10, 10**30, [2], max_spread=best.searched_up_to, limits=limits
    ).architectures
    assert scanned.searched_up_to is None
    assert abs(best.deviation) <= abs(scanned.deviation)


def test_built_rows_survive_json() -> None:
    fam = family(784, 10, 10**9, "4,8", max_spread="2%")
    assert fam.architectures[0].constructed_above is not None
    assert from_json(json.loads(json.dumps(to_json(fam)))) == fam


@settings(max_examples=200, deadline=None)
@given(
    inputs=st.integers(1, 60),
    outputs=st.integers(1, 60),
    spread=st.integers(1, 40),
    target=st.integers(100, 10**6),
    bias=st.booleans(),
)
def test_depth_two_divisors_agree_with_the_scan(
    inputs: int, outputs: int, spread: int, target: int, bias: bool
) -> None:
    problem = SpreadProblem(MLP(inputs, outputs, CountingModel(bias)), 2, target, 1, target)
    if target < problem.uniform(1):
        return
    scanned = closest_depth_two(problem, spread)
    assert scanned is not None  # the scan is within its limit: always an answer
    exact = count_params((inputs, *scanned, outputs), bias=bias) == target
    narrow = replace(problem, limits=SearchLimits(scan=1))
    assert closest_depth_two(narrow, spread) == (scanned if exact else None)
