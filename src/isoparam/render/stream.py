"""Shapes written one by one as they are found, in every format, without holding them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from isoparam.errors import IsoparamError
from isoparam.render.views import counting_json, rules_text
from isoparam.request import ShapeRules

STREAM_FORMATS = ("table", "json", "csv", "markdown")


def write_shapes(
    shapes: Iterable[tuple[int, ...]], budget: int, rules: ShapeRules, fmt: str, out: TextIO
) -> int:
    """Write ``shapes`` to ``out`` as they come; return how many were written."""
    if fmt not in STREAM_FORMATS:
        raise IsoparamError(f"shapes can be written as {', '.join(STREAM_FORMATS)}, not {fmt!r}")
    title = f"isoparam shapes: exactly {budget} parameters; {rules_text(rules)}"
    head = {
        "table": f"{title}\n\ndepth  sizes\n-----  -----\n",
        "markdown": f"**{title}**\n\n| depth | sizes |\n|---:|:---|\n",
        "csv": "depth,sizes\n",
        "json": json.dumps({"params": budget, **counting_json(rules.counting)})[:-1]
        + ', "shapes": [',
    }[fmt]
    out.write(head)
    written = 0
    for shape in shapes:
        depth, sizes = len(shape) - 2, " ".join(map(str, shape))
        if fmt == "table":
            out.write(f"{depth:>5}  {'-'.join(map(str, shape))}\n")
        elif fmt == "markdown":
            out.write(f"| {depth} | {'-'.join(map(str, shape))} |\n")
        elif fmt == "csv":
            out.write(f"{depth},{sizes}\n")
        else:
            out.write(("\n  " if not written else ",\n  ") + json.dumps(list(shape)))
        written += 1
    if fmt == "json":
        out.write(f'\n], "count": {written}}}\n')
    elif fmt in ("table", "markdown"):
        out.write(f"\n{written} shapes\n")
    return written
