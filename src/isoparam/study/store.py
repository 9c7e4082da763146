"""The output directory of a study: the request, one row per finished trial, the summary.

``request.json`` records everything that defines the study (so ``--resume DIR`` can continue
it) with the data's fingerprint and the family. ``runs.csv`` gets one line per finished
trial, written and flushed to disk as the trial ends, so an interrupted run loses at most
the trials in flight; a line cut short by a kill is dropped when the study is reopened.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from isoparam._version import __version__
from isoparam.errors import IsoparamError
from isoparam.families.builder import ArgValue
from isoparam.study.trainer import METRICS, Member, Outcome, member_widths


@dataclass(frozen=True)
class Request:
    """Everything that decides a study's numbers (how it is executed does not)."""

    data: str
    labels: str
    params: int
    depths: tuple[int, ...]
    seeds: int
    lrs: tuple[float, ...]
    epochs: int
    patience: int
    batch_size: int
    batched: bool
    bias: bool
    norm: str
    max_spread: str
    profile: str
    min_width: int
    max_width: int | None
    model: str = "mlp"
    """``mlp``, ``resmlp`` or ``MODULE:FUNCTION`` (given ``inputs`` and ``outputs``)."""
    model_args: tuple[tuple[str, ArgValue], ...] = ()
    """The model's arguments besides the data's ``inputs`` and ``outputs``."""

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        record["depths"] = list(self.depths)
        record["lrs"] = list(self.lrs)
        record["model_args"] = dict(self.model_args)
        return record

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Request:
        names = {field.name for field in fields(cls)}
        added = {"model", "model_args"}  # a study recorded before --model trains an MLP
        if not names - added <= set(record) <= names:
            raise IsoparamError(
                f"request.json does not describe a study of this isoparam version "
                f"(fields {', '.join(sorted(set(record) ^ names))} differ)"
            )
        values = dict(record)
        values["depths"] = tuple(int(d) for d in values["depths"])
        values["lrs"] = tuple(float(lr) for lr in values["lrs"])
        values["model_args"] = tuple(dict(values.get("model_args", {})).items())
        return cls(**values)

    @property
    def monitor(self) -> str:
        """The split that early stopping and the choice of rate watch."""
        return "train" if self.labels == "random" else "val"


@dataclass(frozen=True)
class Run:
    """One row of ``runs.csv``."""

    depth: int
    widths: tuple[int, ...]
    params: int
    seed: int
    lr: float
    epochs: int
    best_epoch: int
    train_loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float
    test_loss: float
    test_accuracy: float
    seconds: float
    cpu_seconds: float
    data: str
    labels: str
    isoparam: str
    torch: str
    finished: str

    @property
    def key(self) -> tuple[int, float, int]:
        return (self.depth, self.lr, self.seed)

    def metric(self, name: str) -> float:
        value: float = getattr(self, name)
        return value


RUN_FIELDS = tuple(field.name for field in fields(Run))
_INTS = {"depth", "params", "seed", "epochs", "best_epoch"}
_FLOATS = {"lr", "seconds", "cpu_seconds", *METRICS}


def run_from_outcome(outcome: Outcome, request: Request, torch_version: str) -> Run:
    arch = outcome.trial.architecture
    return Run(
        depth=arch.depth,
        widths=member_widths(arch),
        params=arch.params,
        seed=outcome.trial.seed,
        lr=outcome.trial.lr,
        epochs=outcome.epochs,
        best_epoch=outcome.best_epoch,
        **{name: outcome.metrics[name] for name in METRICS},
        seconds=outcome.seconds,
        cpu_seconds=outcome.cpu_seconds,
        data=request.data,
        labels=request.labels,
        isoparam=__version__,
        torch=torch_version,
        finished=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )


def _parse_run(row: list[str]) -> Run:
    if len(row) != len(RUN_FIELDS):
        raise ValueError(f"{len(row)} fields instead of {len(RUN_FIELDS)}")
    values: dict[str, Any] = {}
    for name, text in zip(RUN_FIELDS, row, strict=True):
        if name in _INTS:
            values[name] = int(text)
        elif name in _FLOATS:
            values[name] = float(text)
        elif name == "widths":
            values[name] = tuple(int(w) for w in text.split())
        else:
            values[name] = text
    return Run(**values)


