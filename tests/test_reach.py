"""The solvers' reach (issue 12): every claim scoped to what was proven, answers beyond
the tables, the closest from below, and answers monotone in the constraints; each checked
against brute force over all width tuples (tests/reference.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isoparam import NORMS, Profile, SearchLimits, family, render, to_json
from isoparam.errors import NotFound
from isoparam.solvers.budget import common_budget
from isoparam.solvers.chains import build_chain, products, q_bounds
from isoparam.solvers.profiles import ProfileProblem
from isoparam.solvers.spread import table_bits
from isoparam.solvers.tables import offset_tables
from tests.reference import (
    brute_common_bounded,
    brute_force_family_row,
    brute_force_profile_row,
    reference_count,
    uniform_count,
)
from tests.test_profiles import profile_base, smallest_count

LIMIT = 12_000
PROFILES = [
    "trapezoid:2",
    "trapezoid:1/2",
    "exponential:1/2",
    "wide-first:3",
    "custom:3,1,2",
    "trapezoid-to-output",
    "exponential-to-output",
]


def _is_common(
    inputs: int,
    outputs: int,
    depths: list[int],
    total: int,
    bias: bool,
    low: int,
    high: int | None,
) -> bool:
    for depth in depths:
        width = low
        while uniform_count(inputs, outputs, depth, width, bias) < total:
            width += 1
        if uniform_count(inputs, outputs, depth, width, bias) != total:
            return False
        if high is not None and width > high:
            return False
    return True


@settings(max_examples=200, deadline=None)
@given(
    inputs=st.integers(1, 12),
    outputs=st.integers(1, 12),
    depths=st.sets(st.integers(1, 6), min_size=2, max_size=3),
    bias=st.booleans(),
    mode=st.sampled_from(["at-least", "range", "near"]),
    start=st.integers(1, 3000),
    span=st.integers(0, 3000),
    low=st.integers(1, 4),
    extra=st.one_of(st.none(), st.integers(0, 40)),
)
def test_budget_claims_are_scoped_to_the_range(
    inputs: int,
    outputs: int,
    depths: set[int],
    bias: bool,
    mode: str,
    start: int,
    span: int,
    low: int,
    extra: int | None,
) -> None:
    # Each answer and each "none" against a scan of every width: "exists at all" only when
    # there is none at all, "the only ... is X" lists exactly the common budgets, and
    # otherwise the claim names the range searched, in which brute force finds none.
    ordered = sorted(depths)
    high = None if extra is None else low + extra
    near = window = max_params = None
    if mode == "at-least":
        lo, hi = start, 10**100
    elif mode == "range":
        lo, hi = start, start + span
        max_params = hi
    else:
        lo, hi = max(1, start - span // 2), start + span // 2
        near, window = start, span // 2
    brute = brute_common_bounded(inputs, outputs, ordered, LIMIT, bias, low, high)
    inside = [t for t in brute if lo <= t <= hi]
    try:
        found = common_budget(
            inputs,
            outputs,
            ordered,
            near=near,
            window=window,
            at_least=start if near is None else 1,  # --at-least with --near is refused
            max_params=max_params,
            bias=bias,
            min_width=low,
            max_width=high,
        )
    except NotFound as error:
        message = str(error)
        assert not inside, message
        named = ", ".join(map(str, ordered))
        if message.endswith("exists at all"):
            assert not brute
        elif "the only common budget" in message or "the common budgets for" in message:
            listed = [int(n) for n in re.findall(r"\d+", message.split(" is ", 1)[-1])]
            if "the only common budgets" in message:
                listed = [
                    int(n) for n in re.findall(r"\d+", message.split(" are ")[1].split(";")[0])
                ]
                assert [t for t in listed if t <= LIMIT] == [t for t in brute if t <= LIMIT]
            elif "the only common budget " in message:
                listed = [int(message.split(" is ")[1].split(";")[0])]
                assert [t for t in listed if t <= LIMIT] == [t for t in brute if t <= LIMIT]
            for total in listed[:3]:
                assert _is_common(inputs, outputs, ordered, total, bias, low, high)
        else:
            assert message == f"no common budget for depths {named} in [{lo}, " + (
                "10^100]" if hi == 10**100 else f"{hi}]"
            )
        return
    assert lo <= found.budget <= hi
    if hi <= LIMIT or found.budget <= LIMIT:
        if mode == "near":
            assert found.budget == min(inside, key=lambda t: (abs(t - start), t))
        else:
            assert found.budget == inside[0]
    assert all(arch.exact for arch in found.family.architectures)


def test_the_issue_example_names_the_only_budget() -> None:
    with pytest.raises(NotFound) as raised:
        common_budget(4, 3, "2,5", at_least=116)
    assert str(raised.value) == "the only common budget for depths 2, 5 is 115; none is >= 116"
    assert common_budget(4, 3, "2,5").budget == 115
    with pytest.raises(NotFound, match=r"is 115; none in \[1, 100\]"):
        common_budget(4, 3, "2,5", max_params=100)


@settings(max_examples=120, deadline=None)
@given(
    inputs=st.integers(1, 15),
    outputs=st.integers(1, 15),
    depth=st.integers(1, 4),
    offset=st.integers(0, 2),
    slack=st.integers(0, 1500),
    bias=st.booleans(),
    profile=st.sampled_from(["rectangle", *PROFILES]),
)
def test_under_on_profiles_matches_brute_force(
    inputs: int, outputs: int, depth: int, offset: int, slack: int, bias: bool, profile: str
) -> None:
    target = smallest_count(inputs, outputs, depth, bias, profile) + slack
    (arch,) = family(
        inputs, outputs, target, [depth], bias=bias, max_spread=offset, profile=profile, under=True
    ).architectures
    base = profile_base(profile, depth, outputs)
    expected = brute_force_profile_row(inputs, outputs, base, target, offset, bias, under=True)
    assert arch.widths == expected


@settings(max_examples=150, deadline=None)
@given(
    inputs=st.integers(1, 25),
    outputs=st.integers(1, 25),
    depth=st.integers(3, 7),
    slack=st.integers(0, 4000),
    bias=st.booleans(),
    norm=st.sampled_from(NORMS),
    under=st.booleans(),
)
def test_spread_one_by_runs_matches_brute_force(
    inputs: int, outputs: int, depth: int, slack: int, bias: bool, norm: str, under: bool
) -> None:
    # A table limit of one bit leaves spread 1 to the explicit runs of ones.
    target = uniform_count(inputs, outputs, depth, 1, bias, norm) + slack
    (arch,) = family(
        inputs,
        outputs,
        target,
        [depth],
        bias=bias,
        norm=norm,
        max_spread=1,
        under=under,
        limits=SearchLimits(table_bits=1),
    ).architectures
    expected = brute_force_family_row(inputs, outputs, depth, target, 1, bias, norm, under=under)
    assert arch.widths == expected
    assert arch.searched_up_to is None
    assert arch.constructed_above is None


@settings(max_examples=150, deadline=None)
@given(
    inputs=st.integers(1, 25),
    outputs=st.integers(1, 25),
    spread=st.integers(0, 6),
    slack=st.integers(0, 4000),
    bias=st.booleans(),
    low=st.integers(1, 8),
    extra=st.one_of(st.none(), st.integers(0, 30)),
    under=st.booleans(),
)
def test_depth_three_by_lines_matches_brute_force(
    inputs: int,
    outputs: int,
    spread: int,
    slack: int,
    bias: bool,
    low: int,
    extra: int | None,
    under: bool,
) -> None:
    # Without tables (limit one bit) depth 3 is solved by lines, proven at any spread.
    target = uniform_count(inputs, outputs, 3, low, bias) + slack
    high = None if extra is None else low + extra
    (arch,) = family(
        inputs,
        outputs,
        target,
        [3],
        bias=bias,
        max_spread=spread,
        min_width=low,
        max_width=high,
        under=under,
        limits=SearchLimits(table_bits=1),
    ).architectures
    expected = brute_force_family_row(
        inputs, outputs, 3, target, spread, bias, low=low, high=high, under=under
    )
    assert arch.widths == expected
    assert arch.searched_up_to is None
    assert arch.constructed_above is None


@settings(max_examples=120, deadline=None)
@given(
    inputs=st.integers(1, 15),
    outputs=st.integers(1, 15),
    depth=st.integers(1, 2),
    offset=st.integers(0, 4),
    slack=st.integers(0, 1500),
    bias=st.booleans(),
    profile=st.sampled_from(PROFILES),
    under=st.booleans(),
)
def test_profile_depths_one_and_two_without_value_sets(
    inputs: int,
    outputs: int,
    depth: int,
    offset: int,
    slack: int,
    bias: bool,
    profile: str,
    under: bool,
) -> None:
    # Depth 1 is closed form and depth 2 a scan: no value set is needed for either.
    target = smallest_count(inputs, outputs, depth, bias, profile) + slack
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ProfileProblem, "fits", lambda self, bound: bound == 0)
        (arch,) = family(
            inputs,
            outputs,
            target,
            [depth],
            bias=bias,
            max_spread=offset,
            profile=profile,
            under=under,
        ).architectures
    base = profile_base(profile, depth, outputs)
    expected = brute_force_profile_row(inputs, outputs, base, target, offset, bias, under)
    assert arch.widths == expected
    assert arch.searched_up_to is None


def test_depth_one_profile_answers_at_once() -> None:
    (arch,) = family(4, 3, 10**6, [1], profile="wide-first:2", max_spread=500).architectures
    assert arch.widths == (125_000,)
    assert arch.params == 1_000_003


@settings(max_examples=80, deadline=None)
@given(
    inputs=st.integers(1, 20),
    outputs=st.integers(1, 20),
    depth=st.integers(2, 5),
    spread=st.integers(0, 3),
    slack=st.integers(0, 3000),
    bias=st.booleans(),
    low=st.integers(1, 6),
    extra=st.integers(0, 10),
    more=st.integers(0, 10),
    under=st.booleans(),
)
def test_looser_constraints_never_answer_worse(
    inputs: int,
    outputs: int,
    depth: int,
    spread: int,
    slack: int,
    bias: bool,
    low: int,
    extra: int,
    more: int,
    under: bool,
) -> None:
    # Metamorphic: a larger spread, or wider width bounds, never gives a farther count
    # nor an error, also where the tables stop early (limit: spread 1) and the answers
    # beyond them are constructions or the best found.
    target = uniform_count(inputs, outputs, depth, low, bias) + slack
    limits = SearchLimits(table_bits=table_bits(depth, 1))

    def distance(max_spread: int, lo: int, hi: int | None) -> int:
        (arch,) = family(
            inputs,
            outputs,
            target,
            [depth],
            bias=bias,
            max_spread=max_spread,
            min_width=lo,
            max_width=hi,
            under=under,
            limits=limits,
        ).architectures
        assert arch.spread <= max_spread
        return abs(arch.deviation)

    tight = distance(spread, low, low + extra)
    assert distance(spread + 1, low, low + extra) <= tight
    assert distance(spread + 2, low, low + extra) <= tight
    assert distance(spread, low, low + extra + more) <= tight
    assert distance(spread, 1, None) <= tight


@settings(max_examples=40, deadline=None)
@given(
    inputs=st.integers(1, 12),
    outputs=st.integers(1, 12),
    depths=st.sets(st.integers(1, 5), min_size=2, max_size=3),
    spread=st.integers(0, 1),
    near=st.integers(50, 3000),
    window=st.integers(0, 400),
    more=st.integers(0, 400),
)
def test_a_larger_window_never_answers_worse(
    inputs: int, outputs: int, depths: set[int], spread: int, near: int, window: int, more: int
) -> None:
    def closest(size: int) -> int | None:
        try:
            found = common_budget(
                inputs, outputs, sorted(depths), near=near, window=size, max_spread=spread
            )
        except NotFound:
            return None
        return abs(found.budget - near)

    tight = closest(window)
    loose = closest(window + more)
    if tight is not None:
        assert loose is not None
        assert loose <= tight


def test_issue_examples_answer() -> None:
    # Exact within the constraints, proven (depth 3 by lines): the issue's 784-22155-22230-
    # 22035-10 has spread 195, and no smaller spread hits 10^9.
    (three,) = family(784, 10, 10**9, [3], max_spread=195).architectures
    assert three.exact
    assert three.searched_up_to is None
    assert three.constructed_above is None
    assert three.widths == (22155, 22230, 22035)
    # Depth 1000, spread 1: proven by the runs of ones.
    (deep,) = family(784, 10, 10**9, [1000], max_spread=1).architectures
    assert deep.exact
    assert deep.searched_up_to is None
    # Loosening the spread at depth 3 keeps the proven answer (no longer a refusal).
    tight = family(784, 10, 10**9, [3], max_spread=23).architectures[0]
    loose = family(784, 10, 10**9, [3], max_spread=24).architectures[0]
    assert abs(loose.deviation) <= abs(tight.deviation) == 5


def test_best_found_is_marked_and_bounded() -> None:
    (arch,) = family(784, 10, 10**12, [100], max_spread=4).architectures
    # The tables reach spread 3 here; the chains' bounds carry the claim further.
    assert (arch.searched_up_to or 0) >= 3 or (arch.constructed_above or 0) >= 3
    (proven,) = family(784, 10, 10**12, [100], max_spread=3).architectures
    assert abs(arch.deviation) <= abs(proven.deviation)
    assert reference_count([784, *arch.widths, 10], True) == arch.params


def test_profile_widths_at_depth_one() -> None:
    assert Profile.parse("wide-first:2").widths(1, 7, 10) == (7,)


@settings(max_examples=60, deadline=None)
@given(
    length=st.integers(2, 9),
    top=st.integers(1, 4),
    first=st.integers(0, 4),
    last=st.integers(0, 4),
)
def test_chain_bounds_and_builds_hold(length: int, top: int, first: int, last: int) -> None:
    # Every (S, Q) of every chain (brute force over the tables' exhaustive DP) lies within
    # q_bounds, which are None exactly where no chain has that sum; every chain built
    # has the asked ends, sum and products.
    first, last = min(first, top), min(last, top)
    tables = offset_tables(length, top, False)
    entry = tables.suffix[0][first]
    for total in range(length * top + 1):
        reached = [
            q
            for q in range(tables.row)
            if (entry >> ((total * tables.row + q) * tables.lanes + last)) & 1
        ]
        bounds = q_bounds(length, top, first, last, total)
        if not reached:
            assert bounds is None or total >= first + last
            continue
        assert bounds is not None
        assert bounds[0] <= min(reached)
        assert max(reached) <= bounds[1]
        for goal in range(bounds[0], bounds[1] + 1):
            chain = build_chain(length, top, first, last, total, goal, 2000)
            if chain is not None:
                assert goal in reached
                assert (chain[0], chain[-1], sum(chain), products(chain)) == (
                    first,
                    last,
                    total,
                    goal,
                )


@settings(max_examples=60, deadline=None)
@given(
    inputs=st.integers(1, 20),
    outputs=st.integers(1, 20),
    depth=st.integers(4, 6),
    spread=st.integers(2, 3),
    slack=st.integers(0, 3000),
    bias=st.booleans(),
    under=st.booleans(),
)
def test_chain_claims_match_brute_force(
    inputs: int, outputs: int, depth: int, spread: int, slack: int, bias: bool, under: bool
) -> None:
    # Tables limited to spread 1: the chains decide spreads 2 and 3. Every claim (exact
    # with a proven floor, best found with the spread up to which none comes closer) is
    # checked against brute force over all width tuples.
    target = uniform_count(inputs, outputs, depth, 1, bias) + slack
    limits = SearchLimits(table_bits=table_bits(depth, 1))
    (arch,) = family(
        inputs,
        outputs,
        target,
        [depth],
        bias=bias,
        max_spread=spread,
        limits=limits,
        under=under,
    ).architectures

    def closest(max_spread: int) -> int:
        row = brute_force_family_row(inputs, outputs, depth, target, max_spread, bias, under=under)
        return abs(reference_count([inputs, *row, outputs], bias) - target)

    assert arch.params == reference_count([inputs, *arch.widths, outputs], bias)
    assert arch.spread <= spread
    if under:
        assert arch.deviation <= 0
    if arch.constructed_above is not None:
        assert arch.exact
        assert closest(arch.constructed_above) > 0
    elif arch.searched_up_to is not None:
        assert closest(arch.searched_up_to) >= abs(arch.deviation) > 0
    else:
        assert abs(arch.deviation) == closest(spread)


def test_a_search_proven_up_to_the_spread_asked_is_closest_not_best_found() -> None:
    fam = family(784, 10, 10**12, [256], max_spread=8)
    (arch,) = fam.architectures
    assert arch.searched_up_to == arch.spread_bound == 8  # beyond the tables, fully proven
    assert arch.proven_closest
    assert to_json(fam)["architectures"][0]["status"] == "closest"
    assert "tie rules were not applied" in render(fam)
    looser = family(784, 10, 10**12, [256], max_spread=40).architectures[0]
    assert abs(looser.deviation) <= abs(arch.deviation)
