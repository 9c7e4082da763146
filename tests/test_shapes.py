"""Shapes with exactly P parameters: enumeration and counting against brute force."""

from __future__ import annotations

import json
import shlex

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from isoparam import IsoparamError
from isoparam.cli import main
from isoparam.request import shape_rules
from isoparam.shapes.free import free_shape_counts, free_tables
from isoparam.shapes.table import (
    MAX_COUNTED,
    ShapeTable,
    count_sequence,
    count_shapes,
    enumerate_shapes,
)
from tests.reference import brute_shapes, recursive_free_counts


def test_the_unconstrained_sequence() -> None:
    assert count_sequence(10, shape_rules(bias=False)) == [1, 3, 5, 10, 14, 27, 37, 65, 96, 157]
    assert list(enumerate_shapes(4, shape_rules(bias=False))) == [
        (1, 1, 1, 1, 1), (1, 1, 1, 2), (1, 1, 3), (1, 2, 1), (1, 4),
        (2, 1, 1, 1), (2, 1, 2), (2, 2), (3, 1, 1), (4, 1),
    ]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    budget=st.integers(1, 18),
    bias=st.booleans(),
    norm=st.sampled_from(["none", "layer"]),
    inputs=st.one_of(st.none(), st.integers(1, 4)),
    outputs=st.one_of(st.none(), st.integers(1, 4)),
    depths=st.one_of(st.none(), st.sets(st.integers(0, 4), min_size=1, max_size=3)),
    low=st.integers(1, 3),
    span=st.one_of(st.none(), st.integers(0, 4)),
    step=st.one_of(st.none(), st.integers(0, 2)),
)
def test_enumeration_and_count_match_brute_force(
    budget: int,
    bias: bool,
    norm: str,
    inputs: int | None,
    outputs: int | None,
    depths: set[int] | None,
    low: int,
    span: int | None,
    step: int | None,
) -> None:
    high = None if span is None else low + span
    rules = shape_rules(
        bias=bias, norm=norm, inputs=inputs, outputs=outputs,
        depths=None if depths is None else sorted(depths), min_width=low, max_width=high,
        max_step=step,
    )  # fmt: skip
    expected = brute_shapes(budget, bias, norm, inputs, outputs, depths, low, high, step)
    found = list(enumerate_shapes(budget, rules))
    assert found == expected  # the same set, in lexicographic order, without duplicates
    assert count_shapes(budget, rules) == len(expected)


def test_sequence_equals_single_counts() -> None:
    rules = shape_rules(outputs=2, max_step=1)
    assert count_sequence(60, rules) == [count_shapes(p, rules) for p in range(1, 61)]


def test_deep_shapes_do_not_overflow_the_stack() -> None:
    shapes = enumerate_shapes(3000, shape_rules(bias=False, inputs=1, outputs=1, max_width=1))
    assert next(shapes) == (1,) * 3001


def test_bad_rules() -> None:
    with pytest.raises(IsoparamError):
        shape_rules(min_width=5, max_width=2)
    with pytest.raises(IsoparamError):
        shape_rules(depths="-1")
    with pytest.raises(IsoparamError):
        count_shapes(0)


