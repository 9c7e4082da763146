"""Rendering of results as terminal tables, JSON, CSV and Markdown, apart from the core."""

from __future__ import annotations

import csv
import io
import json

from isoparam.errors import IsoparamError
from isoparam.render.load import from_json
from isoparam.render.pytorch_module import as_pytorch_module
from isoparam.render.table import as_html, as_markdown, as_text
from isoparam.render.views import JsonObject, to_json, to_records, to_table

FORMATS = ("table", "json", "csv", "markdown", "html", "torch")
"""Output formats; ``torch`` is a standalone Python module that builds the models."""

__all__ = ["FORMATS", "from_json", "render", "to_json", "to_records"]


def render(result: object, fmt: str = "table") -> str:
    """``result`` as text in the format ``fmt``, one of :data:`FORMATS`."""
    if fmt == "json":
        return json.dumps(to_json(result), indent=2) + "\n"
    if fmt == "csv":
        return as_csv(to_records(result))
    if fmt == "table":
        return as_text(to_table(result))
    if fmt == "markdown":
        return as_markdown(to_table(result))
    if fmt == "html":
        return as_html(to_table(result))
    if fmt == "torch":
        return as_pytorch_module(result)
    raise IsoparamError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")


def as_csv(records: list[JsonObject]) -> str:
    """A header row and one row per record; lists become space-separated cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if records:
        writer.writerow(records[0])
    for record in records:
        writer.writerow(_csv_cell(value) for value in record.values())
    return buffer.getvalue()


def _csv_cell(value: object) -> str:
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
