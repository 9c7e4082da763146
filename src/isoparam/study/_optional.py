"""Optional packages of the study, imported only when a study runs."""

from __future__ import annotations

import importlib
from types import ModuleType

from isoparam.integrations import require

EXTRAS = {
    "torch": "study",
    "numpy": "study",
    "sklearn": "study",
    "scipy": "study",
    "matplotlib": "study",
    "mnist1d": "mnist1d",
    "ray": "ray",
}


def need(module: str) -> ModuleType:
    """Import ``module``, or say which extra installs it (from a checkout of isoparam)."""
    require(module, EXTRAS.get(module.partition(".")[0], "study"))
    return importlib.import_module(module)
