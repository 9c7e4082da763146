"""Shapes written one by one as they are found, in every format, without holding them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from html import escape
from typing import TextIO

from isoparam.errors import IsoparamError, LimitReached
from isoparam.render.views import JsonObject, rules_json, rules_text, tagged
from isoparam.request import ShapeRules

STREAM_FORMATS = ("table", "json", "csv", "markdown", "html")
"""The formats ``isoparam shapes`` offers; its JSON reads back as a
:class:`~isoparam.results.ShapeListing`."""


def check_format(fmt: str) -> None:
    """Refuse a format that :func:`write_shapes` cannot write."""
    if fmt not in STREAM_FORMATS:
        raise IsoparamError(f"shapes can be written as {', '.join(STREAM_FORMATS)}, not {fmt!r}")


def write_shapes(
    shapes: Iterable[tuple[int, ...]],
    budget: int,
    rules: ShapeRules,
    fmt: str,
    out: TextIO,
    sample: tuple[int, int] | None = None,
    limit: int | None = None,
) -> str | None:
    """Write ``shapes`` to ``out`` as they come, and close the output in its format.

    ``sample``: ``(seed, population)`` when the shapes were drawn at random from the
    ``population`` shapes with this budget; the title and the JSON (key ``"sample"``,
    ignored when read back) say so. ``limit``: the listing was cut at that many shapes;
    the closing line says so when it was reached.

    Returns None when the listing is complete (or cut by ``limit``), or the reason it
    stopped early at one of isoparam's limits (:class:`LimitReached` while listing): the
    closing line and the JSON key ``"stopped"`` say it, after the shapes already written.
    """
    check_format(fmt)
    title = f"isoparam shapes: exactly {budget} parameters; {rules_text(rules)}"
    header: JsonObject = {"params": budget, **rules_json(rules)}
    if sample is not None:
        seed, population = sample
        title = (
            f"isoparam shapes: drawn uniformly at random (seed {seed}) from the {population} "
            f"shapes with exactly {budget} parameters; {rules_text(rules)}"
        )
        header["sample"] = {"seed": seed, "population": population}
    document = json.dumps(tagged("shapes", header))
    head = {
        "table": f"{title}\n\ndepth  sizes\n-----  -----\n",
        "markdown": f"**{title}**\n\n| depth | sizes |\n|---:|:---|\n",
        "csv": "depth,sizes\n",
        "json": document[:-1] + ', "shapes": [',
        "html": f"<table><caption>{escape(title)}</caption><thead><tr>"
        '<th style="text-align:right">depth</th><th style="text-align:left">sizes</th>'
        "</tr></thead><tbody>",
    }[fmt]
    out.write(head)
    written = 0
    stopped = None
    try:
        for shape in shapes:
            depth, joined = len(shape) - 2, "-".join(map(str, shape))
            if fmt == "table":
                out.write(f"{depth:>5}  {joined}\n")
            elif fmt == "markdown":
                out.write(f"| {depth} | {joined} |\n")
            elif fmt == "csv":
                out.write(f"{depth},{' '.join(map(str, shape))}\n")
            elif fmt == "html":
                out.write(
                    f'<tr><td style="text-align:right">{depth}</td>'
                    f'<td style="text-align:left">{joined}</td></tr>'
                )
            else:
                out.write(("\n  " if not written else ",\n  ") + json.dumps(list(shape)))
            written += 1
    except LimitReached as error:
        stopped = str(error)
    total = f"{written} shape{'' if written == 1 else 's'}"
    if written == limit:
        total += f" (--limit {limit} reached: there may be more)"
    if stopped is not None:
        total += f"; stopped early, there may be more: {stopped}"
    if fmt == "json":
        tail = "" if stopped is None else f", {json.dumps('stopped')}: {json.dumps(stopped)}"
        out.write(f'\n], "count": {written}{tail}}}\n')
    elif fmt == "html":
        out.write(f"</tbody></table><p>{total}</p>\n")
    else:
        out.write("" if fmt == "csv" else f"\n{total}\n")
    return stopped
