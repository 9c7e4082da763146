"""From the runs of a study to its summary: the rate chosen per depth, means and intervals.

Per depth and rate, every metric is summarised over the seeds by its mean, its sample
standard deviation and a 95% Student-t interval for the mean. The rate of each depth is the
one with the best mean accuracy on the monitored split (validation, or training under random
labels); ties go to the lower mean loss there, then to the smaller rate.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from isoparam.errors import IsoparamError
from isoparam.study._optional import need
from isoparam.study.store import Request, Run
from isoparam.study.trainer import METRICS, Member, member_widths


@dataclass(frozen=True)
class Stat:
    """Mean, sample standard deviation and 95% t-interval of one metric over ``n`` seeds."""

    n: int
    mean: float
    std: float
    low: float
    high: float

    def to_dict(self) -> dict[str, Any]:
        def clean(value: float) -> float | None:
            return None if math.isnan(value) else value

        return {
            "n": self.n,
            "mean": self.mean,
            "std": clean(self.std),
            "ci95": [clean(self.low), clean(self.high)],
        }


def describe(values: Sequence[float]) -> Stat:
    """The statistics of ``values``; with one value, the spread and interval are NaN."""
    n = len(values)
    mean = math.fsum(values) / n
    if n < 2:
        return Stat(n, mean, math.nan, math.nan, math.nan)
    std = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    stats = need("scipy.stats")
    half = float(stats.t.ppf(0.975, n - 1)) * std / math.sqrt(n)
    return Stat(n, mean, std, mean - half, mean + half)


@dataclass(frozen=True)
class RateSummary:
    lr: float
    stats: dict[str, Stat]
    epochs: float
    """Mean number of epochs trained (early stopping included)."""


@dataclass(frozen=True)
class DepthSummary:
    depth: int
    widths: tuple[int, ...]
    params: int
    rates: tuple[RateSummary, ...]
    chosen: RateSummary
    at_edge: str | None
    """"smallest" or "largest" when the chosen rate lies at that edge of a grid of several."""


@dataclass(frozen=True)
class Summary:
    request: Request
    data: str
    depths: tuple[DepthSummary, ...]
    missing: int
    """Trials of the request that have no run yet (0 once the study is complete)."""

    @property
    def selection(self) -> str:
        return f"{self.request.monitor}_accuracy"

    @property
    def headline(self) -> str:
        """The metric the table and the plot lead with."""
        return "train_accuracy" if self.request.labels == "random" else "test_accuracy"

    def warnings(self) -> list[str]:
        notes = []
        for depth in self.depths:
            if depth.at_edge:
                notes.append(
                    f"depth {depth.depth}: the chosen rate {depth.chosen.lr:g} is the "
                    f"{depth.at_edge} of the grid; a better rate may lie beyond it"
                )
        if self.missing:
            notes.append(f"{self.missing} trials have not run yet; the summary is partial")
        return notes


def summarise(
    runs: Iterable[Run], request: Request, members: Sequence[Member], data: str
) -> Summary:
    by_key: dict[tuple[int, float], list[Run]] = {}
    count = 0
    for run in runs:
        by_key.setdefault((run.depth, run.lr), []).append(run)
        count += 1
    selection = f"{request.monitor}_accuracy"
    selection_loss = f"{request.monitor}_loss"
    grid = sorted(request.lrs)
    depths = []
    for arch in members:
        rates = []
        for lr in request.lrs:
            group = sorted(by_key.get((arch.depth, lr), []), key=lambda r: r.seed)
            if not group:
                continue
            stats = {name: describe([r.metric(name) for r in group]) for name in METRICS}
            epochs = math.fsum(r.epochs for r in group) / len(group)
            rates.append(RateSummary(lr, stats, epochs))
        if not rates:
            continue
        chosen = max(
            rates, key=lambda r: (r.stats[selection].mean, -r.stats[selection_loss].mean, -r.lr)
        )
        at_edge = None
        if len(grid) > 1 and chosen.lr == grid[0]:
            at_edge = "smallest"
        elif len(grid) > 1 and chosen.lr == grid[-1]:
            at_edge = "largest"
        depths.append(
            DepthSummary(
                arch.depth, member_widths(arch), arch.params, tuple(rates), chosen, at_edge
            )
        )
    total = len(members) * len(request.lrs) * request.seeds
    return Summary(request, data, tuple(depths), total - count)


def _widths(widths: tuple[int, ...]) -> str:
    if len(set(widths)) == 1:
        return f"{widths[0]}×{len(widths)}"
    return "-".join(map(str, widths))


def _percent(value: float) -> str:
    return "-" if math.isnan(value) else f"{100 * value:.1f}"


def summary_records(summary: Summary) -> list[dict[str, Any]]:
    """One flat record per depth at its chosen rate (the rows of ``summary.csv``)."""
    records = []
    for depth in summary.depths:
        record: dict[str, Any] = {
            "depth": depth.depth,
            "widths": " ".join(map(str, depth.widths)),
            "params": depth.params,
            "lr": depth.chosen.lr,
            "lr_at_edge": depth.at_edge or "",
            "seeds": depth.chosen.stats["test_accuracy"].n,
            "epochs": depth.chosen.epochs,
        }
        for name in METRICS:
            stat = depth.chosen.stats[name]
            record |= {
                f"{name}_mean": stat.mean,
                f"{name}_std": stat.std,
                f"{name}_ci95_low": stat.low,
                f"{name}_ci95_high": stat.high,
            }
        records.append(record)
    return records


def to_csv(summary: Summary) -> str:
    records = summary_records(summary)
    buffer = io.StringIO()
    if records:
        writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    return buffer.getvalue()


def to_json(summary: Summary) -> dict[str, Any]:
    def rate(r: RateSummary) -> dict[str, Any]:
        return {
            "lr": r.lr,
            "epochs": r.epochs,
            "metrics": {name: r.stats[name].to_dict() for name in METRICS},
        }

    return {
        "kind": "study",
        "schema_version": 1,
        "request": summary.request.to_dict(),
        "data": summary.data,
        "selection": summary.selection,
        "missing_trials": summary.missing,
        "warnings": summary.warnings(),
        "depths": [
            {
                "depth": d.depth,
                "widths": list(d.widths),
                "params": d.params,
                "lr": d.chosen.lr,
                "lr_at_edge": d.at_edge,
                **rate(d.chosen),
                "rates": [rate(r) for r in d.rates],
            }
            for d in summary.depths
        ],
    }


def to_table(summary: Summary) -> str:
    request = summary.request
    head = "train" if request.labels == "random" else "test"
    header = [
        "depth", "widths", "params", "lr",
        "val acc", f"{head} acc %", "± 95%", "test loss", "train acc", "train loss", "epochs",
    ]  # fmt: skip
    rows = []
    for d in summary.depths:
        s = d.chosen.stats
        headline = s[summary.headline]
        half = (headline.high - headline.low) / 2
        rows.append(
            [
                str(d.depth),
                _widths(d.widths),
                str(d.params),
                f"{d.chosen.lr:g}" + ("*" if d.at_edge else ""),
                _percent(s["val_accuracy"].mean),
                _percent(headline.mean),
                _percent(half),
                f"{s['test_loss'].mean:.3f}",
                _percent(s["train_accuracy"].mean),
                f"{s['train_loss'].mean:.4f}",
                f"{d.chosen.epochs:.0f}",
            ]
        )
    left = {1}
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    seeds = request.seeds
    rates = ", ".join(f"{lr:g}" for lr in request.lrs)
    model = ""
    if request.model != "mlp":
        settings = ", ".join(f"{key} {value}" for key, value in request.model_args)
        model = f", model {request.model}" + (f" ({settings})" if settings else "")
    title = [
        f"isoparam study: {summary.data}{model}",
        f"budget {request.params}, {seeds} seed{'s' if seeds != 1 else ''}, rates {rates}, "
        f"up to {request.epochs} epochs (patience {request.patience})",
    ]
    notes = [
        f"accuracies in %, means over seeds at each depth's rate, chosen on mean "
        f"{request.monitor} accuracy; ± 95% is the half-width of the t-interval of {head} acc",
    ]
    if seeds == 1:
        notes.append("- one seed has no interval: ask for --seeds 2 or more")
    if any(d.at_edge for d in summary.depths):
        notes.append("* the chosen rate lies at the edge of the grid")
    lines = [*title, "", line(header), line(["-" * w for w in widths])]
    lines += [line(row) for row in rows]
    return "\n".join([*lines, "", *notes]) + "\n"


def plot(summary: Summary, path: str | Path) -> Path:
    """Accuracy against depth with 95% intervals: a line per rate and one for the best rate."""
    matplotlib = need("matplotlib")
    matplotlib.use("Agg")
    pyplot = need("matplotlib.pyplot")
    metric = summary.headline
    figure, axes = pyplot.subplots(figsize=(7, 4.2), layout="constrained")
    for index, lr in enumerate(summary.request.lrs):
        points = [(d.depth, r) for d in summary.depths for r in d.rates if r.lr == lr]
        if not points:
            continue
        xs = [x + 0.06 * (index - len(summary.request.lrs) / 2) for x, _ in points]
        means = [100 * r.stats[metric].mean for _, r in points]
        errors = [_half(r.stats[metric]) for _, r in points]
        axes.errorbar(xs, means, yerr=errors, marker="o", markersize=3, linewidth=1,
                      capsize=2, alpha=0.6, label=f"lr {lr:g}")  # fmt: skip
    best = [d.chosen.stats[metric] for d in summary.depths]
    axes.errorbar(
        [d.depth for d in summary.depths],
        [100 * s.mean for s in best],
        yerr=[_half(s) for s in best],
        color="black", marker="s", linewidth=2.2, capsize=3,
        label="best rate per depth (chosen on validation)",
    )  # fmt: skip
    request = summary.request
    axes.set_xlabel("depth (hidden layers)")
    axes.set_ylabel(f"{metric.replace('_', ' ')} (%)")
    axes.set_xticks([d.depth for d in summary.depths])
    axes.set_title(
        f"{request.data}, {request.params} parameters, labels {request.labels}: "
        f"mean and 95% interval over {request.seeds} seeds",
        fontsize=9,
    )
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8)
    target = Path(path)
    try:
        figure.savefig(target, dpi=120)
    except (OSError, ValueError) as error:
        raise IsoparamError(f"cannot write the plot to {target}: {error}") from None
    finally:
        pyplot.close(figure)
    return target


def _half(stat: Stat) -> float:
    return 0.0 if math.isnan(stat.std) else 100 * (stat.high - stat.low) / 2
