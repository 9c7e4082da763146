"""isoparam study: data, the end-to-end smoke study, resumption, the summary and the CLI."""

from __future__ import annotations

import csv
import json
import math
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from isoparam import IsoparamError, family
from isoparam.cli import main
from isoparam.study import Request, Run, StudyResult, load_data, make_request, run_study, to_table
from isoparam.study.report import describe


def small(**changes: Any) -> Request:
    """A study small enough for a test: 3 depths, 2 seeds, 3 epochs."""
    options: dict[str, Any] = {"params": 3000, "depths": "1,2,4", "seeds": 2, "epochs": 3}
    return make_request(**(options | {"patience": 2} | changes))


SMALL_ARGV = "study --params 3000 --depths 1,2,4 --seeds 2 --epochs 3 --patience 2".split()


def numbers(result: StudyResult) -> list[tuple[Any, ...]]:
    """Everything a trial computes, without its timings."""
    return [
        (run.key, run.widths, run.params, run.epochs, run.best_epoch, run.train_loss,
         run.train_accuracy, run.val_loss, run.val_accuracy, run.test_loss, run.test_accuracy)
        for run in result.runs
    ]  # fmt: skip


def read_runs(out: Path) -> list[dict[str, str]]:
    with open(out / "runs.csv", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


# --- import stays light -------------------------------------------------------------------


def test_import_isoparam_and_the_cli_import_no_heavy_package() -> None:
    code = (
        "import sys, isoparam, isoparam.cli, isoparam.study;"
        "print([m for m in ('torch', 'numpy', 'sklearn', 'ray', 'scipy', 'tqdm', 'mnist1d')"
        " if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_missing_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from isoparam.study._optional import need

    monkeypatch.setitem(sys.modules, "mnist1d", None)  # makes the import fail
    with pytest.raises(IsoparamError, match=r"pip install -e '\.\[mnist1d\]'"):
        need("mnist1d.data")


# --- data -----------------------------------------------------------------------------------


def test_builtin_split_is_stratified_fixed_and_standardised() -> None:
    from sklearn.datasets import load_digits

    data = load_data("digits")
    digits = load_digits()
    assert data.sizes[0] + data.sizes[1] + data.sizes[2] == len(digits.target)
    assert (data.inputs, data.classes) == (digits.data.shape[1], len(set(digits.target)))
    for labels in (data.y_train, data.y_val, data.y_test):
        shares = np.bincount(labels, minlength=10) / len(labels)
        overall = np.bincount(digits.target, minlength=10) / len(digits.target)
        assert np.abs(shares - overall).max() < 0.02
    assert np.allclose(data.x_train.mean(axis=0), 0, atol=1e-5)
    again = load_data("digits")
    assert again.fingerprint() == data.fingerprint()
    assert np.array_equal(again.x_test, data.x_test)


def test_random_labels_keep_the_examples_and_are_fixed() -> None:
    true, shuffled = load_data("iris"), load_data("iris", labels="random")
    assert np.array_equal(true.x_train, shuffled.x_train)
    assert not np.array_equal(true.y_train, shuffled.y_train)
    assert np.array_equal(shuffled.y_train, load_data("iris", labels="random").y_train)
    assert set(shuffled.y_train.tolist()) <= set(range(true.classes))


def test_mnist1d_is_generated_offline_without_files_or_global_rng_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("MNIST-1D tried to reach the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.chdir(tmp_path)
    np.random.seed(12345)
    random.seed(678)
    numpy_before, python_before = np.random.get_state(), random.getstate()
    data = load_data("mnist1d")
    numpy_after = np.random.get_state()
    assert all(
        np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b
        for a, b in zip(numpy_before, numpy_after, strict=True)
    )
    assert random.getstate() == python_before
    assert list(tmp_path.iterdir()) == []
    from mnist1d.data import get_dataset_args

    defaults = get_dataset_args()
    assert sum(data.sizes) == defaults.num_samples
    assert (data.inputs, data.classes) == (defaults.final_seq_length, 10)


def save_npz(path: Path, **arrays: Any) -> Path:
    np.savez(path, **arrays)
    return path


def test_npz_with_a_split(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 3, 2))  # examples are flattened
    y = np.repeat(np.array([5, 7, 9]), 10)
    split = np.array(["train"] * 18 + ["val"] * 6 + ["test"] * 6)
    data = load_data(str(save_npz(tmp_path / "d.npz", x=x, y=y, split=split)))
    assert (data.inputs, data.classes, data.sizes) == (6, 3, (18, 6, 6))
    assert set(data.y_test.tolist()) == {2}  # labels 5, 7, 9 became 0, 1, 2


@pytest.mark.parametrize(
    ("arrays", "message"),
    [
        ({"x": np.zeros((20, 2))}, "lacks the array"),
        ({"x": np.zeros(20), "y": np.zeros(20, int)}, "one row per example"),
        ({"x": np.zeros((0, 3)), "y": np.zeros(0, int)}, "one row per example"),
        ({"x": np.zeros((20, 2)), "y": np.zeros(19, int)}, "one label per example"),
        ({"x": np.zeros((20, 2)), "y": np.linspace(0, 1, 20)}, "integer class labels"),
        ({"x": np.full((20, 2), np.nan), "y": np.arange(20) % 2}, "finite"),
        ({"x": np.array([["a", "b"]] * 20), "y": np.arange(20) % 2}, "numeric"),
        ({"x": np.zeros((20, 2)), "y": np.zeros(20, int)}, "at least 2 classes"),
        ({"x": np.zeros((3, 2)), "y": np.array([0, 1, 2])}, "cannot split"),
        ({"x": np.zeros((4, 2)), "y": np.arange(4) % 2, "split": np.array([0, 1, 2, 3])},
         "train/val/test or 0/1/2"),
        ({"x": np.zeros((4, 2)), "y": np.arange(4) % 2, "split": np.array([0, 0, 2, 2])},
         "no val examples"),
        ({"x": np.array([{}] * 4, dtype=object), "y": np.arange(4) % 2}, "cannot read"),
    ],
)  # fmt: skip
def test_malformed_npz_is_a_clear_error(
    tmp_path: Path, arrays: dict[str, Any], message: str
) -> None:
    path = save_npz(tmp_path / "bad.npz", **arrays)
    with pytest.raises(IsoparamError, match=message):
        load_data(str(path))


def test_unreadable_files_and_unknown_names(tmp_path: Path) -> None:
    (tmp_path / "text.npz").write_text("not a zip", encoding="utf-8")
    with pytest.raises(IsoparamError, match=r"not a readable \.npz"):
        load_data(str(tmp_path / "text.npz"))
    with pytest.raises(IsoparamError, match="no such data file"):
        load_data(str(tmp_path / "absent.npz"))
    with pytest.raises(IsoparamError, match="unknown data 'cifar'"):
        load_data("cifar")


# --- the smoke study ------------------------------------------------------------------------


def test_smoke_study_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "study"
    argv = [*SMALL_ARGV, "--lr", "1e-3,1e-2", "--out", str(out), "--format", "json"]
    argv += ["--plot", str(tmp_path / "study.png")]
    assert main(argv) == 0
    stdout, stderr = capsys.readouterr()
    report = json.loads(stdout)
    data = load_data("digits")
    expected = family(data.inputs, data.classes, 3000, [1, 2, 4]).architectures

    rows = read_runs(out)
    assert len(rows) == 3 * 2 * 2
    assert {(int(r["depth"]), float(r["lr"]), int(r["seed"])) for r in rows} == {
        (a.depth, lr, seed) for a in expected for lr in (1e-3, 1e-2) for seed in (0, 1)
    }
    assert [(d["depth"], d["widths"], d["params"]) for d in report["depths"]] == [
        (a.depth, list(a.widths), a.params) for a in expected
    ]
    for depth in report["depths"]:
        mine = [r for r in rows if int(r["depth"]) == depth["depth"]]

        def validation(lr: float, mine: list[dict[str, str]] = mine) -> tuple[float, ...]:
            at = [r for r in mine if float(r["lr"]) == lr]
            accuracy = statistics.mean(float(r["val_accuracy"]) for r in at)
            loss = statistics.mean(float(r["val_loss"]) for r in at)
            return (accuracy, -loss, -lr)  # ties: lower loss, then the smaller rate

        assert depth["lr"] == max((1e-3, 1e-2), key=validation)
        chosen = [float(r["test_accuracy"]) for r in mine if float(r["lr"]) == depth["lr"]]
        stat = depth["metrics"]["test_accuracy"]
        assert stat["mean"] == pytest.approx(statistics.mean(chosen))
        assert stat["std"] == pytest.approx(statistics.stdev(chosen))
        assert 1 <= int(mine[0]["epochs"]) <= 3
        edge = "smallest" if depth["lr"] == 1e-3 else "largest"
        assert depth["lr_at_edge"] == edge
        assert f"warning: depth {depth['depth']}: the chosen rate" in stderr
    with open(out / "summary.csv", encoding="utf-8") as stream:
        summary = list(csv.DictReader(stream))
    assert [int(r["depth"]) for r in summary] == [1, 2, 4]
    assert json.loads((out / "request.json").read_text())["request"]["lrs"] == [1e-3, 1e-2]
    assert (tmp_path / "study.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    assert main([*SMALL_ARGV, "--lr", "1e-3,1e-2", "--out", str(out), "--quiet"]) == 0
    table = capsys.readouterr().out
    assert len(read_runs(out)) == 12  # nothing rerun
    assert table.startswith("isoparam study: digits")
    assert "depth  widths" in table


def test_the_interval_is_students_t() -> None:
    from scipy import stats

    values = [0.91, 0.95, 0.9, 0.97]
    low, high = stats.t.interval(
        0.95, len(values) - 1, loc=statistics.mean(values), scale=stats.sem(values)
    )
    stat = describe(values)
    expected = [statistics.mean(values), statistics.stdev(values), low, high]
    assert [stat.mean, stat.std, stat.low, stat.high] == pytest.approx(expected)
    assert math.isnan(describe([0.5]).low)


# --- resumption -----------------------------------------------------------------------------


class Interrupt(Exception):
    pass


def test_an_interrupted_study_resumes_to_the_same_numbers(tmp_path: Path) -> None:
    request = small(lrs=(3e-3,))
    whole = run_study(request)

    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            raise Interrupt

    out = tmp_path / "study"
    with pytest.raises(Interrupt):
        run_study(request, out, progress=stop_after_two)
    assert len(read_runs(out)) == 2

    seen: list[tuple[int, int]] = []
    resumed = run_study(request, out, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (2, 6)  # it starts from the two finished trials
    assert numbers(resumed) == numbers(whole)
    assert len(read_runs(out)) == 6


def test_a_line_cut_short_by_a_kill_is_dropped_and_rerun(tmp_path: Path) -> None:
    request = small(lrs=(3e-3,))
    out = tmp_path / "study"
    whole = run_study(request, out)
    lines = (out / "runs.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (out / "runs.csv").write_text("".join(lines[:-1]) + lines[-1][:20], encoding="utf-8")
    assert numbers(run_study(request, out)) == numbers(whole)
    assert len(read_runs(out)) == 6


def test_resume_from_the_directory_after_a_kill(tmp_path: Path) -> None:
    """The real thing: kill the command line mid-study, then ``--resume DIR``."""
    out = tmp_path / "study"
    argv = [*SMALL_ARGV[1:], "--lr", "1e-3,3e-3", "--epochs", "40", "--patience", "40"]
    command = [sys.executable, "-m", "isoparam", "study", *argv, "--out", str(out), "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if (out / "runs.csv").exists() and len(read_runs(out)) >= 1:
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait()
    finished = read_runs(out)
    assert 1 <= len(finished) < 12, "the study should have been killed mid-way"

    assert main(["study", "--resume", str(out), "--quiet", "--format", "csv"]) == 0
    rows = read_runs(out)
    assert len(rows) == 12
    assert rows[: len(finished)] == finished  # the finished trials were kept, not rerun
    keys = {(r["depth"], r["lr"], r["seed"]) for r in rows}
    assert len(keys) == 12


def test_an_out_dir_of_another_study_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "study"
    run_study(small(lrs=(3e-3,)), out)
    assert main([*SMALL_ARGV, "--lr", "1e-3", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "lrs differ" in err
    assert err.count("\n") == 1
    assert main(["study", "--resume", str(out), "--seeds", "3"]) == 2
    assert "drop --seeds" in capsys.readouterr().err
    assert main(["study", "--resume", str(tmp_path)]) == 2
    assert "no request.json" in capsys.readouterr().err


# --- command-line errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["study", "--depths", "1-3"], "needs --params and --depths"),
        (["study", "--params", "3000", "--depths", "1", "--lr", "fast"], "--lr must be"),
        (["study", "--params", "3000", "--depths", "1", "--lr", "0,1e-3"], "positive"),
        (["study", "--params", "3000", "--depths", "1", "--address", "auto"], "--engine ray"),
        (["study", "--params", "3000", "--depths", "1", "--data", "nope"], "unknown data"),
        (["study", "--params", "10", "--depths", "3"], "too small"),
        (["study", "--params", "3000", "--depths", "1", "--model", "llama"], "token sequences"),
    ],
)
def test_cli_errors_are_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert message in err
    assert err.count("\n") == 1


def test_request_round_trips_through_json() -> None:
    request = small(max_spread="2%", data="iris", labels="random")
    assert Request.from_dict(json.loads(json.dumps(request.to_dict()))) == request
    model = small(model="resmlp", model_args={"expansion": 2})
    assert Request.from_dict(json.loads(json.dumps(model.to_dict()))) == model
    older = {k: v for k, v in request.to_dict().items() if k not in ("model", "model_args")}
    assert Request.from_dict(older) == request  # recorded before --model: an MLP study


@pytest.mark.parametrize(
    ("model", "arguments", "batched"),
    [("resmlp", {"expansion": 1}, True), ("tests.builders:tabular", {}, True)],
)
def test_a_study_trains_a_model_family(
    model: str, arguments: dict[str, int], batched: bool
) -> None:
    from isoparam import grid_family, model_family

    request = small(
        data="iris", model=model, model_args=arguments, seeds=2, epochs=2, batched=batched
    )
    result = run_study(request)
    data = load_data("iris")
    fam = model_family(model, {**arguments, "inputs": data.inputs, "outputs": data.classes})
    expected = grid_family(fam, 3000, [1, 2, 4])
    assert result.family == expected
    assert {(run.depth, run.params, run.widths) for run in result.runs} == {
        (row.depth, row.params, (row.width,) * row.depth) for row in expected.rows
    }
    assert all(0 <= run.test_accuracy <= 1 for run in result.runs)
    assert to_table(result.summary).startswith("isoparam study: iris (150 examples, 4 inputs")
    assert f", model {model}" in to_table(result.summary).splitlines()[0]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"model": "gpt"}, "gpt takes token sequences"),
        ({"model": "resnet"}, "resnet takes images"),
        ({"model": "resmlp", "norm": "layer"}, "--norm apply to --model mlp"),
        ({"model": "resmlp", "model_args": {"inputs": 3}}, "the data sets inputs"),
        ({"model_args": {"expansion": 2}}, "model arguments apply to"),
    ],
)
def test_study_models_that_do_not_fit_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(IsoparamError, match=message):
        small(**changes)


@pytest.fixture(autouse=True)
def _no_stray_files() -> Any:
    before = set(os.listdir())
    yield
    assert set(os.listdir()) == before


def test_random_labels_choose_the_rate_on_the_training_fit() -> None:
    result = run_study(small(data="iris", labels="random", lrs=(1e-3, 1e-2)))
    summary = result.summary
    assert summary.selection == "train_accuracy"
    for depth in summary.depths:
        mine = [r for r in result.runs if r.depth == depth.depth]

        def fit(lr: float, mine: list[Run] = mine) -> tuple[float, float, float]:
            accuracy = statistics.mean(r.train_accuracy for r in mine if r.lr == lr)
            loss = statistics.mean(r.train_loss for r in mine if r.lr == lr)
            return (accuracy, -loss, -lr)  # ties: lower loss, then the smaller rate

        assert depth.chosen.lr == max((1e-3, 1e-2), key=fit)
    assert "train acc %" in to_table(summary)


def test_one_seed_has_no_interval_and_says_so() -> None:
    table = to_table(run_study(small(data="iris", seeds=1, depths="1", epochs=1)).summary)
    assert "nan" not in table
    assert "one seed has no interval" in table
