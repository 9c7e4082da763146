"""How each result type looks as JSON, as CSV records and as a table.

The results themselves (in the core) know nothing of formats; this module is the only place
that decides keys, headings and number formatting.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import singledispatch
from typing import Any

from isoparam.errors import IsoparamError, power_text
from isoparam.families.builder import TorchFamily
from isoparam.families.mlp import Breakdown
from isoparam.render.numbers import compact_widths, exact_decimal, fraction_text, signed_decimal
from isoparam.render.table import Column, Table
from isoparam.request import ShapeRules, Spread
from isoparam.results import (
    Architecture,
    Budget,
    Certificate,
    Family,
    FamilyGrid,
    ModelCount,
    ModelFamily,
    ModelRow,
    ShapeCounts,
)

JsonObject = dict[str, Any]


@singledispatch
def to_json(result: object) -> JsonObject:
    """The JSON object for ``result``, tagged with ``kind`` and ``schema_version``.

    Parameters
    ----------
    result : any tabular result (Family, FamilyGrid, Budget, ShapeListing, ShapeCounts, ...)
        What to write; :func:`isoparam.from_json` turns the object back into an equal one.

    Returns
    -------
    dict
        Plain JSON values; sizes and counts stay Python integers of any size.

    Raises
    ------
    IsoparamError
        For an object that is not an isoparam result.

    >>> from isoparam import family
    >>> document = to_json(family(784, 10, 100_000, "5"))
    >>> document["kind"], document["architectures"][0]["params"]
    ('family', 99799)
    """
    raise IsoparamError(f"a {type(result).__name__} has no JSON form")


@singledispatch
def to_records(result: object) -> list[JsonObject]:
    """One flat record per CSV row."""
    raise IsoparamError(f"a {type(result).__name__} has no CSV form")


@singledispatch
def to_table(result: object) -> Table:
    """The table shown on a terminal and in Markdown."""
    raise IsoparamError(f"a {type(result).__name__} has no table form")


SCHEMA_VERSION = 2
"""Bumped when a key changes meaning or goes away (new keys keep it). 2: a profile row's
``spread`` is its offset from the profile (``width_range`` is ``max - min``)."""

READABLE_VERSIONS = (1, 2)
"""The versions :func:`isoparam.from_json` reads: version 1 differs only in the ``spread``
of profile rows, which reading recomputes from the widths."""


def tagged(kind: str, body: JsonObject) -> JsonObject:
    """A JSON document: ``kind`` says which result it is, for :func:`from_json`."""
    return {"kind": kind, "schema_version": SCHEMA_VERSION, **body}


def spread_json(spread: Spread) -> int | str:
    """Units as an integer, a percentage as its text (``"2%"``)."""
    return spread.units if spread.percent is None else str(spread)


def percent_text(value: Fraction) -> str:
    """A fraction as a percentage, exact when it has at most four decimals."""
    percent = value * 100
    return f"{exact_decimal(percent, 4) or signed_decimal(percent, 4).lstrip('+')}%"


# --- one shape -----------------------------------------------------------------------


@to_json.register
def _breakdown_json(result: Breakdown) -> JsonObject:
    return tagged(
        "breakdown",
        {
            "sizes": list(result.sizes),
            **result.counting.arguments(),
            "params": result.total,
            "layers": to_records(result),
        },
    )


@to_records.register
def _breakdown_records(result: Breakdown) -> list[JsonObject]:
    return [
        {
            "layer": layer.index,
            "fan_in": layer.fan_in,
            "fan_out": layer.fan_out,
            "weights": layer.weights,
            "biases": layer.biases,
            "norm": layer.norm,
            "total": layer.total,
        }
        for layer in result.layers
    ]


@to_table.register
def _breakdown_table(result: Breakdown) -> Table:
    with_norm = result.counting.norm != "none"
    rows = []
    for layer in result.layers:
        parts = [layer.weights, layer.biases, *([layer.norm] if with_norm else []), layer.total]
        rows.append((str(layer.index), f"{layer.fan_in} -> {layer.fan_out}", *map(str, parts)))
    sums = [
        sum(layer.weights for layer in result.layers),
        sum(layer.biases for layer in result.layers),
        *([sum(layer.norm for layer in result.layers)] if with_norm else []),
        result.total,
    ]
    rows.append(("total", "", *map(str, sums)))
    shape = "-".join(str(size) for size in result.sizes)
    return Table(
        title=f"isoparam params: shape {shape}, {result.counting.describe()}",
        columns=(
            Column("layer"),
            Column("linear", numeric=False),
            Column("weights"),
            Column("biases"),
            *([Column("norm")] if with_norm else []),
            Column("params"),
        ),
        rows=tuple(rows),
    )


# --- a family ------------------------------------------------------------------------


def _architecture_record(arch: Architecture, family: Family) -> JsonObject:
    return {
        "depth": family.shown_depth(arch),
        "widths": list(arch.widths),
        "params": arch.params,
        "deviation": arch.deviation,
        "relative_deviation": arch.deviation / arch.target,
        "exact": arch.exact,
        "spread": arch.spread,
        "width_range": arch.width_range,
        "constructed_above": arch.constructed_above,
        "searched_up_to": arch.searched_up_to,
        "within_tolerance": arch.within_tolerance,
        "status": arch.status,
        "reason": arch.reason,
        "spread_bound": arch.spread_bound,
        "narrow": family.is_narrow(arch),
    }


def _family_body(result: Family) -> JsonObject:
    return {
        "model": result.model.name,
        **result.model.arguments(),
        "target": result.target,
        "tolerance": None if result.tolerance is None else fraction_text(result.tolerance),
        "max_spread": spread_json(result.max_spread),
        "min_width": result.bounds.low,
        "max_width": result.bounds.high,
        "profile": str(result.profile),
        "under": result.under,
        "narrow_below": result.narrow,
        "depth_convention": result.depth_convention,
        "width_step": result.width_step,
        "architectures": _family_records(result),
    }


@to_json.register
def _family_json(result: Family) -> JsonObject:
    return tagged("family", _family_body(result))


@to_records.register
def _family_records(result: Family) -> list[JsonObject]:
    return [_architecture_record(arch, result) for arch in result.architectures]


@to_table.register
def _family_table(result: Family) -> Table:
    uniform = result.max_spread.uniform
    columns = [
        Column("depth"),
        Column("widths", numeric=False),
        *([] if uniform else [Column("spread")]),
        Column("params"),
        Column("deviation"),
        Column("dev %"),
        Column("dev ‱"),
        Column("status", numeric=False),
    ]
    model, bounds = result.model, result.bounds
    title = (
        f"isoparam family: inputs {model.inputs}, outputs {model.outputs}, "
        f"budget {power_text(result.target)}, {model.counting.describe()}"
    )
    if not result.profile.rectangle:
        title += f", profile {result.profile}"
    if not result.max_spread.uniform:
        title += f", max spread {result.max_spread}"
    if bounds.bounded:
        title += f", widths {bounds.low}..{bounds.high or ''}"
    if result.under:
        title += ", at or under the budget"
    if result.width_step > 1:
        title += f", widths multiples of {result.width_step}"
    if result.depth_convention == "linear":
        title += ", depth = linear layers (hidden + 1)"
    notes = [
        ("uniform widths; " if result.max_spread.uniform and result.profile.rectangle else "")
        + "deviation = params - budget; closest: no network within the constraints "
        + ("at or under the budget " if result.under else "")
        + "comes nearer"
    ]
    built = [a for a in result.architectures if a.constructed_above is not None]
    if built:
        what = "spread" if result.profile.rectangle else "offset from the profile"
        # The search may have proven every smaller spread than the built one: then say so.
        gaps = [a for a in built if (a.constructed_above or 0) < a.spread - 1]
        notes.append(
            "exact*: built beyond the exhaustive search, which found no exact network with "
            + "; ".join(
                f"{what} <= {a.constructed_above} at depth {result.shown_depth(a)}"
                + ("" if a in gaps else f" (so {a.spread} is the smallest)")
                for a in built
            )
            + (
                f"; a smaller {what.split()[0]} than the one built may also hit the budget"
                if gaps
                else f"; among networks of that {what.split()[0]} the tie rules were not applied"
            )
        )
    notes.extend(_bound_notes(result))
    notes.extend(
        f"impossible: {arch.reason}; its row shows that network"
        for arch in result.architectures
        if arch.reason is not None
    )
    untied = [a for a in result.architectures if a.searched_up_to is not None and a.proven_closest]
    if untied:
        notes.append(
            "closest at depth "
            + ", ".join(str(result.shown_depth(a)) for a in untied)
            + ": proven beyond the exhaustive tables, but among equally close networks the "
            "tie rules were not applied"
        )
    searched = [a for a in result.architectures if not a.proven_closest]
    if searched:
        what = "spread" if result.profile.rectangle else "offset from the profile"
        notes.append(
            "best found: not proven closest; no network with "
            + "; ".join(
                f"{what} <= {a.searched_up_to} at depth {result.shown_depth(a)}" for a in searched
            )
            + f" comes closer, a closer one with a larger {what.split()[0]} may exist"
        )
    if result.tolerance is not None:
        band = percent_text(result.tolerance)
        columns.append(Column(f"within ±{band}", numeric=False))
        title += f", tolerance ±{band}"
        outside = [
            result.shown_depth(a) for a in result.architectures if a.within_tolerance is False
        ]
        notes.append(
            f"outside ±{band}: depth {', '.join(map(str, outside))}"
            if outside
            else f"every depth is within ±{band}"
        )
    rows = []
    for arch in result.architectures:
        row = [
            str(result.shown_depth(arch)),
            compact_widths(arch.widths),
            *([] if uniform else [str(arch.spread)]),
            str(arch.params),
            f"{arch.deviation:+d}" if arch.deviation else "0",
            signed_decimal(arch.relative_deviation * 100, 2),
            signed_decimal(arch.relative_deviation * 10_000, 1),
            arch.status,
        ]
        if result.tolerance is not None:
            row.append("yes" if arch.within_tolerance else "no")
        rows.append(tuple(row))
    return Table(title=title, columns=tuple(columns), rows=tuple(rows), notes=tuple(notes))


def _bound_notes(result: Family) -> list[str]:
    """What a percentage rounded to, and which networks have bottlenecks."""
    notes = []
    percent = result.max_spread.percent
    zero = [
        result.shown_depth(a) for a in result.architectures if a.spread_bound == 0 and a.depth > 1
    ]
    if percent is not None and zero:
        notes.append(
            f"{result.max_spread} rounds to spread 0 (equal widths) at depth "
            f"{', '.join(map(str, zero))}: their widths are below {math.ceil(100 / percent)}"
        )
    narrow = [result.shown_depth(a) for a in result.architectures if result.is_narrow(a)]
    if narrow:
        notes.append(
            f"narrow: depth {', '.join(map(str, narrow))} has a hidden width below "
            f"{result.narrow}, a bottleneck; --min-width {result.narrow} excludes such networks"
        )
    return notes


# --- a common budget -----------------------------------------------------------------


@to_json.register
def _budget_json(result: Budget) -> JsonObject:
    return tagged(
        "budget",
        {
            "budget": result.budget,
            **_family_body(result.family),
            "search": {
                "low": result.low,
                "high": result.high,
                "complete": result.complete,
                "explanation": list(result.explanation),
            },
        },
    )


@to_records.register
def _budget_records(result: Budget) -> list[JsonObject]:
    return [{"budget": result.budget, **record} for record in _family_records(result.family)]


@to_table.register
def _budget_table(result: Budget) -> Table:
    table = _family_table(result.family)
    fam = result.family
    title = (
        f"isoparam budget: {result.budget} parameters, hit exactly by every depth; "
        f"{fam.model.describe()}"
    )
    if not fam.profile.rectangle:
        title += f", profile {fam.profile}"
    if not fam.max_spread.uniform:
        title += f", max spread {fam.max_spread}"
    searched = f"searched [{result.low}, {power_text(result.high)}]"
    if result.complete:
        searched += "; the common budgets found are all there are"
    return Table(
        title=title,
        columns=table.columns,
        rows=table.rows,
        notes=(searched, *_bound_notes(fam), *result.explanation),
    )


# --- a grid of budgets x depths ----------------------------------------------------


@to_json.register
def _grid_json(result: FamilyGrid) -> JsonObject:
    return tagged("family_grid", {"families": [_family_body(fam) for fam in result.families]})


@to_records.register
def _grid_records(result: FamilyGrid) -> list[JsonObject]:
    return [
        {"budget": fam.target, **record}
        for fam in result.families
        for record in _family_records(fam)
    ]


@to_table.register
def _grid_table(result: FamilyGrid) -> Table:
    tables = [_family_table(fam) for fam in result.families]
    first, last = result.families[0].target, result.families[-1].target
    title = tables[0].title.replace(
        f"budget {power_text(first)},", f"budgets {power_text(first)} to {power_text(last)},", 1
    )
    # The first note (what deviation and closest mean) is shared; the others are said of
    # one budget, so they name it.
    notes = [tables[0].notes[0]]
    for fam, table in zip(result.families, tables, strict=True):
        notes += [f"budget {fam.target}: {note}" for note in table.notes[1:]]
    return Table(
        title=title,
        columns=(Column("budget"), *tables[0].columns),
        rows=tuple(
            (str(fam.target), *row)
            for fam, table in zip(result.families, tables, strict=True)
            for row in table.rows
        ),
        notes=tuple(notes),
    )


# --- shapes ------------------------------------------------------------------------


def rules_text(rules: ShapeRules) -> str:
    """The rules in words: ``biases on, inputs 784, depths 0-3, widths 1..64, step <= 2``."""
    parts = [rules.counting.describe()]
    if rules.inputs is not None:
        parts.append(f"inputs {rules.inputs}")
    if rules.outputs is not None:
        parts.append(f"outputs {rules.outputs}")
    if rules.depths is not None:
        parts.append(f"depths {','.join(map(str, sorted(rules.depths)))}")
    if rules.min_width != 1 or rules.max_width is not None:
        parts.append(f"hidden widths {rules.min_width}..{rules.max_width or ''}")
    if rules.max_step is not None:
        parts.append(f"hidden steps <= {rules.max_step}")
    return ", ".join(parts)


@to_json.register
def _counts_json(result: ShapeCounts) -> JsonObject:
    return tagged("shape_counts", {**rules_json(result.rules), "counts": to_records(result)})


def rules_json(rules: ShapeRules) -> JsonObject:
    """The rules as JSON values, the depths as a sorted list."""
    return {
        **rules.counting.arguments(),
        "inputs": rules.inputs,
        "outputs": rules.outputs,
        "depths": None if rules.depths is None else sorted(rules.depths),
        "min_width": rules.min_width,
        "max_width": rules.max_width,
        "max_step": rules.max_step,
    }


@to_records.register
def _counts_records(result: ShapeCounts) -> list[JsonObject]:
    return [{"params": budget, "count": count} for budget, count in result.counts]


@to_table.register
def _counts_table(result: ShapeCounts) -> Table:
    return Table(
        title=f"isoparam count: shapes with exactly P parameters; {rules_text(result.rules)}",
        columns=(Column("params"), Column("shapes")),
        rows=tuple((str(budget), str(count)) for budget, count in result.counts),
    )


# --- model families (any PyTorch builder) --------------------------------------------


def _model_body(model: TorchFamily) -> JsonObject:
    return dict(model.arguments())


def _model_title(model: TorchFamily) -> str:
    return model.describe()


@to_json.register
def _model_count_json(result: ModelCount) -> JsonObject:
    audit = result.audit
    return tagged(
        "model_count",
        {
            **_model_body(result.model),
            "depth": result.depth,
            "width": result.width,
            "params": result.params,
            "all_params": audit.total,
            "audit": {
                "tied": [list(names) for names in audit.tied],
                "buffers": [[name, size] for name, size in audit.buffers],
                "lazy": audit.lazy,
                "parametrized": list(audit.parametrized),
                "not_counted": [[name, size] for name, size in audit.left_out],
            },
        },
    )


@to_records.register
def _model_count_records(result: ModelCount) -> list[JsonObject]:
    return [
        {
            "model": result.model.model,
            "depth": result.depth,
            "width": result.width,
            "count": result.model.convention,
            "params": result.params,
            "all_params": result.audit.total,
        }
    ]


@to_table.register
def _model_count_table(result: ModelCount) -> Table:
    return Table(
        title=f"isoparam params: {_model_title(result.model)}",
        columns=(Column("depth"), Column("width"), Column("params"), Column("all params")),
        rows=(
            (str(result.depth), str(result.width), str(result.params), str(result.audit.total)),
        ),
        notes=result.audit.lines(),
    )


def _certificate_json(certificate: Certificate, what: str = "width") -> JsonObject:
    below, above = certificate.below, certificate.above
    return {
        what: None if below is None else below[0],
        "params": None if below is None else below[1],
        f"next_{what}": None if above is None else above[0],
        "next_params": None if above is None else above[1],
    }


def _model_row_record(row: ModelRow) -> JsonObject:
    record: JsonObject = {
        "depth": row.depth,
        "width": row.width,
        "params": row.params,
        "deviation": row.deviation,
        "relative_deviation": row.deviation / row.target,
        "status": row.status,
        "certificate": _certificate_json(row.certificate),
        "builds": row.builds,
    }
    if row.fine_name is not None and row.fine_certificate is not None:
        ratio = row.fine_ratio
        record["fine_name"], record["fine_value"] = row.fine_name, row.fine_value
        record["fine_ratio"] = None if ratio is None else float(ratio)
        record["fine_certificate"] = _certificate_json(row.fine_certificate, "value")
    return record


@to_json.register
def _model_family_json(result: ModelFamily) -> JsonObject:
    return tagged(
        "model_family",
        {
            **_model_body(result.model),
            "target": result.target,
            "width_step": result.width_step,
            "min_width": result.bounds.low,
            "max_width": result.bounds.high,
            "under": result.under,
            "fine": result.fine,
            "fine_step": result.fine_step,
            "fit_builds": result.fit_builds,
            "architectures": [_model_row_record(row) for row in result.rows],
        },
    )


@to_records.register
def _model_family_records(result: ModelFamily) -> list[JsonObject]:
    records = []
    for row in result.rows:
        record = _model_row_record(row)
        record.pop("builds")
        for key in ("certificate", "fine_certificate"):
            if key in record:
                proof = record.pop(key)
                record.update({f"{key}_{name}": value for name, value in proof.items()})
        record["builds"] = row.builds
        records.append(record)
    return records


def _certificate_text(row: ModelRow) -> str:
    """The width's proof, or the knob's when one was solved (``count(ffn=3100) ≤ P``)."""
    certificate, name = row.certificate, ""
    if row.fine_certificate is not None:
        certificate, name = row.fine_certificate, f"{row.fine_name}="
    below, above = certificate.below, certificate.above
    left = "" if below is None else f"count({name}{below[0]}) ≤ P"
    if above is None:
        return f"{left}, max width"
    right = f"P < count({name}{above[0]})" if below is None else f"count({name}{above[0]})"
    return f"{left} < {right}" if left else right


def _fine_cells(row: ModelRow) -> tuple[str, str]:
    ratio = row.fine_ratio
    return (str(row.fine_value), "" if ratio is None else signed_decimal(ratio, 3).lstrip("+"))


@to_table.register
def _model_family_table(result: ModelFamily) -> Table:
    fine = result.fine
    columns = (
        Column("depth"),
        Column("width"),
        *([Column(fine), Column(f"{fine}/width")] if fine else []),
        Column("params"),
        Column("deviation"),
        Column("dev %"),
        Column("dev ‱"),
        Column("status", numeric=False),
        Column("certificate", numeric=False),
        Column("builds"),
    )
    rows = tuple(
        (
            str(row.depth),
            str(row.width),
            *(_fine_cells(row) if fine else ()),
            str(row.params),
            f"{row.deviation:+d}" if row.deviation else "0",
            signed_decimal(row.relative_deviation * 100, 2),
            signed_decimal(row.relative_deviation * 10_000, 1),
            row.status,
            _certificate_text(row),
            str(row.builds),
        )
        for row in result.rows
    )
    bounds = result.bounds
    title = (
        f"isoparam family: {_model_title(result.model)}, budget {power_text(result.target)}, "
        f"widths {bounds.low}..{bounds.high or ''} in steps of {result.width_step}"
    )
    goal = "largest width at or under the budget" if result.under else "closest width"
    knobs, also = "the width", ""
    if fine:
        goal = (
            f"{goal} on the grid with the builder's own {fine}, then at that width the "
            + (f"largest {fine}" if result.under else f"{fine} closest to the budget")
            + (f" (a multiple of {result.fine_step})" if result.fine_step > 1 else "")
        )
        knobs = f"the width or {fine}"
        also = " (JSON and CSV carry the width's certificate too)"
    else:
        goal += " on the grid"
    notes = [
        f"deviation = params - budget; {goal}, proven by building the two members in the "
        f"certificate (P is the budget) and assuming only that the count never decreases as "
        f"{knobs} grows{also}",
        f"builds: members built at that depth; {result.fit_builds} more fitted the "
        "width predictor for the whole family",
    ]
    doubtful = [str(row.depth) for row in result.rows if row.status == "not proven"]
    if doubtful:
        notes.append(
            "not proven: at depth "
            + ", ".join(doubtful)
            + f" a parameter tensor or the count shrank as {knobs} grew, so the "
            "certificate proves nothing there"
        )
    return Table(title=title, columns=columns, rows=rows, notes=tuple(notes))
