"""The counting model against an independent formula, and its internal consistency."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isoparam import MLP, NORMS, CountingModel, IsoparamError, breakdown, count_params
from tests.reference import reference_count

sizes_lists = st.lists(st.integers(1, 10**6), min_size=2, max_size=12)
norms = st.sampled_from(NORMS)


@given(sizes_lists, st.booleans(), norms)
def test_count_matches_reference(sizes: list[int], bias: bool, norm: str) -> None:
    assert count_params(sizes, bias=bias, norm=norm) == reference_count(sizes, bias, norm)


@given(sizes_lists, st.booleans(), norms)
def test_breakdown_rows_sum_to_total(sizes: list[int], bias: bool, norm: str) -> None:
    result = breakdown(sizes, bias=bias, norm=norm)
    assert len(result.layers) == len(sizes) - 1
    assert result.layers[-1].norm == 0  # no norm after the output layer
    assert sum(layer.weights + layer.biases + layer.norm for layer in result.layers) == (
        result.total
    )
    assert result.total == count_params(sizes, bias=bias, norm=norm)  # two sums, one count
    assert [(layer.fan_in, layer.fan_out) for layer in result.layers] == list(pairwise(sizes))


@given(
    st.integers(1, 5000),
    st.integers(1, 5000),
    st.integers(1, 40),
    st.integers(1, 10**40),
    st.booleans(),
    norms,
)
def test_uniform_quadratic_is_the_count_of_the_uniform_shape(
    inputs: int, outputs: int, depth: int, width: int, bias: bool, norm: str
) -> None:
    quadratic = MLP(inputs, outputs, CountingModel(bias=bias, norm=norm)).uniform(depth)
    sizes = [inputs, *[width] * depth, outputs]
    assert quadratic(width) == reference_count(sizes, bias, norm)


def test_torch_convention_for_one_hidden_layer() -> None:
    # nn.Linear(784, 128) has 784*128 + 128 parameters, nn.Linear(128, 10) 128*10 + 10.
    assert count_params([784, 128, 10]) == 784 * 128 + 128 + 128 * 10 + 10


def test_quoted_formula_describes_one_more_hidden_layer() -> None:
    # b*(a + m*b + c) is the weight count of m + 1 hidden layers of width b, not m.
    a, b, c, m = 784, 100, 10, 4
    assert count_params([a, *[b] * (m + 1), c], bias=False) == b * (a + m * b + c)


def test_unknown_norm_lists_the_valid_ones() -> None:
    with pytest.raises(IsoparamError, match="none, layer, batch"):
        count_params([3, 4, 5], norm="group")


@pytest.mark.parametrize("sizes", [[5], [], [3, 0, 2], [3, -1], [3, 2.5], [True, 3]])
def test_bad_shapes_are_refused(sizes: list[int]) -> None:
    with pytest.raises(IsoparamError):
        count_params(sizes)
