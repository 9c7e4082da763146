"""Rendering: each format declares the result types it writes; commands offer exactly those.

The results know nothing of formats. Importing this package also gives them Jupyter's
``_repr_html_``, so that notebooks show tables without the core depending on rendering.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from isoparam.errors import IsoparamError
from isoparam.families.mlp import Breakdown
from isoparam.render.load import from_json
from isoparam.render.pytorch_module import as_pytorch_module
from isoparam.render.table import as_html, as_markdown, as_text
from isoparam.render.views import to_json, to_records, to_table
from isoparam.results import Budget, Family, FamilyGrid, ModelCount, ModelFamily, ShapeCounts

TABULAR = (Breakdown, Family, FamilyGrid, Budget, ShapeCounts, ModelFamily, ModelCount)


@dataclass(frozen=True)
class Format:
    """An output format: its name, what it is, which result types it can write, and how."""

    name: str
    help: str
    renders: tuple[type, ...]
    write: Callable[[object], str]


def _csv(result: object) -> str:
    """A header row and one row per record; lists become space-separated cells."""
    records = to_records(result)
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


FORMATS: dict[str, Format] = {
    entry.name: entry
    for entry in (
        Format("table", "a readable terminal table", TABULAR, lambda r: as_text(to_table(r))),
        Format(
            "json",
            "one JSON object, tagged with kind and schema_version",
            TABULAR,
            lambda r: json.dumps(to_json(r), indent=2) + "\n",
        ),
        Format("csv", "one row per architecture (or layer, or budget)", TABULAR, _csv),
        Format("markdown", "a Markdown table", TABULAR, lambda r: as_markdown(to_table(r))),
        Format("html", "an HTML table", TABULAR, lambda r: as_html(to_table(r))),
        Format(
            "torch",
            "a standalone Python module that builds the models",
            (Breakdown, Family, Budget, ModelFamily),
            as_pytorch_module,
        ),
    )
}
"""The output formats by name."""


def formats_for(kind: type) -> tuple[str, ...]:
    """The names of the formats that can write results of type ``kind``.

    Parameters
    ----------
    kind : type
        A result type such as :class:`Family` or :class:`ShapeCounts`.

    Returns
    -------
    tuple of str
        Keys of :data:`FORMATS`, in their order; empty for a type no format writes.

    Raises
    ------
    TypeError
        When ``kind`` is not a class.

    >>> formats_for(ShapeCounts)
    ('table', 'json', 'csv', 'markdown', 'html')
    """
    return tuple(name for name, entry in FORMATS.items() if issubclass(kind, entry.renders))


def render(result: object, fmt: str = "table") -> str:
    """``result`` as text in the format ``fmt``.

    Parameters
    ----------
    result : any result
        What to write.
    fmt : str
        A key of :data:`FORMATS`: table, json, csv, markdown, html or torch.

    Returns
    -------
    str
        The text, ending in a newline; deterministic byte for byte.

    Raises
    ------
    IsoparamError
        For an unknown format or one that cannot write ``result``, naming those that can.

    >>> from isoparam import family
    >>> render(family(784, 10, 100_000, "5"), "csv").splitlines()[1].split(",")[:4]
    ['5', '87 87 87 87 87', '99799', '-201']
    """
    entry = FORMATS.get(fmt) if isinstance(fmt, str) else None
    if entry is None or not isinstance(result, entry.renders):
        choices = ", ".join(formats_for(type(result))) or "none"
        raise IsoparamError(
            f"a {type(result).__name__} cannot be written as {fmt!r}: choose {choices}"
        )
    return entry.write(result)


def _install_notebook_display() -> None:
    """Give every tabular result Jupyter's ``_repr_html_``."""

    def html(result: object) -> str:
        return render(result, "html")

    for kind in TABULAR:
        kind._repr_html_ = html  # type: ignore[union-attr]


_install_notebook_display()

__all__ = ["FORMATS", "Format", "formats_for", "from_json", "render", "to_json", "to_records"]
