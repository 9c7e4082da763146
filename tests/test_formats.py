"""Every command with every format it offers; lossless, tagged JSON for every result type;
the same request through Python and the command line."""

from __future__ import annotations

import argparse
import io
import json
import shlex
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isoparam import (
    MLP,
    NORMS,
    Budget,
    CountingModel,
    Family,
    IsoparamError,
    ShapeCounts,
    ShapeListing,
    breakdown,
    common_budget,
    count_sequence,
    enumerate_shapes,
    family,
    formats_for,
    from_json,
    render,
    shape_rules,
    to_json,
)
from isoparam.cli import build_parser, main
from isoparam.render.stream import STREAM_FORMATS, write_shapes
from isoparam.render.views import SCHEMA_VERSION

COMMANDS = {
    "params": "params 7 5 4 3 --no-bias",
    "family": "family --inputs 6 --outputs 2 --params 300 --depths 1-3 --max-spread 1",
    "budget": "budget --inputs 4 --outputs 3 --depths 2-3 --no-bias",
    "shapes": "shapes --params 12 --no-bias --limit 5",
    "count": "count --params 9 --no-bias",
}


def offered(command: str) -> list[str]:
    """The --format choices the command's parser offers."""
    (commands,) = (
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    sub = commands.choices[command]
    (action,) = (a for a in sub._actions if "--format" in a.option_strings)
    assert action.choices is not None
    return [str(choice) for choice in action.choices]


def run(argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(shlex.split(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("command", "fmt"),
    [(command, fmt) for command in COMMANDS for fmt in offered(command)],
)
def test_every_offered_format_works(
    command: str, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(f"{COMMANDS[command]} --format {fmt}", capsys)
    assert (status, err) == (0, "")
    assert out.strip()
    if fmt == "json":
        document = json.loads(out)
        assert document["schema_version"] == SCHEMA_VERSION
        assert from_json(document) is not None
    if fmt == "torch":
        compile(out, "<exported>", "exec")


def test_offered_formats_come_from_the_registry() -> None:
    assert offered("params") == list(formats_for(type(breakdown([2, 3]))))
    assert offered("family") == list(formats_for(Family))
    assert offered("budget") == list(formats_for(Budget))
    assert "torch" in offered("budget")
    assert offered("count") == list(formats_for(ShapeCounts))
    assert "torch" not in offered("count")
    assert offered("shapes") == list(STREAM_FORMATS)


def test_a_format_that_cannot_write_a_result_is_refused() -> None:
    counts = ShapeCounts(shape_rules(), ((3, 1),))
    with pytest.raises(IsoparamError, match="cannot be written as 'torch'"):
        render(counts, "torch")
    with pytest.raises(IsoparamError, match="cannot be written as 'pdf'"):
        render(counts, "pdf")


# --- lossless JSON ----------------------------------------------------------------------

sizes = st.integers(1, 12)


@settings(max_examples=40, deadline=None)
@given(
    inputs=sizes,
    outputs=sizes,
    slack=st.integers(0, 400),
    depths=st.lists(st.integers(0, 4), min_size=1, max_size=3),
    spread=st.sampled_from([0, 1, 2, "5%", "50%"]),
    counting=st.builds(CountingModel, st.booleans(), st.sampled_from(NORMS)),
    tolerance=st.sampled_from([None, "1%", Fraction(1, 3)]),
    profile=st.sampled_from(["rectangle", "trapezoid:2", "exponential:0.5"]),
)
def test_families_round_trip(
    inputs: int,
    outputs: int,
    slack: int,
    depths: list[int],
    spread: int | str,
    counting: CountingModel,
    tolerance: str | Fraction | None,
    profile: str,
) -> None:
    smallest = max(MLP(inputs, outputs, counting).count(depth, 1) for depth in depths)
    fam = family(
        inputs,
        outputs,
        smallest + slack,
        depths,
        bias=counting.bias,
        norm=counting.norm,
        max_spread=spread,
        tolerance=tolerance,
        profile=profile,
    )
    assert from_json(json.loads(json.dumps(to_json(fam)))) == fam


@settings(max_examples=25, deadline=None)
@given(
    inputs=st.integers(1, 6),
    outputs=st.integers(1, 6),
    depths=st.lists(st.integers(1, 3), min_size=1, max_size=2),
    at_least=st.integers(1, 500),
    bias=st.booleans(),
)
def test_budgets_round_trip(
    inputs: int, outputs: int, depths: list[int], at_least: int, bias: bool
) -> None:
    try:
        found = common_budget(inputs, outputs, depths, at_least=at_least, bias=bias)
    except IsoparamError:
        return
    again = from_json(json.loads(json.dumps(to_json(found))))
    assert again == found
    assert isinstance(again, Budget)


@settings(max_examples=25, deadline=None)
@given(
    budget=st.integers(1, 12),  # every shape is listed: at most 384 at 12
    counting=st.builds(CountingModel, st.booleans(), st.sampled_from(NORMS)),
    inputs=st.none() | st.integers(1, 4),
    depths=st.none() | st.sampled_from(["0-2", "1", "2,3"]),
    max_step=st.none() | st.integers(0, 3),
)
def test_shape_results_round_trip(
    budget: int,
    counting: CountingModel,
    inputs: int | None,
    depths: str | None,
    max_step: int | None,
) -> None:
    rules = shape_rules(
        bias=counting.bias, norm=counting.norm, inputs=inputs, depths=depths, max_step=max_step
    )
    sequence = count_sequence(budget, rules)
    counts = ShapeCounts(rules, tuple(enumerate(sequence, start=1)))
    assert from_json(json.loads(json.dumps(to_json(counts)))) == counts
    listing = ShapeListing(budget, rules, tuple(enumerate_shapes(budget, rules)))
    buffer = io.StringIO()
    write_shapes(listing.shapes, budget, rules, "json", buffer)
    assert from_json(json.loads(buffer.getvalue())) == listing


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 50), min_size=2, max_size=6),
    counting=st.builds(CountingModel, st.booleans(), st.sampled_from(NORMS)),
)
def test_breakdowns_round_trip(sizes: list[int], counting: CountingModel) -> None:
    result = counting.breakdown(sizes)
    assert from_json(json.loads(json.dumps(to_json(result)))) == result


def test_from_json_refuses_other_documents() -> None:
    with pytest.raises(IsoparamError, match="kind"):
        from_json({"sizes": [1, 2]})
    with pytest.raises(IsoparamError, match="schema versions 1 and 2"):
        from_json({**to_json(breakdown([2, 3])), "schema_version": 99})
    with pytest.raises(IsoparamError, match="malformed"):
        from_json({"kind": "family", "schema_version": 1})


# --- Python and the command line agree ---------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "call"),
    [
        (
            "family --inputs 4 --outputs 3 --params 1000 --depths 6 --no-bias",
            lambda: family(4, 3, 1000, [6], bias=False),
        ),
        (
            "family --inputs 4 --outputs 3 --params 1000 --depths 6 --no-bias --max-spread 0",
            lambda: family(4, 3, 1000, [6], bias=False, max_spread="0"),
        ),
        (
            "family --inputs 784 --outputs 10 --params 100000 --depths 5-7 --max-spread 2% "
            "--profile trapezoid:2 --tolerance 1%",
            lambda: family(
                784, 10, 100_000, "5-7", max_spread="2%", profile="trapezoid:2", tolerance=0.01
            ),
        ),
        (
            "budget --inputs 4 --outputs 3 --depths 2-3 --no-bias",
            lambda: common_budget(4, 3, "2-3", bias=False),
        ),
    ],
)
def test_python_and_cli_give_equal_results(
    argv: str, call: Callable[[], object], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(f"{argv} --format json", capsys)
    assert status in (0, 1)
    expected = call()
    if isinstance(expected, Budget):
        # the CLI drops the explanation unless --explain
        expected = replace(expected, explanation=())
    assert from_json(json.loads(out)) == expected


def test_budget_and_family_validate_alike(capsys: pytest.CaptureFixture[str]) -> None:
    bounds = "--inputs 4 --outputs 3 --depths 2-3 --min-width 10 --max-width 5"
    outcomes = {run(f"{command} {bounds} --params 500", capsys)[0:3:2] for command in ["family"]}
    outcomes |= {run(f"budget {bounds}", capsys)[0:3:2]}
    assert len(outcomes) == 1
    ((status, err),) = outcomes
    assert status == 2
    assert "no width lies between" in err
