"""The counting model against an independent formula, and its internal consistency."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isoparam import CountingModel, IsoparamError, breakdown, count_params
from tests.reference import reference_count

sizes_lists = st.lists(st.integers(1, 10**6), min_size=2, max_size=12)


@given(sizes_lists, st.booleans())
def test_count_matches_reference(sizes: list[int], bias: bool) -> None:
    assert count_params(sizes, bias=bias) == reference_count(sizes, bias)


@given(sizes_lists, st.booleans())
def test_breakdown_rows_sum_to_total(sizes: list[int], bias: bool) -> None:
    result = breakdown(sizes, bias=bias)
    assert len(result.layers) == len(sizes) - 1
    assert sum(layer.weights + layer.biases for layer in result.layers) == result.total
    assert [(layer.fan_in, layer.fan_out) for layer in result.layers] == list(pairwise(sizes))


@given(
    st.integers(1, 5000),
    st.integers(1, 5000),
    st.integers(1, 40),
    st.integers(1, 10**40),
    st.booleans(),
)
def test_uniform_quadratic_is_the_count_of_the_uniform_shape(
    inputs: int, outputs: int, depth: int, width: int, bias: bool
) -> None:
    quadratic = CountingModel(bias=bias).uniform(inputs, outputs, depth)
    assert quadratic(width) == reference_count([inputs, *[width] * depth, outputs], bias)


def test_torch_convention_for_one_hidden_layer() -> None:
    # nn.Linear(784, 128) has 784*128 + 128 parameters, nn.Linear(128, 10) 128*10 + 10.
    assert count_params([784, 128, 10]) == 784 * 128 + 128 + 128 * 10 + 10


def test_quoted_formula_describes_one_more_hidden_layer() -> None:
    # b*(a + m*b + c) is the weight count of m + 1 hidden layers of width b, not m.
    a, b, c, m = 784, 100, 10, 4
    assert count_params([a, *[b] * (m + 1), c], bias=False) == b * (a + m * b + c)


@pytest.mark.parametrize("sizes", [[5], [], [3, 0, 2], [3, -1], [3, 2.5], [True, 3]])
def test_bad_shapes_are_refused(sizes: list[int]) -> None:
    with pytest.raises(IsoparamError):
        count_params(sizes)
