"""Bridges to optional packages: PyTorch, pandas and matplotlib.

Each function imports its package only when called, so ``import isoparam`` stays light;
a missing package is an :class:`~isoparam.IsoparamError` that names the extra to install.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isoparam.errors import IsoparamError

if TYPE_CHECKING:
    import pandas


def require(module: str, extra: str) -> None:
    """Refuse cleanly when an optional package is not installed."""
    if importlib.util.find_spec(module) is None:
        raise IsoparamError(f"this needs {module}: pip install 'isoparam[{extra}]'")


def to_torch(
    result: object, activation: str = "relu", dropout: float = 0.0, device: Any = None
) -> Any:
    """``torch.nn.Sequential`` models: a Family gives ``{depth: model}``, a shape one model.

    ``activation`` is a name (relu, gelu, silu, tanh, sigmoid, elu, leaky_relu, identity);
    ``device="meta"`` counts huge families without allocating their parameters.
    """
    require("torch", "torch")
    from isoparam.integrations import pytorch

    return pytorch.to_torch(result, activation=activation, dropout=dropout, device=device)


def to_pandas(result: object) -> pandas.DataFrame:
    """A DataFrame with one row per architecture (or per layer of a shape)."""
    require("pandas", "pandas")
    import pandas

    from isoparam.render.views import to_records

    return pandas.DataFrame.from_records(to_records(result))


def plot(result: object, path: str | Path) -> Path:
    """Draw a family (silhouettes of its networks and their deviations) to a PNG or SVG."""
    require("matplotlib", "plot")
    from isoparam.integrations import figure

    return figure.save_family_figure(result, Path(path))