def _run_line(run: Run) -> str:
    buffer = io.StringIO()
    row = [
        " ".join(map(str, run.widths)) if name == "widths" else getattr(run, name)
        for name in RUN_FIELDS
    ]
    csv.writer(buffer, lineterminator="\n").writerow(row)
    return buffer.getvalue()


class Store:
    """The runs of a study, kept in ``out`` (or only in memory when ``out`` is None)."""

    def __init__(self, out: Path | None, runs: Iterable[Run] = ()) -> None:
        self.out = out
        self.runs: dict[tuple[int, float, int], Run] = {}
        for run in runs:
            self.runs.setdefault(run.key, run)

    @classmethod
    def open(cls, out: Path | None, header: dict[str, Any]) -> Store:
        """Create ``out`` for the study ``header`` describes, or reopen it if it is the same."""
        if out is None:
            return cls(None)
        if out.exists() and not out.is_dir():
            raise IsoparamError(f"--out {out} is a file, not a directory")
        request_file = out / "request.json"
        if request_file.exists():
            recorded = read_header(out)
            if recorded["request"] != header["request"]:
                changed = sorted(
                    name
                    for name in header["request"]
                    if recorded["request"].get(name) != header["request"][name]
                )
                raise IsoparamError(
                    f"{out} holds a different study ({', '.join(changed)} differ); "
                    f"continue it with --resume {out} or choose another --out"
                )
            if recorded["data"]["fingerprint"] != header["data"]["fingerprint"]:
                raise IsoparamError(
                    f"the data {header['request']['data']!r} changed since {out} was started "
                    "(its fingerprint differs); choose another --out"
                )
            return cls(out, _read_runs(out / "runs.csv"))
        if out.exists() and any(out.iterdir()):
            raise IsoparamError(
                f"--out {out} exists and is not a study directory (no request.json)"
            )
        out.mkdir(parents=True, exist_ok=True)
        _write_atomically(request_file, json.dumps(header, indent=2) + "\n")
        (out / "runs.csv").write_text(",".join(RUN_FIELDS) + "\n", encoding="utf-8")
        return cls(out)

    def add(self, run: Run) -> None:
        """Record a finished trial, on disk before returning."""
        if run.key in self.runs:
            return
        self.runs[run.key] = run
        if self.out is not None:
            with open(self.out / "runs.csv", "a", encoding="utf-8") as stream:
                stream.write(_run_line(run))
                stream.flush()
                os.fsync(stream.fileno())

    def write(self, name: str, text: str) -> None:
        if self.out is not None:
            _write_atomically(self.out / name, text)


def read_header(out: Path) -> dict[str, Any]:
    """The contents of ``out/request.json``."""
    path = out / "request.json"
    try:
        header: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IsoparamError(f"{out} is not a study directory: it has no request.json") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise IsoparamError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(header, dict) or not {"request", "data"} <= set(header):
        raise IsoparamError(f"{path} does not describe a study")
    return header


def make_header(
    request: Request, description: str, fingerprint: str, members: Sequence[Member]
) -> dict[str, Any]:
    return {
        "request": request.to_dict(),
        "data": {"description": description, "fingerprint": fingerprint},
        "family": [
            {"depth": a.depth, "widths": list(member_widths(a)), "params": a.params}
            for a in members
        ],
        "isoparam": __version__,
    }


def _read_runs(path: Path) -> list[Run]:
    """The finished trials; a last line cut short by an interruption is dropped from the file."""
    if not path.exists():
        path.write_text(",".join(RUN_FIELDS) + "\n", encoding="utf-8")
        return []
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != ",".join(RUN_FIELDS):
        raise IsoparamError(f"{path} does not start with the header of a study's runs.csv")
    runs: list[Run] = []
    for number, line in enumerate(lines[1:], start=2):
        try:
            if not line.endswith("\n"):
                raise ValueError("the line is cut short")
            runs.append(_parse_run(next(csv.reader([line]))))
        except ValueError as error:
            if number < len(lines):
                raise IsoparamError(f"{path} line {number} is malformed: {error}") from None
            # The last line, cut short by a kill mid-write: forget it, and the trial reruns.
            _write_atomically(path, "".join(lines[:-1]))
    return runs


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
