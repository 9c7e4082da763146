"""A picture of a family (needs the ``plot`` extra): network silhouettes beside deviations."""

from __future__ import annotations

from pathlib import Path

from matplotlib import rc_context
from matplotlib.figure import Figure

from isoparam.errors import IsoparamError
from isoparam.render.numbers import compact_widths
from isoparam.render.views import percent_text
from isoparam.results import Family

LABEL_LIMIT = 16
"""Label every hidden layer's width when no depth exceeds this; else one label per row."""


def save_family_figure(result: object, path: Path) -> Path:
    """Draw ``result`` to ``path`` (PNG or SVG, by its suffix) and return the path."""
    if not isinstance(result, Family):
        raise IsoparamError(f"only a family can be plotted, got {type(result).__name__}")
    figure = draw_family(result)
    # SVG text stays text, so that labels can be edited and searched in a paper's figure.
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "isoparam"}):
        try:
            figure.savefig(path, format=path.suffix[1:].lower(), metadata={"Date": None})
        except OSError as error:
            raise IsoparamError(f"cannot write the plot to {str(path)!r}: {error}") from None
    return path


def draw_family(family: Family) -> Figure:
    """Left: each depth's hidden widths as bars, sizes labelled; right: deviation in %."""
    rows = len(family.architectures)
    figure = Figure(figsize=(12, 1.0 + 0.7 * rows), layout="constrained")
    shapes, deviations = figure.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [3, 1.3]})
    widest = max(max(arch.widths) for arch in family.architectures)
    deepest = max(arch.depth for arch in family.architectures)
    for row, arch in enumerate(family.architectures):
        y = -row
        heights = [0.8 * width / widest for width in arch.widths]
        layers = range(1, arch.depth + 1)
        bottoms = [y - height / 2 for height in heights]
        shapes.bar(layers, heights, bottom=bottoms, width=0.85, color="#4c72b0")
        shapes.text(0.4, y, f"in {family.model.inputs}", ha="right", va="center", fontsize=8)
        shapes.text(arch.depth + 0.7, y, f"out {family.model.outputs}", va="center", fontsize=8)
        if deepest <= LABEL_LIMIT:
            for layer, width in zip(layers, arch.widths, strict=True):
                shapes.text(
                    layer, y, str(width), ha="center", va="center", fontsize=7, color="white"
                )
        else:
            shapes.text(
                (arch.depth + 1) / 2,
                y + 0.42,
                compact_widths(arch.widths),
                ha="center",
                fontsize=7,
            )
    margin = max(1.5, deepest / 10)
    shapes.set_xlim(-margin, deepest + margin + 0.8)
    shapes.set_xticks([])
    shapes.set_yticks(
        [-row for row in range(rows)], [f"depth {arch.depth}" for arch in family.architectures]
    )
    shapes.set_title("hidden widths (bar height to scale)", fontsize=10)
    for side in ("top", "right", "bottom"):
        shapes.spines[side].set_visible(False)

    percents = [float(arch.relative_deviation * 100) for arch in family.architectures]
    colours = ["#55a868" if p == 0 else "#c44e52" if p > 0 else "#8172b2" for p in percents]
    deviations.barh([-row for row in range(rows)], percents, color=colours, height=0.6)
    deviations.axvline(0, color="black", linewidth=0.8)
    title = "params - budget"
    if family.tolerance is not None:
        band = float(family.tolerance * 100)
        deviations.axvspan(-band, band, color="#e4e4e4", zorder=0)
        title += f" (grey: within ±{percent_text(family.tolerance)})"
    for row, arch in enumerate(family.architectures):
        deviations.text(
            percents[row],
            -row,
            f" {arch.deviation:+d} " if arch.deviation else " exact ",
            ha="left" if arch.deviation >= 0 else "right",
            va="center",
            fontsize=7,
        )
    deviations.margins(x=0.35)
    deviations.set_xlabel("deviation from budget (%)")
    deviations.set_title(title, fontsize=10)
    figure.suptitle(
        f"isoparam family: budget {family.target}, {family.model.describe()}",
        fontsize=11,
    )
    return figure
