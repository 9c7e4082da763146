"""A format-neutral table and its renderings for the terminal, Markdown and HTML."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Column:
    """A column heading; numeric columns are right-aligned."""

    heading: str
    numeric: bool = True


@dataclass(frozen=True)
class Table:
    """What every text format shows: a title, columns, rows of cells, and notes below."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()


def as_text(table: Table) -> str:
    """A table for the terminal: title, aligned columns, notes."""
    widths = [
        max([len(column.heading), *(len(row[i]) for row in table.rows)])
        for i, column in enumerate(table.columns)
    ]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            cell.rjust(width) if column.numeric else cell.ljust(width)
            for cell, width, column in zip(cells, widths, table.columns, strict=True)
        ).rstrip()

    lines = [table.title, ""]
    lines.append(line(tuple(column.heading for column in table.columns)))
    lines.append("  ".join("-" * width for width in widths))
    lines.extend(line(row) for row in table.rows)
    if table.notes:
        lines.append("")
        lines.extend(table.notes)
    return "\n".join(lines) + "\n"


def as_markdown(table: Table) -> str:
    """A GitHub-flavoured Markdown table with the title as a bold line above it."""
    lines = [f"**{table.title}**", ""]
    lines.append("| " + " | ".join(column.heading for column in table.columns) + " |")
    lines.append("|" + "|".join("---:" if c.numeric else ":---" for c in table.columns) + "|")
    lines.extend("| " + " | ".join(row) + " |" for row in table.rows)
    if table.notes:
        lines.append("")
        lines.extend(table.notes)
    return "\n".join(lines) + "\n"


def as_html(table: Table) -> str:
    """An HTML table with a caption, for Jupyter's rich display."""
    align = ["right" if column.numeric else "left" for column in table.columns]
    head = "".join(
        f'<th style="text-align:{side}">{escape(column.heading)}</th>'
        for column, side in zip(table.columns, align, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="text-align:{side}">{escape(cell)}</td>'
            for cell, side in zip(row, align, strict=True)
        )
        + "</tr>"
        for row in table.rows
    )
    notes = "".join(f"<p>{escape(note)}</p>" for note in table.notes)
    return (
        f"<table><caption>{escape(table.title)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{notes}\n"
    )