def test_cli_shapes_and_count(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(shlex.split("shapes --params 4 --no-bias --format json")) == 0
    assert json.loads(capsys.readouterr().out)["shapes"][:2] == [[1, 1, 1, 1, 1], [1, 1, 1, 2]]
    assert main(shlex.split("shapes --params 4 --no-bias --limit 3 --format csv")) == 0
    assert capsys.readouterr().out.splitlines()[1:] == ["3,1 1 1 1 1", "2,1 1 1 2", "1,1 1 3"]
    assert main(shlex.split("count --upto 5 --no-bias --format json")) == 0
    counts = json.loads(capsys.readouterr().out)["counts"]
    assert counts == [
        {"params": p, "count": c} for p, c in zip(range(1, 6), [1, 3, 5, 10, 14], strict=True)
    ]
    assert main(shlex.split("count --params 4 --no-bias --depths 0-1")) == 0
    assert capsys.readouterr().out.split()[-1] == "7"  # 3 shapes of depth 0, 4 of depth 1


@pytest.mark.parametrize(("bias", "norm"), [(False, "none"), (True, "none"), (True, "layer")])
def test_free_counts_match_brute_force(bias: bool, norm: str) -> None:
    rules = shape_rules(bias=bias, norm=norm)
    assert rules.free
    expected = [len(brute_shapes(p, bias, norm)) for p in range(1, 19)]
    assert count_sequence(18, rules) == expected


@settings(max_examples=40, deadline=None)
@given(limit=st.integers(1, 400), bias=st.booleans(), norm=st.sampled_from(["none", "batch"]))
@example(limit=700, bias=False, norm="none")  # across several blocks of budgets
def test_free_counts_match_the_plain_recursion(limit: int, bias: bool, norm: str) -> None:
    # The fast count changes its split between narrow and wide layers with isqrt(limit),
    # and counts blocks of BLOCK budgets together.
    counts = count_sequence(limit, shape_rules(bias=bias, norm=norm))
    assert counts == recursive_free_counts(limit, bias, norm)


def test_free_counts_match_the_rule_table() -> None:
    for bias, norm in [(False, "none"), (True, "layer")]:
        rules = shape_rules(bias=bias, norm=norm)
        table = ShapeTable(rules, 150)
        assert count_sequence(150, rules) == [table.total(p) for p in range(1, 151)]
    assert not shape_rules(max_step=3).free


@settings(max_examples=20, deadline=None)
@given(
    limit=st.integers(1, 200),
    bits=st.sampled_from([2, 5, 13, 64]),
    bias=st.booleans(),
    norm=st.sampled_from(["none", "layer"]),
)
@example(limit=600, bits=64, bias=False, norm="none")  # several blocks and passes
def test_counts_digit_by_digit_match_the_plain_recursion(
    limit: int, bits: int, bias: bool, norm: str
) -> None:
    # With small digits the counts take many passes, each starting where carries arrive.
    extras = shape_rules(bias=bias, norm=norm).counting
    hidden, output = extras.hidden_unit_extras, extras.output_unit_extras
    counts = free_shape_counts(limit, hidden, output, bits=bits)
    assert counts == recursive_free_counts(limit, bias, norm)
    assert counts == free_tables(limit, hidden, output)[0][1:]  # the exact single pass


def test_count_progress_measures_the_work() -> None:
    # Budget q costs about q in each pass: half the budgets are a quarter of one pass's work.
    reports: list[tuple[int, int]] = []
    free_shape_counts(1024, 0, 0, lambda done, total: reports.append((done, total)), bits=256)
    done = [d for d, _ in reports]
    assert done == sorted(done)
    assert reports[-1][0] == reports[-1][1]  # finished: all the work is the total
    first_pass_total = 1024 * 1025 // 2
    assert reports[1] == (512 * 513 // 2, first_pass_total)  # two blocks of 256 budgets
    assert reports[-1][1] > first_pass_total  # the counts took more passes than one


def test_counts_past_the_limit_are_refused_before_any_work(
    capsys: pytest.CaptureFixture[str],
) -> None:
    above = MAX_COUNTED + 1
    with pytest.raises(IsoparamError, match=f"up to {MAX_COUNTED} are counted, not {above}"):
        count_sequence(above)
    assert main(shlex.split(f"count --upto {above}")) == 2
    assert capsys.readouterr().err.startswith("error: counting shapes takes time")


def test_a_listing_stopped_by_its_dead_end_limit_closes_its_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import isoparam.shapes.table as table
    from isoparam import ShapeListing, count_params, from_json

    monkeypatch.setattr(table, "DEAD_LIMIT", 1000)
    line = "shapes --params 1e19 --limit 5 --depths 0-2 --no-bias --format json"
    assert main(shlex.split(line)) == 1
    out, err = capsys.readouterr()
    document = json.loads(out)
    assert "dead ends" in document["stopped"]
    assert err == ""
    listing = from_json(document)
    assert isinstance(listing, ShapeListing)
    assert 0 < len(listing.shapes) == document["count"] < 5
    assert all(count_params(shape, bias=False) == 10**19 for shape in listing.shapes)
    assert main(shlex.split(line.replace("json", "csv"))) == 1
    assert capsys.readouterr().err.startswith("note: stopped early")
