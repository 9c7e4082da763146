"""Common budgets against brute force; the Pell step against SymPy."""

from __future__ import annotations

import json
import math
import shlex
from itertools import islice

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sympy.solvers.diophantine.diophantine import diop_DN

from isoparam import MLP, NORMS, CountingModel, FamilyRequest, IsoparamError, count_params
from isoparam.cli import main
from isoparam.errors import NotFound
from isoparam.solvers.budget import common_budget, model_depths
from isoparam.solvers.diophantine import divisors, factorize, representative_bound, solutions
from isoparam.solvers.intersect import reachable_counts
from isoparam.solvers.pell import uniform_common_counts
from isoparam.solvers.spread import SpreadProblem
from tests.reference import (
    bisect_closest_width,
    brute_common_budgets,
    brute_force_family_row,
    brute_reachable,
    reference_count,
    uniform_count,
)

LIMIT = 30_000


def successive(inputs: int, outputs: int, depths: str, count: int, bias: bool) -> list[int]:
    found, start = [], 1
    for _ in range(count):
        budget = common_budget(inputs, outputs, depths, at_least=start, bias=bias).budget
        found.append(budget)
        start = budget + 1
    return found


def test_public_examples() -> None:
    assert successive(4, 3, "1,2", 4, bias=False) == [98, 294, 588, 980]
    assert successive(4, 3, "2,3", 4, bias=False) == [60, 1320, 10290, 79794]


@settings(max_examples=250, deadline=None)
@given(
    inputs=st.integers(1, 20),
    outputs=st.integers(1, 20),
    depths=st.sets(st.integers(1, 7), min_size=1, max_size=3),
    bias=st.booleans(),
    norm=st.sampled_from(NORMS),
)
def test_number_theory_matches_brute_force(
    inputs: int, outputs: int, depths: set[int], bias: bool, norm: str
) -> None:
    counting = CountingModel(bias=bias, norm=norm)
    levels = model_depths(FamilyRequest(MLP(inputs, outputs, counting), tuple(sorted(depths))))
    search = uniform_common_counts(levels, 1, LIMIT)
    found = list(islice(search.budgets, LIMIT + 1))
    expected = brute_common_budgets(inputs, outputs, sorted(depths), LIMIT, bias, norm)
    assert found == expected
    if search.complete:
        # Finitely many exist: the full list starts with the brute force's, and every
        # budget in it, however large, is hit exactly by every depth.
        everything = list(uniform_common_counts(levels, 1, 10**60).budgets)
        assert everything[: len(expected)] == expected
        for budget in everything:
            for depth in depths:
                width = bisect_closest_width(inputs, outputs, depth, budget, bias, norm)
                assert uniform_count(inputs, outputs, depth, width, bias, norm) == budget


def test_a_complete_search_proves_there_is_none() -> None:
    # Depths 5 and 10 give k1*k2 = 36, a square: finitely many common counts, so for
    # depths 5..12 the answer "none exists" is a proof, not a bound.
    with pytest.raises(NotFound, match="exists at all") as raised:
        common_budget(784, 10, "5-12")
    assert any("finitely many" in line for line in raised.value.explanation)
    assert brute_common_budgets(784, 10, list(range(5, 13)), 10**7, True) == []
    # The pair alone has a common count, and the finite list has it.
    pair = model_depths(FamilyRequest(MLP(784, 10), (5, 10)))
    assert 8531830 in list(uniform_common_counts(pair, 1, 10**60).budgets)


def test_degenerate_pair_shares_a_whole_line() -> None:
    # With biases, inputs 2 and outputs 3, depths 5 and 10 have equal counts at widths
    # (3t, 2t) for every t: N = 0 and the Pell equation becomes a line.
    model = CountingModel()
    line = [model.count([2, *[3 * t] * 5, 3]) for t in range(1, 30)]
    assert line == [model.count([2, *[2 * t] * 10, 3]) for t in range(1, 30)]
    levels = model_depths(FamilyRequest(MLP(2, 3, model), (5, 10)))
    found = list(islice(uniform_common_counts(levels, 1, line[-1]).budgets, 1000))
    assert set(line) <= set(found)
    assert found == brute_common_budgets(2, 3, [5, 10], line[-1], True)
    assert common_budget(2, 3, "5,10", at_least=line[3]).budget == line[3]


def test_depths_5_to_8_are_searched_to_a_googol() -> None:
    with pytest.raises(NotFound, match=r"in \[1, 10\^100\]"):
        common_budget(784, 10, "5-8")


def test_near_picks_the_closest_and_the_smaller_on_a_tie() -> None:
    budgets = [98, 294, 588, 980]
    assert common_budget(4, 3, "1,2", near=440, window=200, bias=False).budget == 441 - 147
    assert common_budget(4, 3, "1,2", near=441, window=200, bias=False).budget == 294
    assert common_budget(4, 3, "1,2", near=600, bias=False).budget == 588
    assert budgets[1] == 294
    with pytest.raises(NotFound):
        common_budget(4, 3, "1,2", near=440, window=100, bias=False)


def test_width_bounds_apply() -> None:
    found = common_budget(4, 3, "1,2", bias=False, min_width=8)
    assert found.budget == 294
    assert all(min(arch.widths) >= 8 for arch in found.family.architectures)


@settings(max_examples=60, deadline=None)
@given(
    inputs=st.integers(1, 12),
    outputs=st.integers(1, 12),
    depth=st.integers(1, 4),
    spread=st.integers(1, 2),
    low=st.integers(1, 400),
    bias=st.booleans(),
)
def test_reachable_counts_match_brute_force(
    inputs: int, outputs: int, depth: int, spread: int, low: int, bias: bool
) -> None:
    high = low + 600
    problem = SpreadProblem(MLP(inputs, outputs, CountingModel(bias=bias)), depth, high, 1, high)
    bits = reachable_counts(problem, spread, low, high)
    found = {low + i for i in range(high - low + 1) if bits >> i & 1}
    assert found == brute_reachable(inputs, outputs, depth, spread, bias, low, high)


