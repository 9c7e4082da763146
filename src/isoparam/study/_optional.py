"""Optional packages of the study, imported only when a study runs."""

from __future__ import annotations

import importlib
from types import ModuleType

from isoparam.errors import IsoparamError

EXTRAS = {
    "torch": "study",
    "numpy": "study",
    "sklearn": "study",
    "scipy": "study",
    "tqdm": "study",
    "matplotlib": "study",
    "mnist1d": "mnist1d",
    "ray": "ray",
}


def need(module: str) -> ModuleType:
    """Import ``module``, or say which extra installs it (from a checkout of isoparam)."""
    top = module.partition(".")[0]
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name is None or error.name.partition(".")[0] != top:
            raise
        extra = EXTRAS.get(top, "study")
        raise IsoparamError(
            f"isoparam study needs {top}, which is not installed: "
            f"from a checkout of isoparam, pip install -e '.[{extra}]'"
        ) from None
