"""isoparam: neural-network families with equal parameter counts across depths.

The public API is a few verbs returning frozen dataclasses:

- :func:`count_params` counts the parameters of one shape, :func:`breakdown` per layer;
- :func:`family` gives one architecture per depth, closest to a budget (equal widths, a
  bounded spread, or a shape profile);
- :func:`common_budget` finds a budget that every depth hits exactly, and the family at it;
- :func:`parse_depths` reads depth sets such as ``"5-12"``;
- :func:`render` writes a result as a table, JSON, CSV, Markdown, HTML or a PyTorch module,
  :func:`to_json` and :func:`from_json` convert losslessly;
- :func:`to_torch`, :func:`to_pandas` and :func:`plot` hand results to PyTorch, pandas and
  matplotlib, each imported only when called;
- :func:`grid_family` does for any PyTorch model (:data:`MODELS` or your own builder, see
  :func:`model_family`) what :func:`family` does for MLPs, on a grid of widths, each answer
  proven by building two models; :func:`count_model` counts one member.

Every failure caused by the request raises :class:`IsoparamError`; a search that finds
nothing in its range raises its subclass :class:`NotFound`, and a listing that stops at one
of isoparam's limits after it began raises :class:`LimitReached`.
"""

from isoparam._version import __version__
from isoparam.errors import IsoparamError, LimitReached, NotFound
from isoparam.families.base import ArchitectureFamily, Quadratic
from isoparam.families.builder import COUNTS, Audit, TorchFamily
from isoparam.families.mlp import (
    MLP,
    NORMS,
    Breakdown,
    CountingModel,
    LayerCount,
    breakdown,
    count_params,
)
from isoparam.families.models import MODELS, model_family
from isoparam.integrations import plot, to_pandas, to_torch
from isoparam.render import FORMATS, formats_for, from_json, render, to_json
from isoparam.request import (
    PROFILES,
    FamilyRequest,
    Profile,
    SearchLimits,
    ShapeRules,
    Spread,
    WidthBounds,
    parse_depths,
    parse_tolerance,
    shape_rules,
)
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
from isoparam.shapes.sample import sample_shapes
from isoparam.shapes.table import count_sequence, count_shapes, enumerate_shapes
from isoparam.solvers.budget import common_budget
from isoparam.solvers.family import family, family_grid, solve_family
from isoparam.solvers.grid import count_model, grid_family

__all__ = [
    "COUNTS",
    "FORMATS",
    "MLP",
    "MODELS",
    "NORMS",
    "PROFILES",
    "Architecture",
    "ArchitectureFamily",
    "Audit",
    "Breakdown",
    "Budget",
    "Certificate",
    "CountingModel",
    "Family",
    "FamilyGrid",
    "FamilyRequest",
    "IsoparamError",
    "LayerCount",
    "LimitReached",
    "ModelCount",
    "ModelFamily",
    "ModelRow",
    "NotFound",
    "Profile",
    "Quadratic",
    "SearchLimits",
    "ShapeCounts",
    "ShapeListing",
    "ShapeRules",
    "Spread",
    "TorchFamily",
    "WidthBounds",
    "__version__",
    "breakdown",
    "common_budget",
    "count_model",
    "count_params",
    "count_sequence",
    "count_shapes",
    "enumerate_shapes",
    "family",
    "family_grid",
    "formats_for",
    "from_json",
    "grid_family",
    "model_family",
    "parse_depths",
    "parse_tolerance",
    "plot",
    "render",
    "sample_shapes",
    "shape_rules",
    "solve_family",
    "to_json",
    "to_pandas",
    "to_torch",
]
