"""isoparam: neural-network families with equal parameter counts across depths.

The public API is a few verbs returning frozen dataclasses:

- :func:`count_params` counts the parameters of one shape, :func:`breakdown` per layer;
- :func:`family` gives one architecture per depth, closest to a budget;
- :func:`parse_depths` reads depth sets such as ``"5-12"``.

Every failure caused by the request raises :class:`IsoparamError`.
"""

from isoparam.counting import (
    NORMS,
    Breakdown,
    CountingModel,
    LayerCount,
    breakdown,
    count_params,
)
from isoparam.depths import parse_depths
from isoparam.errors import IsoparamError
from isoparam.family import Architecture, Family, family
from isoparam.tolerance import parse_tolerance

__version__ = "0.1.0"

__all__ = [
    "NORMS",
    "Architecture",
    "Breakdown",
    "CountingModel",
    "Family",
    "IsoparamError",
    "LayerCount",
    "__version__",
    "breakdown",
    "count_params",
    "family",
    "parse_depths",
    "parse_tolerance",
]
