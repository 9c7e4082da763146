"""Training one member of a family: Adam, mini-batches, early stopping on a monitored split.

A trial's seed sets the initialisation (``torch.manual_seed`` before the model is built) and
the order of the mini-batches (a generator of its own); nothing else. The data split is
fixed for the whole study (see :mod:`isoparam.study.data`).

Two paths train the same trials: :func:`train` one model at a time, and
:func:`train_batched` all the seeds of one (depth, learning rate) as a single model with
stacked weights (``torch.func.stack_module_state`` and ``vmap``).
"""

from __future__ import annotations

import contextlib
import copy
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from isoparam.errors import IsoparamError
from isoparam.integrations import to_torch
from isoparam.results import Architecture, ModelCount
from isoparam.study._optional import need

if TYPE_CHECKING:
    from isoparam.study.data import Dataset

METRICS = (
    "train_loss",
    "train_accuracy",
    "val_loss",
    "val_accuracy",
    "test_loss",
    "test_accuracy",
)


Member = Architecture | ModelCount
"""What a trial trains: an MLP's architecture, or one member of a model family (``--model``)."""


def member_widths(member: Member) -> tuple[int, ...]:
    """An MLP's hidden widths; a model's width once per block (``depth`` times)."""
    if isinstance(member, Architecture):
        return member.widths
    return (member.width,) * member.depth


@dataclass(frozen=True)
class Settings:
    """What every trial of a study shares besides its architecture, rate and seed."""

    epochs: int
    patience: int
    batch_size: int
    monitor: str = "val"
    """The split whose accuracy early stopping (and the choice of rate) watches: ``val``,
    or ``train`` when the labels are random and only the fit of the training set counts."""


@dataclass(frozen=True)
class Trial:
    architecture: Member
    lr: float
    seed: int

    @property
    def key(self) -> tuple[int, float, int]:
        return (self.architecture.depth, self.lr, self.seed)


@dataclass(frozen=True)
class Outcome:
    """The metrics of one trial, taken at its best epoch on the monitored split."""

    trial: Trial
    metrics: dict[str, float]
    epochs: int
    """Epochs trained before early stopping (or the limit)."""
    best_epoch: int
    seconds: float
    cpu_seconds: float


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """Train with one torch thread (faster for small models, and the same numbers everywhere)."""
    torch = need("torch")
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _tensors(data: Dataset) -> dict[str, tuple[Any, Any]]:
    torch = need("torch")
    return {
        "train": (torch.from_numpy(data.x_train), torch.from_numpy(data.y_train)),
        "val": (torch.from_numpy(data.x_val), torch.from_numpy(data.y_val)),
        "test": (torch.from_numpy(data.x_test), torch.from_numpy(data.y_test)),
    }


def _build(architecture: Member, seed: int) -> Any:
    torch = need("torch")
    torch.manual_seed(seed)
    model = to_torch(architecture)
    count = sum(p.numel() for p in model.parameters())
    if count != architecture.params:
        raise IsoparamError(
            f"the model of depth {architecture.depth} has {count} parameters, "
            f"but its architecture counts {architecture.params}"
        )
    return model


def _batches(count: int, size: int) -> list[tuple[int, int]]:
    """Start and stop of each mini-batch; a last batch of one example is dropped (BatchNorm)."""
    return [
        (start, min(start + size, count))
        for start in range(0, count, size)
        if min(start + size, count) - start >= 2 or count < 2
    ]


def _better(accuracy: float, loss: float, best: tuple[float, float] | None) -> bool:
    """Higher accuracy wins; at equal accuracy, lower loss."""
    return best is None or accuracy > best[0] or (accuracy == best[0] and loss < best[1])


def _score(logits: Any, labels: Any) -> tuple[float, float]:
    torch = need("torch")
    loss = torch.nn.functional.cross_entropy(logits, labels)
    accuracy = (logits.argmax(dim=-1) == labels).double().mean()
    return float(loss), float(accuracy)


