"""The command line: golden outputs, the JSON contract, exit codes and every bad input."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from isoparam.cli import build_parser, main
from tests.reference import reference_count, scan_closest_width

GOLDEN = Path(__file__).parent / "golden"
FAMILY = ["family", "--inputs", "784", "--outputs", "10", "--params", "100000", "--depths", "5-12"]
SHAPE = ["params", "784", "128", "64", "10"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown", "html"])
@pytest.mark.parametrize(("name", "argv"), [("family", FAMILY), ("params", SHAPE)])
def test_golden_output(
    name: str, argv: list[str], fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run([*argv, "--format", fmt], capsys)
    golden = GOLDEN / f"{name}.{fmt}"
    if os.environ.get("ISOPARAM_UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert (status, err) == (0, "")
    assert out == golden.read_text(encoding="utf-8")


def test_golden_family_agrees_with_brute_force() -> None:
    document = json.loads((GOLDEN / "family.json").read_text(encoding="utf-8"))
    for arch in document["architectures"]:
        width = scan_closest_width(784, 10, arch["depth"], 100_000, True)
        assert arch["widths"] == [width] * arch["depth"]
        assert arch["params"] == reference_count([784, *arch["widths"], 10], True)
        assert arch["deviation"] == arch["params"] - 100_000
    assert [arch["depth"] for arch in document["architectures"]] == list(range(5, 13))


def test_golden_breakdown_rows_sum_to_total() -> None:
    rows = list(csv.DictReader(io.StringIO((GOLDEN / "params.csv").read_text("utf-8"))))
    total = sum(int(row["total"]) for row in rows)
    assert total == reference_count([784, 128, 64, 10], True)
    last_row = (GOLDEN / "params.table").read_text("utf-8").splitlines()[-1].split()
    assert last_row[0] == "total"
    assert int(last_row[-1]) == total


@pytest.mark.parametrize("bias", [True, False])
def test_family_json_contract(bias: bool, capsys: pytest.CaptureFixture[str]) -> None:
    argv = f"family --inputs 3 --outputs 2 --params {10**40} --depths 1-3".split()
    status, out, _ = run([*argv, "--format", "json", *([] if bias else ["--no-bias"])], capsys)
    document = json.loads(out)
    assert status == 0
    assert document["bias"] is bias
    assert document["target"] == 10**40
    for arch in document["architectures"]:
        assert isinstance(arch["depth"], int)
        assert len(arch["widths"]) == arch["depth"]
        assert all(isinstance(width, int) for width in arch["widths"])
        assert isinstance(arch["params"], int)
        assert arch["params"] == reference_count([3, *arch["widths"], 2], bias)
        assert arch["deviation"] == arch["params"] - 10**40
    assert "e+" not in out  # no integer ever became a float


def test_params_counts_a_shape(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["params", "784", "128", "10", "--no-bias", "--format", "json"], capsys)
    assert json.loads(out)["params"] == 784 * 128 + 128 * 10


def test_scientific_budget_is_exact(capsys: pytest.CaptureFixture[str]) -> None:
    command = "family --inputs 1 --outputs 1 --params 1e30 --depths 1 --no-bias --format json"
    _, out, _ = run(command.split(), capsys)
    # count = 2b with these sizes, so 10^30 is hit exactly at b = 5 * 10^29.
    assert json.loads(out)["architectures"][0]["widths"] == [5 * 10**29]


def test_tolerance_sets_the_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    # Depth 12 misses the budget by 1.12% (see the golden table), the others by less than 1%.
    assert run([*FAMILY, "--tolerance", "1%"], capsys)[0] == 1
    assert run([*FAMILY, "--tolerance", "0.0113"], capsys)[0] == 0
    _, out, _ = run([*FAMILY, "--tolerance", "1%", "--format", "csv"], capsys)
    flags = [row["within_tolerance"] for row in csv.DictReader(io.StringIO(out))]
    assert flags == ["true"] * 7 + ["false"]


BASE = "family --inputs 4 --outputs 3 --params 1000 --depths 5"


@pytest.mark.parametrize(
    "command",
    [
        "params 784 0 10",
        "params 784",
        "params 784 7.5 10",
        "params 784 x 10",
        "family --inputs 0 --outputs 10 --params 1000 --depths 5",
        "family --inputs 4 --outputs -3 --params 1000 --depths 5",
        "family --inputs 4.5 --outputs 3 --params 1000 --depths 5",
        "family --inputs 4 --outputs 3 --params 1000 --depths 5-",
        "family --inputs 4 --outputs 3 --params 1000 --depths 12-5",
        "family --inputs 4 --outputs 3 --params 1000 --depths a,b",
        "family --inputs 4 --outputs 3 --params 1000 --depths ''",
        "family --inputs 4 --outputs 3 --params 1000 --depths x0",
        "family --inputs 4 --outputs 3 --params 0 --depths 5",
        "family --inputs 4 --outputs 3 --params -100 --depths 5",
        "family --inputs 4 --outputs 3 --params 1e3.5 --depths 5",
        "family --inputs 4 --outputs 3 --depths 5",
        f"{BASE} --format xml",
        f"{BASE} --tolerance much",
        f"{BASE} --max-spread -1",
        f"{BASE} --max-spread 2x",
        f"{BASE} --min-width 0",
        f"{BASE} --min-width 10 --max-width 5",
        f"{BASE} --min-width 40",
        f"{BASE} --tolerance 5",
        f"{BASE} --tolerance 1e99999999",
        f"{BASE} --plot /no/such/folder/f.png",
        f"{BASE} --norm rms --no-norm-bias",
        f"{BASE} --no-norm-affine",
        "params 1e4300 1",
        "params 1e1000000000 1",
        "family --inputs 784 --outputs 10 --params 1e9 --depths 1-100000000",
        "budget --inputs 4 --outputs 3 --depths 2-3 --window 5",
        "budget --inputs 4 --outputs 3 --depths 2-3 --near 500 --max-params 9000",
        "bogus",
        "",
    ],
)
def test_bad_input_is_one_error_line_and_status_2(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        sys.exit(main(shlex.split(command)))
    out, err = capsys.readouterr()
    assert stopped.value.code == 2
    assert out == ""
    assert err.startswith("error: ")
    assert err.count("\n") == 1


def test_budget_too_small_names_depth_and_smallest_budget(
    capsys: pytest.CaptureFixture[str],
) -> None:
    smallest = reference_count([784, *[1] * 12, 10], True)
    # Depths 5-11 are answered; depth 12 is a row that says why it cannot be (status 1).
    status, out, err = run([*FAMILY[:6], str(smallest - 1), "--depths", "5-12"], capsys)
    assert (status, err) == (1, "")
    assert (
        f"too small for depth 12: its smallest network (every hidden width 1) has {smallest}"
        in out
    )
    # With no depth answerable, the request itself is the mistake (status 2).
    status, out, err = run([*FAMILY[:6], str(smallest - 1), "--depths", "12"], capsys)
    assert (status, out) == (2, "")
    assert str(smallest) in err


def test_python_dash_m_and_console_script_agree() -> None:
    argv = ["params", "4", "11", "3"]
    module = subprocess.run(
        [sys.executable, "-m", "isoparam", *argv], capture_output=True, text=True, check=True
    )
    script = Path(sys.executable).with_name("isoparam")
    if script.exists():
        console = subprocess.run([script, *argv], capture_output=True, text=True, check=True)
        assert console.stdout == module.stdout
    assert str(reference_count([4, 11, 3], True)) in module.stdout


def test_import_stays_light() -> None:
    code = (
        "import sys, isoparam; heavy = {'torch', 'pandas', 'matplotlib', 'numpy', 'ortools',"
        " 'z3'} & set(sys.modules); print(sorted(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]"


def test_every_option_of_every_command_has_help() -> None:
    (commands,) = (
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    missing = [
        (name, action.option_strings or action.dest)
        for name, parser in commands.choices.items()
        for action in parser._actions
        if not action.help and "--help" not in action.option_strings
    ]
    assert missing == []
