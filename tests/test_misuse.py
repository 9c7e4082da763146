"""Hard to misuse: generated command lines and API calls never end in a traceback, a hang
or a silent wrong answer; every mistake is one IsoparamError / one ``error:`` line."""

from __future__ import annotations

import json
import shlex
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import isoparam
from isoparam import IsoparamError
from isoparam.cli import main

STATUSES = {0, 1, 2}
"""What a request may end in; 3 (an internal error) and 130 never should."""


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: SIGALRM after ``seconds``."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- the command line --------------------------------------------------------------------

sizes = st.sampled_from(
    ["1", "3", "4", "10", "784", "0", "-2", "2.5", "1e3", "x", "1e4300", "7_0"]
)
budgets = st.sampled_from(["1", "30", "1000", "1e5", "10_000", "0", "-5", "1e3.5", "1e40", "q"])
depth_sets = st.sampled_from(
    ["1", "2-4", "5-12", "0", "3,5", "12-5", "", "a", "1-100000000", "0-2", "-x"]
)
formats = st.sampled_from(["table", "json", "csv", "markdown", "html", "torch", "xml"])
flags = st.sampled_from(
    [
        "--no-bias",
        "--norm layer",
        "--norm rms",
        "--norm batch",
        "--no-norm-bias",
        "--no-norm-affine",
        "--norm nope",
        "--quiet",
        "--under",
        "--narrow 0",
        "--narrow -1",
    ]
)


@st.composite
def command_lines(draw: st.DrawFn) -> str:
    command = draw(st.sampled_from(["params", "family", "budget", "shapes", "count", "nope"]))
    words = [command]
    if command == "params":
        words += draw(st.lists(sizes, min_size=0, max_size=5))
    elif command in ("family", "budget"):
        words += ["--inputs", draw(sizes), "--outputs", draw(sizes), "--depths", draw(depth_sets)]
        words += ["--max-spread", draw(st.sampled_from(["0", "1", "2", "2%", "-1", "x"]))]
        if command == "family":
            words += ["--params", draw(budgets)]
            if draw(st.booleans()):
                words += ["--tolerance", draw(st.sampled_from(["1%", "0.05", "5", "x", "-1%"]))]
        else:
            words += draw(
                st.sampled_from(
                    [
                        [],
                        ["--near", "1000"],
                        ["--at-least", "50"],
                        ["--window", "5"],
                        ["--near", "900", "--window", "2%"],
                        ["--max-params", "3000"],
                    ]
                )
            )
    elif command in ("shapes", "count"):
        words += ["--params", draw(st.sampled_from(["1", "8", "20", "0", "x", "1e19"]))]
        if command == "shapes":
            words += ["--limit", draw(st.sampled_from(["1", "5", "0"]))]
        if draw(st.booleans()):
            words += ["--inputs", draw(sizes)]
        if draw(st.booleans()):
            words += ["--depths", draw(st.sampled_from(["0-2", "1", "x", "3-1"]))]
    if draw(st.booleans()):
        words += shlex.split(draw(flags))
    if draw(st.booleans()):
        words += ["--format", draw(formats)]
    return shlex.join(words)


def integers_stay_integers(document: Any) -> None:
    """Sizes and counts in JSON are integers, never floats."""
    if isinstance(document, dict):
        for key, value in document.items():
            if key in ("params", "deviation", "budget", "count", "target", "depth"):
                assert isinstance(value, int), (key, value)
            if key in ("widths", "sizes"):
                assert all(isinstance(v, int) for v in value), (key, value)
            integers_stay_integers(value)
    elif isinstance(document, list):
        for value in document:
            integers_stay_integers(value)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(line=command_lines())
def test_generated_command_lines(line: str, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for _ in range(2):
        with deadline(20):
            status = main(shlex.split(line))
        out, err = capsys.readouterr()
        outputs.append((status, out, err))
        assert status in STATUSES, (line, status, err)
        assert "Traceback" not in err, line
        if status == 2:
            assert out == "", line
            assert err.startswith("error: "), (line, err)
            assert err.count("\n") == 1, (line, err)
        if status == 0 and "--format json" in line:
            integers_stay_integers(json.loads(out))
    assert outputs[0] == outputs[1], line  # deterministic, byte for byte


# --- the Python API ----------------------------------------------------------------------

BAD: list[object] = [
    None,
    -1,
    0,
    1.5,
    "x",
    "2%",
    True,
    [],
    {},
    10**2000,
    float("nan"),
    (1,),
    "1-3",
    3,
]

CALLS: dict[str, Callable[[Any], object]] = {
    "family inputs": lambda v: isoparam.family(v, 3, 1000, "2-3"),
    "family params": lambda v: isoparam.family(4, 3, v, "2-3"),
    "family depths": lambda v: isoparam.family(4, 3, 1000, v),
    "family bias": lambda v: isoparam.family(4, 3, 1000, "2-3", bias=v),
    "family norm": lambda v: isoparam.family(4, 3, 1000, "2-3", norm=v),
    "family max_spread": lambda v: isoparam.family(4, 3, 1000, "2-3", max_spread=v),
    "family min_width": lambda v: isoparam.family(4, 3, 1000, "2-3", min_width=v),
    "family max_width": lambda v: isoparam.family(4, 3, 1000, "2-3", max_width=v),
    "family tolerance": lambda v: isoparam.family(4, 3, 1000, "2-3", tolerance=v),
    "family profile": lambda v: isoparam.family(4, 3, 1000, "2-3", profile=v),
    "family narrow": lambda v: isoparam.family(4, 3, 1000, "2-3", narrow=v),
    "budget near": lambda v: isoparam.common_budget(4, 3, "2-3", near=v),
    "budget window": lambda v: isoparam.common_budget(4, 3, "2-3", near=500, window=v),
    "budget at_least": lambda v: isoparam.common_budget(4, 3, "2-3", at_least=v),
    "budget max_params": lambda v: isoparam.common_budget(4, 3, "2-3", max_params=v),
    "count_params sizes": lambda v: isoparam.count_params(v),
    "count_params bias": lambda v: isoparam.count_params([784, 10], bias=v),
    "breakdown sizes": lambda v: isoparam.breakdown(v),
    "shape_rules max_width": lambda v: isoparam.shape_rules(max_width=v),
    "shape_rules max_step": lambda v: isoparam.shape_rules(max_step=v),
    "shape_rules depths": lambda v: isoparam.shape_rules(depths=v),
    "count_shapes budget": lambda v: isoparam.count_shapes(v),
    "parse_depths": isoparam.parse_depths,
    "parse_tolerance": isoparam.parse_tolerance,
    "render result": lambda v: isoparam.render(v),
    "render format": lambda v: isoparam.render(isoparam.breakdown([2, 3]), v),
    "from_json": isoparam.from_json,
    "to_json": isoparam.to_json,
    "Spread.parse": isoparam.Spread.parse,
    "Profile.parse": isoparam.Profile.parse,
    "MLP inputs": lambda v: isoparam.MLP(v, 3),
}


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(CALLS)), st.sampled_from(BAD))
def test_bad_arguments_raise_isoparam_error(name: str, value: object) -> None:
    with deadline(20), suppress(IsoparamError):
        CALLS[name](value)


def test_bias_two_is_not_two_biases() -> None:
    with pytest.raises(IsoparamError, match="bias must be True or False"):
        isoparam.count_params([784, 10], bias=2)  # type: ignore[arg-type]
