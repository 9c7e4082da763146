"""The depth study: train every member of an iso-parameter family over seeds, fairly.

:func:`run_study` takes a :class:`Request` (the data, the family, the seeds, the grid of
learning rates, the epochs) and trains every (depth, rate, seed), skipping the trials an
output directory already holds; :func:`resume` continues the study recorded in a directory.
The protocol is documented in ``docs/study.md``. Importing this package imports neither
torch nor numpy: they are imported when a study runs (``pip install -e '.[study]'``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from isoparam.errors import IsoparamError
from isoparam.results import Family
from isoparam.solvers.family import family
from isoparam.study._optional import need
from isoparam.study.data import BUILTIN, LABELS, Dataset, load_data
from isoparam.study.engines import ENGINES, Unit, execute
from isoparam.study.report import Summary, plot, summarise, to_csv, to_json, to_table
from isoparam.study.store import Request, Run, Store, make_header, read_header, run_from_outcome
from isoparam.study.trainer import Settings, Trial

__all__ = [
    "BUILTIN",
    "ENGINES",
    "LABELS",
    "Request",
    "Run",
    "StudyResult",
    "Summary",
    "load_data",
    "make_request",
    "plot",
    "read_request",
    "run_study",
    "to_csv",
    "to_json",
    "to_table",
]

Progress = Callable[[int, int], None]
"""Called with (trials done, trials in the study) at the start and after every unit."""


@dataclass(frozen=True)
class StudyResult:
    request: Request
    family: Family
    runs: tuple[Run, ...]
    summary: Summary


def make_request(
    *,
    params: int,
    depths: str | list[int] | tuple[int, ...],
    data: str = "digits",
    labels: str = "true",
    seeds: int = 5,
    lrs: tuple[float, ...] = (3e-4, 1e-3, 3e-3, 1e-2),
    epochs: int = 200,
    patience: int = 30,
    batch_size: int = 128,
    batched: bool = False,
    bias: bool = True,
    norm: str = "none",
    max_spread: int | str = 0,
    profile: str = "rectangle",
    min_width: int = 1,
    max_width: int | None = None,
) -> Request:
    """A checked study request; depths may be written as ``"1-12"``."""
    if labels not in LABELS:
        raise IsoparamError(f"labels must be one of {', '.join(LABELS)}, got {labels!r}")
    for name, value in (("seeds", seeds), ("epochs", epochs), ("patience", patience),
                        ("batch size", batch_size)):  # fmt: skip
        if value < 1:
            raise IsoparamError(f"the {name} must be at least 1, got {value}")
    if not lrs or any(not lr > 0 or lr == float("inf") for lr in lrs):
        raise IsoparamError(f"learning rates must be positive numbers, got {list(lrs)}")
    if len(set(lrs)) != len(lrs):
        raise IsoparamError(f"learning rates repeat: {list(lrs)}")
    if isinstance(depths, str):
        from isoparam.request import parse_depths

        depth_list = tuple(parse_depths(depths))
    else:
        depth_list = tuple(depths)
    if isinstance(data, str) and data not in BUILTIN:
        data = str(Path(data).resolve())
    return Request(
        data=data,
        labels=labels,
        params=params,
        depths=depth_list,
        seeds=seeds,
        lrs=tuple(float(lr) for lr in lrs),
        epochs=epochs,
        patience=patience,
        batch_size=batch_size,
        batched=batched,
        bias=bias,
        norm=norm,
        max_spread=str(max_spread),
        profile=profile,
        min_width=min_width,
        max_width=max_width,
    )


def read_request(out: str | Path) -> Request:
    """The request recorded in a study directory, to continue it."""
    return Request.from_dict(read_header(Path(out))["request"])


def _family(request: Request, data: Dataset) -> Family:
    return family(
        data.inputs,
        data.classes,
        request.params,
        list(request.depths),
        bias=request.bias,
        norm=request.norm,
        max_spread=request.max_spread,
        min_width=request.min_width,
        max_width=request.max_width,
        profile=request.profile,
    )


def run_study(
    request: Request,
    out: str | Path | None = None,
    *,
    engine: str = "local",
    workers: int = 1,
    address: str | None = None,
    progress: Progress | None = None,
) -> StudyResult:
    """Train every trial of ``request`` not yet in ``out``, then summarise all of them.

    With ``out``, each finished trial is appended to ``out/runs.csv`` at once and the summary
    is written to ``summary.csv`` and ``summary.json``. An exception raised by ``progress``
    stops the study, as an interruption would; the finished trials stay recorded.
    """
    torch = need("torch")
    data = load_data(request.data, request.labels)
    fam = _family(request, data)
    store = Store.open(
        None if out is None else Path(out),
        make_header(request, data.describe(), data.fingerprint(), fam),
    )
    settings = Settings(request.epochs, request.patience, request.batch_size, request.monitor)
    units: list[Unit] = []
    for arch in fam.architectures:
        for lr in request.lrs:
            trials = [
                Trial(arch, lr, seed)
                for seed in range(request.seeds)
                if (arch.depth, lr, seed) not in store.runs
            ]
            if request.batched and trials:
                units.append(tuple(trials))
            else:
                units.extend((trial,) for trial in trials)
    total = len(fam.architectures) * len(request.lrs) * request.seeds
    done = len(store.runs)
    if progress is not None:
        progress(done, total)
    outcomes = execute(
        units, data, settings, batched=request.batched, engine=engine, workers=workers,
        address=address,
    )  # fmt: skip
    try:
        for finished in outcomes:
            for outcome in finished:
                store.add(run_from_outcome(outcome, request, torch.__version__))
            done += len(finished)
            if progress is not None:
                progress(done, total)
    finally:
        close = getattr(outcomes, "close", None)
        if close is not None:
            close()
    runs = tuple(sorted(store.runs.values(), key=lambda run: run.key))
    summary = summarise(runs, request, fam, data.describe())
    store.write("summary.csv", to_csv(summary))
    store.write("summary.json", json.dumps(to_json(summary), indent=2) + "\n")
    return StudyResult(request, fam, runs, summary)
