"""Results back from their JSON objects, checked: a loaded count is recounted."""

from __future__ import annotations

from fractions import Fraction

from isoparam.errors import IsoparamError
from isoparam.families.mlp import Breakdown, CountingModel
from isoparam.render.views import JsonObject
from isoparam.results import Family, measure


def from_json(document: JsonObject) -> Family | Breakdown:
    """The result whose :func:`to_json` object is ``document`` (a family or a shape count).

    Every count is recounted, so an edited or corrupted document is refused rather than
    trusted.
    """
    try:
        counting = CountingModel(bias=document["bias"], norm=document["norm"])
        if "architectures" in document:
            return _family(document, counting)
        result = counting.breakdown(document["sizes"])
        claimed = document["params"]
    except (KeyError, TypeError) as error:
        raise IsoparamError(f"not an isoparam JSON document: {error!r}") from None
    _check_count(claimed, result.total, result.sizes)
    return result


def _family(document: JsonObject, counting: CountingModel) -> Family:
    inputs, outputs, target = document["inputs"], document["outputs"], document["target"]
    band = None if document["tolerance"] is None else Fraction(document["tolerance"])
    architectures = []
    for entry in document["architectures"]:
        widths, built = tuple(entry["widths"]), entry.get("constructed_above")
        arch = measure(counting, inputs, outputs, widths, target, band, built)
        _check_count(entry["params"], arch.params, arch.sizes)
        architectures.append(arch)
    return Family(
        inputs=inputs,
        outputs=outputs,
        target=target,
        counting=counting,
        tolerance=band,
        architectures=tuple(architectures),
        max_spread=document["max_spread"],
        min_width=document["min_width"],
        max_width=document["max_width"],
        profile=document.get("profile", "rectangle"),
    )


def _check_count(claimed: object, actual: int, sizes: tuple[int, ...]) -> None:
    if claimed != actual:
        raise IsoparamError(
            f"the document says {claimed!r} parameters for shape {list(sizes)}, "
            f"but it has {actual}"
        )
