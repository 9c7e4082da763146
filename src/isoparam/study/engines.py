"""Where trials run: in this process, on a local process pool, or as Ray tasks.

A unit of work is a tuple of trials: one trial, or the seeds of one depth and rate when
they train as one batched model. Every engine trains a unit with the same function and one
torch thread, so the numbers do not depend on the engine or the number of workers.
"""

from __future__ import annotations

import logging
import multiprocessing
import socket
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from isoparam.errors import IsoparamError
from isoparam.study._optional import need
from isoparam.study.data import Dataset
from isoparam.study.trainer import Outcome, Settings, Trial, one_thread, train, train_batched

ENGINES = ("local", "ray")
Unit = tuple[Trial, ...]


def run_unit(unit: Unit, data: Dataset, settings: Settings, batched: bool) -> list[Outcome]:
    """Train the trials of one unit with one torch thread."""
    with one_thread():
        if batched:
            return train_batched(unit, data, settings)
        return [train(trial, data, settings) for trial in unit]


def execute(
    units: Sequence[Unit],
    data: Dataset,
    settings: Settings,
    *,
    batched: bool = False,
    engine: str = "local",
    workers: int = 1,
    address: str | None = None,
) -> Iterator[list[Outcome]]:
    """The outcomes of each unit, in the order they finish."""
    if engine not in ENGINES:
        raise IsoparamError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if workers < 1:
        raise IsoparamError(f"workers must be at least 1, got {workers}")
    if address is not None and engine != "ray":
        raise IsoparamError("--address is for --engine ray")
    if engine == "ray":
        return _ray(units, data, settings, batched, workers, address)
    if workers == 1:
        return (run_unit(unit, data, settings, batched) for unit in units)
    return _pool(units, data, settings, batched, workers)


# The process pool: each worker receives the data once, through its initializer.
_WORKER: dict[str, Any] = {}


def _initialise(data: Dataset, settings: Settings, batched: bool) -> None:
    _WORKER.update(data=data, settings=settings, batched=batched)


def _work(unit: Unit) -> list[Outcome]:
    return run_unit(unit, _WORKER["data"], _WORKER["settings"], _WORKER["batched"])


def _pool(
    units: Sequence[Unit], data: Dataset, settings: Settings, batched: bool, workers: int
) -> Iterator[list[Outcome]]:
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_initialise,
        initargs=(data, settings, batched),
    )
    try:
        pending: set[Future[list[Outcome]]] = {executor.submit(_work, unit) for unit in units}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
    finally:
        # Interrupted or done: drop the trials not started, let the running ones end.
        executor.shutdown(wait=True, cancel_futures=True)


def _ray_unit(data: Dataset, settings: Settings, batched: bool, unit: Unit) -> list[Outcome]:
    return run_unit(unit, data, settings, batched)


def _ray(
    units: Sequence[Unit],
    data: Dataset,
    settings: Settings,
    batched: bool,
    workers: int,
    address: str | None,
) -> Iterator[list[Outcome]]:
    ray = need("ray")
    started = False
    if not ray.is_initialized():
        options: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": False}
        if address is None:
            options |= {"num_cpus": workers, "include_dashboard": False}
        else:
            check_reachable(address)
            options["address"] = address
        try:
            ray.init(**options)
        except ConnectionError as error:
            raise IsoparamError(f"cannot reach the Ray cluster at {address}: {error}") from None
        started = True
    pending: dict[Any, Unit] = {}
    try:
        remote = ray.remote(num_cpus=1)(_ray_unit)
        shared = ray.put(data)
        pending = {remote.remote(shared, settings, batched, unit): unit for unit in units}
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                del pending[ref]
                outcomes: list[Outcome] = ray.get(ref)
                yield outcomes
    finally:
        for ref in pending:
            ray.cancel(ref)
        if started:
            ray.shutdown()


def check_reachable(address: str) -> None:
    """Refuse at once a cluster address where nothing listens: Ray itself retries for a
    minute or more before it gives up."""
    if address == "auto":
        return
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        raise IsoparamError(
            f"a Ray address is host:port, ray://host:port or auto, got {address!r}"
        )
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as error:
        raise IsoparamError(f"cannot reach the Ray cluster at {address}: {error}") from None
