"""Results back from their JSON documents: ``kind`` says which, and every count is recounted,
so an edited or corrupted document is refused rather than trusted."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from isoparam.errors import IsoparamError
from isoparam.families.mlp import MLP, Breakdown, CountingModel
from isoparam.render.views import SCHEMA_VERSION, JsonObject
from isoparam.request import Profile, ShapeRules, Spread, WidthBounds
from isoparam.results import Architecture, Budget, Family, ShapeCounts, ShapeListing

Result = Breakdown | Family | Budget | ShapeCounts | ShapeListing


def from_json(document: JsonObject) -> Result:
    """The result whose :func:`isoparam.to_json` document is ``document``.

    Raises :class:`IsoparamError` for a document of another kind or version, a missing
    key, or a count that does not match its shape.

    >>> from isoparam import family, to_json
    >>> fam = family(784, 10, 100_000, "5-6", max_spread=2)
    >>> from_json(to_json(fam)) == fam
    True
    """
    if not isinstance(document, dict):
        raise IsoparamError(f"an isoparam JSON document is an object, not {document!r:.60}")
    kind, version = document.get("kind"), document.get("schema_version")
    if kind not in _READERS:
        raise IsoparamError(
            f"not an isoparam JSON document: kind {kind!r}, expected one of {', '.join(_READERS)}"
        )
    if version != SCHEMA_VERSION:
        raise IsoparamError(
            f"this isoparam reads schema version {SCHEMA_VERSION}, the document has {version!r}"
        )
    try:
        return _READERS[kind](document)
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as error:
        if isinstance(error, IsoparamError):
            raise
        raise IsoparamError(f"a malformed {kind} document: {error!r}") from None


def _counting(document: JsonObject) -> CountingModel:
    return CountingModel(bias=_boolean(document["bias"]), norm=document["norm"])


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
    architectures = []
    for entry in document["architectures"]:
        arch = Architecture.measure(
            model, tuple(entry["widths"]), target, band, entry["constructed_above"]
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
        profile=Profile.parse(document["profile"]),
    )


def _budget(document: JsonObject) -> Budget:
    search = document["search"]
    return Budget(
        budget=document["budget"],
        family=_family(document),
        low=search["low"],
        high=search["high"],
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
