"""Shapes written one by one as they are found, in every format, without holding them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from html import escape
from typing import TextIO

from isoparam.errors import IsoparamError
from isoparam.render.views import rules_json, rules_text, tagged
from isoparam.request import ShapeRules

STREAM_FORMATS = ("table", "json", "csv", "markdown", "html")
"""The formats ``isoparam shapes`` offers; its JSON reads back as a
:class:`~isoparam.results.ShapeListing`."""


def write_shapes(
    shapes: Iterable[tuple[int, ...]], budget: int, rules: ShapeRules, fmt: str, out: TextIO
) -> int:
    """Write ``shapes`` to ``out`` as they come; return how many were written."""
    if fmt not in STREAM_FORMATS:
        raise IsoparamError(f"shapes can be written as {', '.join(STREAM_FORMATS)}, not {fmt!r}")
    title = f"isoparam shapes: exactly {budget} parameters; {rules_text(rules)}"
    document = json.dumps(tagged("shapes", {"params": budget, **rules_json(rules)}))
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
    if fmt == "json":
        out.write(f'\n], "count": {written}}}\n')
    elif fmt == "html":
        out.write(f"</tbody></table><p>{written} shapes</p>\n")
    else:
        out.write("" if fmt == "csv" else f"\n{written} shapes\n")
    return written
