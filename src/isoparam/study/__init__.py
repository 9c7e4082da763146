"""The depth study: train every member of an iso-parameter family over seeds, fairly.

:func:`run_study` takes a :class:`Request` (the data, the family, the seeds, the grid of
learning rates, the epochs) and trains every (depth, rate, seed), skipping the trials an
output directory already holds; :func:`resume` continues the study recorded in a directory.
The protocol is documented in ``docs/study.md``. Importing this package imports neither
torch nor numpy: they are imported when a study runs (``pip install -e '.[study]'``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from isoparam.errors import IsoparamError
from isoparam.families.builder import ArgValue
from isoparam.families.models import MODELS, model_family
from isoparam.results import Family, ModelCount, ModelFamily
from isoparam.solvers.family import family
from isoparam.study._optional import need
from isoparam.study.data import BUILTIN, LABELS, Dataset, load_data
from isoparam.study.engines import ENGINES, Unit, execute
from isoparam.study.report import Summary, plot, summarise, to_csv, to_json, to_table
from isoparam.study.store import Request, Run, Store, make_header, read_header, run_from_outcome
from isoparam.study.trainer import Member, Settings, Trial

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
    family: Family | ModelFamily
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
    model: str = "mlp",
    model_args: Mapping[str, ArgValue] | None = None,
) -> Request:
    """A checked study request; depths may be written as ``"1-12"``.

    ``model`` is ``mlp`` (the default), ``resmlp`` or a ``MODULE:FUNCTION`` builder that
    takes ``inputs`` and ``outputs`` keyword arguments (the data's sizes): the study trains
    on examples of ``inputs`` features, mapping ``(batch, inputs)`` to ``(batch, outputs)``
    logits. ``gpt``, ``llama`` and ``resnet`` take tokens or images and are refused, as are
    the MLP options (``bias``, ``norm``, ``max_spread``, ``profile``) with another model.
    """
    check_study_model(model, model_args or {}, bias, norm, max_spread, profile)
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
        model=model,
        model_args=tuple((model_args or {}).items()),
    )


TABULAR_MODELS = ("mlp", "resmlp")
"""The built-in models a study can train: they map ``(batch, inputs)`` to ``(batch, outputs)``."""


def check_study_model(
    model: str,
    model_args: Mapping[str, ArgValue],
    bias: bool,
    norm: str,
    max_spread: int | str,
    profile: str,
) -> None:
    """Refuse a model that does not take tabular examples, arguments the data sets, and MLP
    options given with another model."""
    if model == "mlp":
        if model_args:
            raise IsoparamError("model arguments apply to --model resmlp or MODULE:FUNCTION")
        return
    if model in MODELS and model not in TABULAR_MODELS:
        raise IsoparamError(
            f"a study trains on examples of n features, (batch, inputs) -> (batch, classes); "
            f"{model} takes {'images' if model == 'resnet' else 'token sequences'}: choose "
            f"{', '.join(TABULAR_MODELS)} or a MODULE:FUNCTION builder that takes inputs and "
            "outputs keyword arguments"
        )
    fixed = sorted({"inputs", "outputs"} & set(model_args))
    if fixed:
        raise IsoparamError(
            f"the data sets {' and '.join(fixed)}: drop it from the model arguments"
        )
    mlp_only = [
        name
        for name, given in (
            ("--no-bias", not bias),
            ("--norm", norm != "none"),
            ("--max-spread", str(max_spread) != "0"),
            ("--profile", profile != "rectangle"),
        )
        if given
    ]
    if mlp_only:
        raise IsoparamError(f"{', '.join(mlp_only)} apply to --model mlp, not to {model}")


def read_request(out: str | Path) -> Request:
    """The request recorded in a study directory, to continue it."""
    return Request.from_dict(read_header(Path(out))["request"])


def _family(request: Request, data: Dataset) -> Family | ModelFamily:
    if request.model != "mlp":
        arguments = {**dict(request.model_args), "inputs": data.inputs, "outputs": data.classes}
        return family(
            model=model_family(request.model, arguments),
            params=request.params,
            depths=list(request.depths),
            min_width=request.min_width,
            max_width=request.max_width,
        )
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


def _members(fam: Family | ModelFamily) -> tuple[Member, ...]:
    """What the trials train: each depth's architecture, or each row's model with its
    audit (a model whose modules hold buffers does not train batched)."""
    if isinstance(fam, Family):
        return fam.architectures
    members = []
    for row in fam.rows:
        census = fam.member(row).census(row.depth, row.width)
        members.append(ModelCount(fam.member(row), row.depth, row.width, row.params, census.audit))
    return tuple(members)


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
    members = _members(fam)
    store = Store.open(
        None if out is None else Path(out),
        make_header(request, data.describe(), data.fingerprint(), members),
    )
    settings = Settings(request.epochs, request.patience, request.batch_size, request.monitor)
    units: list[Unit] = []
    for arch in members:
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
    total = len(members) * len(request.lrs) * request.seeds
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
    summary = summarise(runs, request, members, data.describe())
    store.write("summary.csv", to_csv(summary))
    store.write("summary.json", json.dumps(to_json(summary), indent=2) + "\n")
    return StudyResult(request, fam, runs, summary)
