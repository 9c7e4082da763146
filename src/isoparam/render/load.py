"""Results back from their JSON documents: ``kind`` says which, and every count is recounted,
so an edited or corrupted document is refused rather than trusted."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from isoparam.errors import IsoparamError, shown
from isoparam.families.builder import Audit, TorchFamily
from isoparam.families.mlp import MLP, Breakdown, CountingModel
from isoparam.families.models import model_family
from isoparam.render.views import READABLE_VERSIONS, JsonObject
from isoparam.request import Profile, ShapeRules, Spread, WidthBounds
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
    ShapeListing,
)

Result = (
    Breakdown
    | Family
    | FamilyGrid
    | Budget
    | ShapeCounts
    | ShapeListing
    | ModelFamily
    | ModelCount
)


def from_json(document: JsonObject, *, recount_models: bool = False) -> Result:
    """The result whose :func:`isoparam.to_json` document is ``document``.

    Parameters
    ----------
    document : dict
        A parsed JSON document written by isoparam (``json.loads`` of ``--format json``).
    recount_models : bool
        For a model family (any PyTorch builder, rebuilt from its model's name and
        arguments): check every count by building the models (imports torch and the
        builder). MLP counts are always checked, by arithmetic.

    Returns
    -------
    Family, FamilyGrid, Budget, ShapeListing, ShapeCounts, Breakdown, ModelFamily or ModelCount
        Equal to the result that was written.

    Raises
    ------
    IsoparamError
        For a document of another kind or schema version, a missing or mistyped key, or a
        count that does not match its shape.

    Complexity: linear in the document's size (plus the builds with ``recount_models``).

    >>> from isoparam import family, to_json
    >>> fam = family(784, 10, 100_000, "5-6", max_spread=2)
    >>> from_json(to_json(fam)) == fam
    True
    """
    if not isinstance(document, dict):
        raise IsoparamError(f"an isoparam JSON document is an object, not {document!r:.60}")
    kind, version = document.get("kind"), document.get("schema_version")
    if kind not in _READERS and kind not in _MODEL_READERS:
        kinds = ", ".join([*_READERS, *_MODEL_READERS])
        raise IsoparamError(
            f"not an isoparam JSON document: kind {kind!r}, expected one of {kinds}"
        )
    if version not in READABLE_VERSIONS:
        readable = " and ".join(map(str, READABLE_VERSIONS))
        raise IsoparamError(
            f"this isoparam reads schema versions {readable}, the document has {version!r}"
        )
    try:
        if kind in _MODEL_READERS:
            return _MODEL_READERS[kind](document, recount_models)
        return _READERS[kind](document)
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as error:
        if isinstance(error, IsoparamError):
            raise
        raise IsoparamError(f"a malformed {kind} document: {error!r}") from None


def _counting(document: JsonObject) -> CountingModel:
    return CountingModel(
        bias=_boolean(document["bias"]),
        norm=document["norm"],
        norm_bias=_boolean(document.get("norm_bias", True)),
        norm_affine=_boolean(document.get("norm_affine", True)),
    )


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise IsoparamError(f"expected true or false, got {value!r}")
    return value


def _breakdown(document: JsonObject) -> Breakdown:
    result = _counting(document).breakdown(document["sizes"])
    _check_count(document["params"], result.total, result.sizes)
    return result


def _family(document: JsonObject) -> Family:
    if document["model"] != MLP.name:
        raise IsoparamError(f"families of model {document['model']!r} are not read back yet")
    model = MLP(document["inputs"], document["outputs"], _counting(document))
    target = document["target"]
    band = None if document["tolerance"] is None else Fraction(document["tolerance"])
    profile = Profile.parse(document["profile"])
    architectures = []
    for entry in document["architectures"]:
        arch = Architecture.measure(
            model,
            tuple(entry["widths"]),
            target,
            band,
            constructed_above=entry["constructed_above"],
            searched_up_to=entry.get("searched_up_to"),
            spread_bound=entry.get("spread_bound", 0),
            reason=entry.get("reason"),
            profile=profile,
        )
        _check_count(entry["params"], arch.params, arch.sizes)
        architectures.append(arch)
    return Family(
        model=model,
        target=target,
        architectures=tuple(architectures),
        tolerance=band,
        max_spread=Spread.parse(document["max_spread"]),
        bounds=WidthBounds(document["min_width"], document["max_width"]),
        profile=profile,
        under=_boolean(document.get("under", False)),
        narrow=document.get("narrow_below", 4),
        depth_convention=document.get("depth_convention", "hidden"),
        width_step=document.get("width_step", 1),
    )


def _grid(document: JsonObject) -> FamilyGrid:
    return FamilyGrid(tuple(_family(body) for body in document["families"]))


def _budget(document: JsonObject) -> Budget:
    search = document["search"]
    budget, fam = document["budget"], _family(document)
    low, high = search["low"], search["high"]
    # What can be checked without searching again: the budget is the family's target, in
    # the range searched, and hit exactly by every depth.
    missed = [a.depth for a in fam.architectures if a.params != budget]
    if fam.target != budget or not low <= budget <= high or missed:
        raise IsoparamError(
            f"the budget document does not hold together: budget {shown(budget)}, target "
            f"{shown(fam.target)}, range [{shown(low)}, {shown(high)}], depths missing it "
            f"{missed}"
        )
    return Budget(
        budget=budget,
        family=fam,
        low=low,
        high=high,
        complete=_boolean(search["complete"]),
        explanation=tuple(str(line) for line in search["explanation"]),
    )


def _rules(document: JsonObject) -> ShapeRules:
    depths = document["depths"]
    return ShapeRules(
        _counting(document),
        document["inputs"],
        document["outputs"],
        None if depths is None else frozenset(depths),
        document["min_width"],
        document["max_width"],
        document["max_step"],
    )


def _shape_counts(document: JsonObject) -> ShapeCounts:
    counts = tuple((entry["params"], entry["count"]) for entry in document["counts"])
    return ShapeCounts(_rules(document), counts)


def _shapes(document: JsonObject) -> ShapeListing:
    rules, budget = _rules(document), document["params"]
    shapes = tuple(tuple(shape) for shape in document["shapes"])
    for shape in shapes:
        _check_count(budget, rules.counting.count(shape), shape)
    return ShapeListing(budget, rules, shapes)


_READERS: dict[str, Callable[[JsonObject], Result]] = {
    "breakdown": _breakdown,
    "family": _family,
    "family_grid": _grid,
    "budget": _budget,
    "shape_counts": _shape_counts,
    "shapes": _shapes,
}


def _check_count(claimed: object, actual: int, sizes: tuple[int, ...]) -> None:
    if claimed != actual:
        raise IsoparamError(
            f"the document says {claimed!r} parameters for shape {list(sizes)}, "
            f"but it has {actual}"
        )


def _torch_family(document: JsonObject) -> TorchFamily:
    shape = document["input_shape"]
    family = model_family(
        document["model"],
        dict(document["model_args"]),
        count=document["count"],
        exclude=[str(glob) for glob in document["exclude"]],
        input_shape=None if shape is None else [int(size) for size in shape],
    )
    if family.options != tuple(document["model_args"].items()):
        raise IsoparamError(f"the model arguments {document['model_args']!r} are incomplete")
    if family.width_multiple != document["width_multiple"]:
        raise IsoparamError(
            f"the document says width multiple {document['width_multiple']!r}, "
            f"the model has {family.width_multiple}"
        )
    return family


def _pair(width: object, params: object) -> tuple[int, int] | None:
    if width is None and params is None:
        return None
    if not isinstance(width, int) or not isinstance(params, int):
        raise IsoparamError(f"a certificate needs integer widths and counts, got {width!r}")
    return (width, params)


def _recount(family: TorchFamily, depth: int, width: int, claimed: object) -> None:
    actual = family.count(depth, width)
    if claimed != actual:
        raise IsoparamError(
            f"the document says {claimed!r} parameters for {family.model} at depth {depth}, "
            f"width {width}, but it has {actual}"
        )


def _proof(entry: JsonObject, what: str) -> Certificate:
    return Certificate(
        _pair(entry[what], entry["params"]), _pair(entry[f"next_{what}"], entry["next_params"])
    )


def _recount_row(family: TorchFamily, row: ModelRow) -> None:
    """Rebuild the row's member and the members its certificates name."""
    members = [(family, pair) for pair in (row.certificate.below, row.certificate.above)]
    chosen = family
    if row.fine_name is not None and row.fine_certificate is not None:
        proof, name = row.fine_certificate, row.fine_name
        members += [
            (family.with_option(name, pair[0]), (row.width, pair[1]))
            for pair in (proof.below, proof.above)
            if pair is not None
        ]
        chosen = family.with_option(name, row.fine_value)
    members.append((chosen, (row.width, row.params)))
    for member, pair in members:
        if pair is not None:
            _recount(member, row.depth, pair[0], pair[1])