def test_common_budget_with_a_spread_is_exact_for_every_depth() -> None:
    found = common_budget(784, 10, "5-12", near=10**6, max_spread=4)
    for arch in found.family.architectures:
        assert arch.exact
        assert arch.spread <= 4
        assert count_params(arch.sizes) == found.budget
    smallest = common_budget(20, 5, "2-4", max_spread=1, bias=False)
    brute = [
        t
        for t in range(1, smallest.budget + 1)
        if all(
            reference_count([20, *brute_force_family_row(20, 5, d, t, 1, False), 5], False) == t
            for d in (2, 3, 4)
        )
    ]
    assert brute[0] == smallest.budget


@settings(max_examples=200, deadline=None)
@given(d=st.integers(2, 200), n=st.integers(-5000, 5000).filter(bool))
def test_pell_solutions_match_brute_force_and_sympy(d: int, n: int) -> None:
    # Beyond its limit solutions() refuses rather than answers; keep the test quick.
    assume(math.isqrt(d) ** 2 == d or representative_bound(d, n) <= 20_000)
    limit = 5000
    found = solutions(d, n, limit)
    expected = []
    for y in range(limit + 1):
        square = n + d * y * y
        if square >= 0 and math.isqrt(square) ** 2 == square <= limit**2:
            expected.append((math.isqrt(square), y))
    assert found == sorted(expected)
    # SymPy's fundamental solutions (checked first: sympy issues 11955 and 11959 report
    # wrong or missing answers for some inputs) must be among ours.
    for x, y in diop_DN(d, n):
        if x * x - d * y * y == n and abs(x) <= limit and abs(y) <= limit:
            assert (abs(x), abs(y)) in found


def test_factorisation() -> None:
    assert factorize(2**61 - 1) == {2**61 - 1: 1}
    assert factorize(600851475143) == {71: 1, 839: 1, 1471: 1, 6857: 1}
    assert divisors(28439505)[:4] == [1, 3, 5, 9]
    assert math.prod(p**e for p, e in factorize(10**18 + 9).items()) == 10**18 + 9


def test_cli_budget_json_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        shlex.split("budget --inputs 4 --outputs 3 --depths 2-3 --no-bias --format json")
    )
    document = json.loads(capsys.readouterr().out)
    assert status == 0
    assert document["budget"] == 60
    assert all(arch["deviation"] == 0 for arch in document["architectures"])
    assert main(shlex.split("budget --inputs 784 --outputs 10 --depths 5-12")) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: no common budget")
    assert err.count("\n") == 1
    assert main(shlex.split("budget --inputs 784 --outputs 10 --depths 5-12 --explain")) == 1
    assert "finitely many" in capsys.readouterr().err
    assert main(shlex.split("budget --inputs 4 --outputs 3 --depths 2 --near 5 --at-least 3")) == 2


def test_bad_budget_requests() -> None:
    with pytest.raises(IsoparamError):
        common_budget(4, 3, "", bias=False)
    with pytest.raises(IsoparamError):
        common_budget(4, 3, "2", at_least=100, max_params=50)


@settings(max_examples=60, deadline=None)
@given(
    inputs=st.integers(1, 12),
    outputs=st.integers(1, 12),
    depth=st.integers(1, 3),
    spread=st.integers(0, 2),
    bias=st.booleans(),
)
def test_depth_zero_budgets_match_brute_force(
    inputs: int, outputs: int, depth: int, spread: int, bias: bool
) -> None:
    only = reference_count([inputs, outputs], bias)
    smallest = reference_count([inputs, *[1] * depth, outputs], bias)
    hit = only >= smallest and (
        reference_count(
            [inputs, *brute_force_family_row(inputs, outputs, depth, only, spread, bias), outputs],
            bias,
        )
        == only
    )
    if not hit:
        with pytest.raises(NotFound, match="exists at all"):
            common_budget(inputs, outputs, [0, depth], bias=bias, max_spread=spread)
        return
    found = common_budget(inputs, outputs, [0, depth], bias=bias, max_spread=spread)
    assert found.budget == only
    assert found.complete


def test_the_explanation_names_depths_as_the_user_counts_them() -> None:
    hidden = common_budget(4, 3, "2,5")
    linear = common_budget(4, 3, "3,6", depth_convention="linear")
    assert linear.budget == hidden.budget
    assert linear.explanation[0].startswith("depths 3 and 6:")
    assert hidden.explanation[0].startswith("depths 2 and 5:")


def test_an_edited_budget_document_is_refused() -> None:
    from isoparam import from_json, to_json

    document = to_json(common_budget(4, 3, "2-3", bias=False, at_least=100))
    assert from_json(document) == common_budget(4, 3, "2-3", bias=False, at_least=100)
    for edit in (
        {"budget": document["budget"] + 1},
        {"search": document["search"] | {"low": document["budget"] + 1}},
    ):
        with pytest.raises(IsoparamError, match="does not hold together"):
            from_json(document | edit)


def test_a_common_budget_search_beyond_its_reach_is_refused_at_once() -> None:
    with pytest.raises(IsoparamError, match="up to 10\\^200"):
        common_budget(4, 3, "2-3", bias=False, near=10**1000)
    with pytest.raises(IsoparamError, match="10\\^100 by default"):
        common_budget(4, 3, "2-3", bias=False, at_least=10**101)
