"""Results back from their JSON objects, checked: a loaded count is recounted."""

from __future__ import annotations

from fractions import Fraction

from isoparam.counting import Breakdown, CountingModel
from isoparam.errors import IsoparamError
from isoparam.family import Architecture, Family
from isoparam.render.views import JsonObject


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
    tolerance = document["tolerance"]
    architectures = []
    for entry in document["architectures"]:
        widths = tuple(entry["widths"])
        params = counting.count((inputs, *widths, outputs))
        _check_count(entry["params"], params, (inputs, *widths, outputs))
        architectures.append(
            Architecture(
                inputs=inputs,
                outputs=outputs,
                widths=widths,
                params=params,
                deviation=params - target,
                counting=counting,
                within_tolerance=entry["within_tolerance"],
            )
        )
    return Family(
        inputs=inputs,
        outputs=outputs,
        target=target,
        counting=counting,
        tolerance=None if tolerance is None else Fraction(tolerance),
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