def train(trial: Trial, data: Dataset, settings: Settings) -> Outcome:
    """Train one model and return its metrics at the best epoch of the monitored split."""
    torch = need("torch")
    functional = torch.nn.functional
    wall, cpu = time.perf_counter(), time.process_time()
    splits = _tensors(data)
    x_train, y_train = splits["train"]
    with torch.random.fork_rng(devices=[]):
        model = _build(trial.architecture, trial.seed)
        order = torch.Generator().manual_seed(trial.seed)
        optimiser = torch.optim.Adam(model.parameters(), lr=trial.lr)
        batches = _batches(len(y_train), settings.batch_size)
        best: tuple[float, float] | None = None
        best_state: dict[str, Any] = {}
        best_epoch = epoch = 0
        for epoch in range(1, settings.epochs + 1):
            model.train()
            permutation = torch.randperm(len(y_train), generator=order)
            for start, stop in batches:
                index = permutation[start:stop]
                optimiser.zero_grad(set_to_none=True)
                functional.cross_entropy(model(x_train[index]), y_train[index]).backward()
                optimiser.step()
            model.eval()
            with torch.no_grad():
                x, y = splits[settings.monitor]
                loss, accuracy = _score(model(x), y)
            if _better(accuracy, loss, best):
                best, best_epoch = (accuracy, loss), epoch
                best_state = copy.deepcopy(model.state_dict())
            elif epoch - best_epoch >= settings.patience:
                break
        model.load_state_dict(best_state)
        metrics: dict[str, float] = {}
        with torch.no_grad():
            for name, (x, y) in splits.items():
                metrics[f"{name}_loss"], metrics[f"{name}_accuracy"] = _score(model(x), y)
    return Outcome(
        trial,
        metrics,
        epoch,
        best_epoch,
        time.perf_counter() - wall,
        time.process_time() - cpu,
    )


def can_batch(architecture: Member) -> bool:
    """Stacked weights need modules without running statistics (no BatchNorm, no buffers)."""
    if isinstance(architecture, ModelCount):
        return not architecture.audit.buffers
    return architecture.model.counting.norm != "batch"


def train_batched(trials: Sequence[Trial], data: Dataset, settings: Settings) -> list[Outcome]:
    """Train the seeds of one architecture and rate as one model with stacked weights."""
    torch = need("torch")
    func = need("torch.func")
    functional = torch.nn.functional
    if not trials:
        return []
    architecture, lr = trials[0].architecture, trials[0].lr
    if any(t.architecture != architecture or t.lr != lr for t in trials):
        raise IsoparamError("a batch of trials must share its architecture and rate")
    if not can_batch(architecture):
        return [train(trial, data, settings) for trial in trials]
    wall, cpu = time.perf_counter(), time.process_time()
    splits = _tensors(data)
    x_train, y_train = splits["train"]
    count = len(trials)
    with torch.random.fork_rng(devices=[]):
        models = [_build(architecture, trial.seed) for trial in trials]
    params, buffers = func.stack_module_state(models)
    skeleton = copy.deepcopy(models[0]).to("meta")

    def forward(p: dict[str, Any], b: dict[str, Any], x: Any) -> Any:
        return func.functional_call(skeleton, (p, b), (x,))

    per_batch = func.vmap(forward)
    shared_input = func.vmap(forward, in_dims=(0, 0, None))
    orders = [torch.Generator().manual_seed(trial.seed) for trial in trials]
    optimiser = torch.optim.Adam(list(params.values()), lr=lr)
    batches = _batches(len(y_train), settings.batch_size)
    best: list[tuple[float, float] | None] = [None] * count
    best_state: list[dict[str, Any]] = [{} for _ in trials]
    best_epoch = [0] * count
    stopped = [0] * count
    for epoch in range(1, settings.epochs + 1):
        permutations = torch.stack(
            [torch.randperm(len(y_train), generator=order) for order in orders]
        )
        for start, stop in batches:
            index = permutations[:, start:stop]
            optimiser.zero_grad(set_to_none=True)
            logits = per_batch(params, buffers, x_train[index])
            losses = functional.cross_entropy(
                logits.flatten(0, 1), y_train[index].flatten(), reduction="none"
            )
            losses.view(count, -1).mean(dim=1).sum().backward()
            optimiser.step()
        with torch.no_grad():
            x, y = splits[settings.monitor]
            logits = shared_input(params, buffers, x)
            for i in range(count):
                if stopped[i]:
                    continue
                loss, accuracy = _score(logits[i], y)
                if _better(accuracy, loss, best[i]):
                    best[i], best_epoch[i] = (accuracy, loss), epoch
                    best_state[i] = {k: v[i].detach().clone() for k, v in params.items()}
                elif epoch - best_epoch[i] >= settings.patience:
                    stopped[i] = epoch
        if all(stopped):
            break
    outcomes = []
    seconds = (time.perf_counter() - wall) / count
    cpu_seconds = (time.process_time() - cpu) / count
    with torch.no_grad():
        for i, trial in enumerate(trials):
            state = {k: v[i] for k, v in buffers.items()} | best_state[i]
            metrics: dict[str, float] = {}
            for name, (x, y) in splits.items():
                logits = func.functional_call(skeleton, state, (x,))
                metrics[f"{name}_loss"], metrics[f"{name}_accuracy"] = _score(logits, y)
            outcomes.append(
                Outcome(trial, metrics, stopped[i] or epoch, best_epoch[i], seconds, cpu_seconds)
            )
    return outcomes
