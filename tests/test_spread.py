"""Near-uniform widths with bounded spread against exhaustive brute force."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isoparam import NORMS, IsoparamError, Spread, count_params, family
from tests.reference import brute_force_family_row, uniform_count


@settings(max_examples=500, deadline=None)
@given(
    inputs=st.integers(1, 25),
    outputs=st.integers(1, 25),
    depth=st.integers(1, 5),
    spread=st.integers(0, 3),
    slack=st.integers(0, 2500),
    bias=st.booleans(),
    norm=st.sampled_from(NORMS),
    under=st.booleans(),
)
def test_matches_brute_force(
    inputs: int,
    outputs: int,
    depth: int,
    spread: int,
    slack: int,
    bias: bool,
    norm: str,
    under: bool,
) -> None:
    target = uniform_count(inputs, outputs, depth, 1, bias, norm) + slack
    fam = family(
        inputs, outputs, target, [depth], bias=bias, norm=norm, max_spread=spread, under=under
    )
    (arch,) = fam.architectures
    expected = brute_force_family_row(
        inputs, outputs, depth, target, spread, bias, norm, under=under
    )
    assert arch.widths == expected
    assert arch.params == count_params(arch.sizes, bias=bias, norm=norm)
    assert arch.spread <= spread
    if under:
        assert arch.deviation <= 0


@settings(max_examples=200, deadline=None)
@given(
    inputs=st.integers(1, 25),
    outputs=st.integers(1, 25),
    depth=st.integers(2, 4),
    spread=st.integers(1, 3),
    slack=st.integers(0, 2500),
    bias=st.booleans(),
    low=st.integers(1, 12),
    extra=st.integers(0, 12),
    under=st.booleans(),
)
def test_width_bounds_match_brute_force(
    inputs: int,
    outputs: int,
    depth: int,
    spread: int,
    slack: int,
    bias: bool,
    low: int,
    extra: int,
    under: bool,
) -> None:
    target = uniform_count(inputs, outputs, depth, low, bias) + slack
    high = low + extra
    (arch,) = family(
        inputs,
        outputs,
        target,
        [depth],
        bias=bias,
        max_spread=spread,
        min_width=low,
        max_width=high,
        under=under,
    ).architectures
    expected = brute_force_family_row(
        inputs, outputs, depth, target, spread, bias, low=low, high=high, under=under
    )
    assert arch.widths == expected
    assert low <= min(arch.widths) <= max(arch.widths) <= high


def test_issue_example_is_hit_exactly() -> None:
    # Inputs 4, outputs 3, no biases, budget 1000, 8 hidden layers: uniform 11 gives 924.
    (uniform,) = family(4, 3, 1000, [8], bias=False).architectures
    assert (uniform.widths[0], uniform.params) == (11, 924)
    (near,) = family(4, 3, 1000, [8], bias=False, max_spread=2).architectures
    assert near.exact
    assert near.spread == 2
    assert count_params(near.sizes, bias=False) == 1000


@given(
    depth=st.integers(2, 40),
    target=st.integers(10**15, 10**40),
    spread=st.integers(1, 2),
    bias=st.booleans(),
)
@settings(max_examples=25, deadline=None)
def test_huge_budgets_stay_exact_integers(
    depth: int, target: int, spread: int, bias: bool
) -> None:
    (arch,) = family(784, 10, target, [depth], bias=bias, max_spread=spread).architectures
    (uniform,) = family(784, 10, target, [depth], bias=bias).architectures
    assert arch.params == count_params(arch.sizes, bias=bias)
    assert arch.spread <= spread
    assert abs(arch.deviation) <= abs(uniform.deviation)  # equal widths are allowed too


def test_results_are_deterministic() -> None:
    first = family(784, 10, 10**7, "5-12", max_spread=2)
    assert first == family(784, 10, 10**7, "5-12", max_spread=2)


def test_funnel_is_preferred() -> None:
    # Among exact answers of least spread, a funnel (non-increasing widths) wins when one
    # exists; brute force confirms that this instance has one.
    for slack in range(200):
        target = uniform_count(5, 5, 3, 10, True) + slack
        (arch,) = family(5, 5, target, [3], max_spread=2).architectures
        expected = brute_force_family_row(5, 5, 3, target, 2, True)
        assert arch.widths == expected
    funnels = [
        a for t in range(1000, 1400) for a in family(5, 5, t, [3], max_spread=2).architectures
    ]
    assert any(a.funnel and a.spread > 0 for a in funnels)


def test_percentage_spread() -> None:
    assert Spread.parse("2%").resolve(512) == 10
    assert family(784, 10, 10**7, [8], max_spread="1%").max_spread == Spread.parse("1%")
    (arch,) = family(784, 10, 10**7, [8], max_spread="1%").architectures
    (uniform,) = family(784, 10, 10**7, [8]).architectures
    assert arch.spread <= uniform.widths[0] // 100


@pytest.mark.parametrize("bad", [-1, "-2%", "two", "1.5", True])
def test_bad_spreads_are_refused(bad: object) -> None:
    with pytest.raises(IsoparamError, match="spread"):
        family(784, 10, 10**6, [3], max_spread=bad)  # type: ignore[call-overload]


def test_infeasible_width_bounds_name_the_problem() -> None:
    with pytest.raises(IsoparamError, match="between the min width 10 and the max width 5"):
        family(784, 10, 10**6, [3], min_width=10, max_width=5)
    three, twelve = family(784, 10, 10**6, "3,12", min_width=300).architectures
    assert three.reason is None
    assert twelve.reason is not None
    assert "depth 12" in twelve.reason