def _model_family(document: JsonObject, recount: bool) -> ModelFamily:
    family = _torch_family(document)
    target = document["target"]
    fine = document.get("fine")
    rows = []
    for entry in document["architectures"]:
        certificate = _proof(entry["certificate"], "width")
        knob = entry.get("fine_certificate")
        row = ModelRow(
            depth=entry["depth"],
            width=entry["width"],
            params=entry["params"],
            deviation=entry["deviation"],
            status=entry["status"],
            certificate=certificate,
            builds=entry["builds"],
            fine_name=entry.get("fine_name"),
            fine_value=entry.get("fine_value"),
            fine_certificate=None if knob is None else _proof(knob, "value"),
        )
        if row.deviation != row.params - target:
            raise IsoparamError(f"the deviation at depth {row.depth} is not params - target")
        if row.fine_name != fine or (fine is None) != (row.fine_certificate is None):
            raise IsoparamError(f"the knob at depth {row.depth} is not the family's {fine!r}")
        if recount:
            _recount_row(family, row)
        rows.append(row)
    return ModelFamily(
        model=family,
        target=target,
        rows=tuple(rows),
        width_step=document["width_step"],
        bounds=WidthBounds(document["min_width"], document["max_width"]),
        under=_boolean(document["under"]),
        fit_builds=document["fit_builds"],
        fine=fine,
        fine_step=document.get("fine_step", 1),
    )


def _model_count(document: JsonObject, recount: bool) -> ModelCount:
    family = _torch_family(document)
    depth, width = document["depth"], document["width"]
    if recount:
        _recount(family, depth, width, document["params"])
    audit = document["audit"]
    return ModelCount(
        model=family,
        depth=depth,
        width=width,
        params=document["params"],
        audit=Audit(
            total=document["all_params"],
            tied=tuple(tuple(names) for names in audit["tied"]),
            buffers=tuple((str(name), int(size)) for name, size in audit["buffers"]),
            lazy=_boolean(audit["lazy"]),
            parametrized=tuple(audit["parametrized"]),
            left_out=tuple((str(name), int(size)) for name, size in audit["not_counted"]),
        ),
    )


_MODEL_READERS: dict[str, Callable[[JsonObject, bool], Result]] = {
    "model_family": _model_family,
    "model_count": _model_count,
}
