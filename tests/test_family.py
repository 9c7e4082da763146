"""The uniform family against brute-force references, at small and astronomical budgets."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isoparam import (
    NORMS,
    IsoparamError,
    common_budget,
    count_params,
    family,
    family_grid,
    from_json,
)
from isoparam.cli import main
from isoparam.request import parse_budgets
from tests.reference import (
    bisect_closest_width,
    reference_count,
    scan_closest_width,
    uniform_count,
)


@given(
    inputs=st.integers(1, 300),
    outputs=st.integers(1, 300),
    depth=st.integers(1, 12),
    slack=st.integers(0, 200_000),
    bias=st.booleans(),
    norm=st.sampled_from(NORMS),
)
def test_small_budgets_match_a_scan_of_every_width(
    inputs: int, outputs: int, depth: int, slack: int, bias: bool, norm: str
) -> None:
    target = uniform_count(inputs, outputs, depth, 1, bias, norm) + slack
    (arch,) = family(inputs, outputs, target, [depth], bias=bias, norm=norm).architectures
    width = scan_closest_width(inputs, outputs, depth, target, bias, norm)
    assert arch.widths == (width,) * depth
    assert arch.params == uniform_count(inputs, outputs, depth, width, bias, norm)
    assert arch.deviation == arch.params - target


@given(
    inputs=st.integers(1, 10**6),
    outputs=st.integers(1, 10**6),
    depth=st.integers(1, 64),
    target=st.integers(10**30, 10**45),
    bias=st.booleans(),
)
def test_huge_budgets_match_bisection(
    inputs: int, outputs: int, depth: int, target: int, bias: bool
) -> None:
    (arch,) = family(inputs, outputs, target, [depth], bias=bias).architectures
    width = bisect_closest_width(inputs, outputs, depth, target, bias)
    assert arch.widths == (width,) * depth
    assert arch.params == count_params(arch.sizes, bias=bias)
    assert arch.deviation == arch.params - target


@given(
    inputs=st.integers(1, 50),
    outputs=st.integers(1, 50),
    depth=st.integers(1, 8),
    width=st.integers(1, 10**20),
    bias=st.booleans(),
)
def test_a_reachable_budget_is_hit_exactly(
    inputs: int, outputs: int, depth: int, width: int, bias: bool
) -> None:
    target = uniform_count(inputs, outputs, depth, width, bias)
    (arch,) = family(inputs, outputs, target, [depth], bias=bias).architectures
    assert arch.widths == (width,) * depth
    assert arch.exact


def test_ties_go_to_the_smaller_width() -> None:
    # Depth 1, inputs 1, outputs 1, no bias: count = 2b. Budget 5 lies between 4 and 6.
    (arch,) = family(1, 1, 5, [1], bias=False).architectures
    assert arch.widths == (2,)
    assert arch.deviation == -1


def test_tolerance_marks_each_depth_exactly_at_the_edge() -> None:
    # Depth 1, inputs 1, outputs 1, no bias: count = 2b, so budget 101 misses by 1.
    inside = family(1, 1, 101, [1], bias=False, tolerance=Fraction(1, 101))
    outside = family(1, 1, 101, [1], bias=False, tolerance="0.99%")
    assert inside.architectures[0].within_tolerance is True
    assert inside.all_within_tolerance
    assert outside.architectures[0].within_tolerance is False
    assert not outside.all_within_tolerance


def test_without_tolerance_nothing_is_marked() -> None:
    fam = family(784, 10, 100_000, "5-12")
    assert all(arch.within_tolerance is None for arch in fam.architectures)
    assert fam.all_within_tolerance


def test_relative_deviation_is_exact() -> None:
    (arch,) = family(1, 1, 5, [1], bias=False).architectures
    assert arch.relative_deviation == Fraction(-1, 5)


def test_results_are_frozen_and_hashable() -> None:
    first = family(784, 10, 100_000, "5-12")
    assert first == family(784, 10, 100_000, range(5, 13))
    assert hash(first) == hash(family(784, 10, 100_000, "5-12"))
    with pytest.raises(AttributeError):
        first.target = 3  # type: ignore[misc]


def test_budget_below_the_smallest_network_names_the_depth() -> None:
    smallest = uniform_count(784, 10, 12, 1, True)
    fam = family(784, 10, smallest - 1, "5-12")
    assert fam.architectures[-1].reason is not None
    assert f"depth 12: its smallest network (every hidden width 1) has {smallest}" in (
        fam.architectures[-1].reason
    )
    with pytest.raises(IsoparamError, match=f"depth 12.*{smallest}"):
        family(784, 10, smallest - 1, "12")
    assert family(784, 10, smallest, "12").architectures[0].widths == (1,) * 12


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((0, 10, 1000, "5"), {}),
        ((784, 0, 1000, "5"), {}),
        ((784, 10, 0, "5"), {}),
        ((784, 10, -3, "5"), {}),
        ((784, 10, 1000.0, "5"), {}),
        ((784, 10, 10**6, "5"), {"max_spread": "x"}),
        ((784, 10, 10**6, "5"), {"tolerance": "-1%"}),
        ((784, 10, 10**6, "5"), {"tolerance": "lots"}),
    ],
)
def test_bad_requests_are_refused(args: tuple[object, ...], kwargs: dict[str, object]) -> None:
    with pytest.raises(IsoparamError):
        family(*args, **kwargs)  # type: ignore[call-overload]


@given(
    inputs=st.integers(1, 60),
    outputs=st.integers(1, 60),
    depth=st.integers(1, 6),
    slack=st.integers(0, 5000),
    low=st.integers(1, 8),
    bias=st.booleans(),
    norm=st.sampled_from(NORMS),
)
def test_under_is_the_widest_uniform_network_within_the_cap(
    inputs: int, outputs: int, depth: int, slack: int, low: int, bias: bool, norm: str
) -> None:
    target = uniform_count(inputs, outputs, depth, low, bias, norm) + slack
    (arch,) = family(
        inputs, outputs, target, [depth], bias=bias, norm=norm, min_width=low, under=True
    ).architectures
    # Brute force: every width from the lower bound while the count stays within the cap.
    fitting = [
        width
        for width in range(low, low + slack + 2)
        if uniform_count(inputs, outputs, depth, width, bias, norm) <= target
    ]
    assert arch.widths == (max(fitting),) * depth
    assert arch.params <= target


def test_narrow_networks_and_rounded_percentages_are_flagged(
    capsys: pytest.CaptureFixture[str],
) -> None:
    fam = family(4, 3, 22, "5-6", bias=False, max_spread=1)
    assert all(min(a.widths) < 4 for a in fam.architectures)
    assert [fam.is_narrow(a) for a in fam.architectures] == [True, True]
    assert not any(
        family(4, 3, 22, "5-6", bias=False, max_spread=1, narrow=0).is_narrow(a)
        for a in fam.architectures
    )
    assert (
        main(
            [
                "family",
                "--inputs",
                "4",
                "--outputs",
                "3",
                "--params",
                "300",
                "--depths",
                "5,6",
                "--max-spread",
                "5%",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    # 5% of a width below 20 is below one unit: both depths fall back to equal widths.
    assert "5% rounds to spread 0 (equal widths) at depth 5, 6" in out
    assert "narrow" not in out
    assert (
        main(
            [
                "budget",
                "--inputs",
                "4",
                "--outputs",
                "3",
                "--depths",
                "5-12",
                "--no-bias",
                "--max-spread",
                "1",
            ]
        )
        == 0
    )
    assert "--min-width 4 excludes such networks" in capsys.readouterr().out


@given(
    inputs=st.integers(1, 50),
    outputs=st.integers(1, 50),
    slack=st.integers(-40, 400),
    bias=st.booleans(),
)
def test_depth_zero_is_the_linear_model(inputs: int, outputs: int, slack: int, bias: bool) -> None:
    linear = reference_count([inputs, outputs], bias)
    target = max(1, linear + slack)
    deeper = uniform_count(inputs, outputs, 1, 1, bias)
    if target < linear and target < deeper:
        with pytest.raises(IsoparamError, match="too small"):
            family(inputs, outputs, target, "0-1", bias=bias)
        return
    fam = family(inputs, outputs, target, "0-1", bias=bias)
    zero, one = fam.architectures
    assert (zero.depth, zero.widths, zero.params) == (0, (), linear)
    assert (zero.reason is None) == (linear <= target)  # depth 0 has one network
    assert (one.reason is None) == (deeper <= target)


def test_a_depth_that_cannot_meet_the_request_is_a_row(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = "family --inputs 784 --outputs 10 --params 125000 --depths 1-6"
    assert main([*argv.split(), "--min-width", "100", "--max-width", "100"]) == 1
    out = capsys.readouterr().out
    assert "impossible: the budget 125000 is too small for depth 6" in out
    fam = family(784, 10, 125_000, "1-6", min_width=100, max_width=100)
    assert [a.reason is None for a in fam.architectures] == [True] * 5 + [False]
    # Every row but the last is the only network of its depth: width 100 throughout.
    assert all(a.widths == (100,) * a.depth for a in fam.architectures)
    assert fam.architectures[-1].params == reference_count([784, *[100] * 6, 10], True)


@given(
    inputs=st.integers(1, 100),
    outputs=st.integers(1, 100),
    budget=st.integers(1000, 10**6),
    low=st.integers(1, 5),
)
def test_linear_depths_are_hidden_depths_plus_one(
    inputs: int, outputs: int, budget: int, low: int
) -> None:
    hidden = family(inputs, outputs, budget, range(low - 1, low + 3))
    linear = family(inputs, outputs, budget, range(low, low + 4), depth_convention="linear")
    assert [a.widths for a in linear.architectures] == [a.widths for a in hidden.architectures]
    assert [linear.shown_depth(a) for a in linear.architectures] == list(range(low, low + 4))
    with pytest.raises(IsoparamError, match="depth convention"):
        family(inputs, outputs, budget, "2", depth_convention="layers")
    with pytest.raises(IsoparamError, match=r"number of linear layers\) must be >= 1"):
        family(inputs, outputs, budget, "0,2", depth_convention="linear")


def test_a_grid_of_budgets_is_one_family_per_budget(capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_budgets("2^10..2^12,5000,1e3") == (1000, 1024, 2048, 4096, 5000)
    for bad in ("2^5..3^6", "2^9..2^3", "0", "1.5", "x", "2^1..2^100000"):
        with pytest.raises(IsoparamError):
            parse_budgets(bad)
    grid = family_grid(784, 10, "2^14..2^16", "1-3", max_spread=2)
    assert [fam.target for fam in grid.families] == [2**14, 2**15, 2**16]
    assert grid.families == tuple(
        family(784, 10, 2**k, "1-3", max_spread=2) for k in range(14, 17)
    )
    argv = "family --inputs 784 --outputs 10 --params 2^14..2^16 --depths 1-3 --max-spread 2"
    assert main([*argv.split(), "--format", "json"]) == 0
    assert from_json(json.loads(capsys.readouterr().out)) == grid
    assert main([*argv.split(), "--plot", "grid.png"]) == 2
    assert "one budget" in capsys.readouterr().err


@given(
    inputs=st.integers(1, 60),
    outputs=st.integers(1, 60),
    depth=st.integers(1, 5),
    step=st.integers(2, 16),
    slack=st.integers(0, 20_000),
    under=st.booleans(),
    bias=st.booleans(),
)
def test_width_step_is_the_closest_multiple(
    inputs: int, outputs: int, depth: int, step: int, slack: int, under: bool, bias: bool
) -> None:
    target = uniform_count(inputs, outputs, depth, step, bias) + slack
    (arch,) = family(
        inputs, outputs, target, [depth], bias=bias, width_step=step, under=under
    ).architectures
    # Brute force over every multiple of the step while counts stay near the budget.
    candidates = [
        (abs(count - target), width)
        for width in range(step, step * (slack // step + 3), step)
        if (count := uniform_count(inputs, outputs, depth, width, bias)) <= target or not under
    ]
    assert arch.widths == (min(candidates)[1],) * depth


@settings(max_examples=40, deadline=None)
@given(
    inputs=st.integers(1, 8),
    outputs=st.integers(1, 8),
    step=st.integers(2, 4),
    bias=st.booleans(),
)
def test_common_budgets_on_a_width_grid(inputs: int, outputs: int, step: int, bias: bool) -> None:
    limit = 20_000
    reachable = [
        {
            count
            for w in range(step, limit + 1, step)
            if (count := uniform_count(inputs, outputs, depth, w, bias)) <= limit
        }
        for depth in (1, 2)
    ]
    common = sorted(t for t in reachable[0] & reachable[1] if t <= limit)
    if not common:
        with pytest.raises(IsoparamError):
            common_budget(inputs, outputs, "1-2", bias=bias, width_step=step, max_params=limit)
        return
    found = common_budget(inputs, outputs, "1-2", bias=bias, width_step=step, max_params=limit)
    assert found.budget == common[0]
    assert all(w % step == 0 for a in found.family.architectures for w in a.widths)


def test_a_budget_grid_keeps_the_budgets_too_small_for_a_depth_as_impossible_rows() -> None:
    grid = family_grid(784, 10, "2^5..2^17", "5-6")
    rows = [(fam.target, arch) for fam in grid.families for arch in fam.architectures]
    smallest = {5: count_params([784, 1, 1, 1, 1, 1, 10]), 6: count_params([784] + [1] * 6 + [10])}
    for budget, arch in rows:
        assert (arch.reason is not None) == (budget < smallest[arch.depth])
    with pytest.raises(IsoparamError, match="too small"):
        family_grid(784, 10, "2^5..2^6", "5-6")
