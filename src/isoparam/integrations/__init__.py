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
    """Refuse cleanly when an optional package is not installed, saying which extra of
    isoparam installs it (isoparam is installed from a checkout, not from an index)."""
    if importlib.util.find_spec(module.partition(".")[0]) is None:
        raise IsoparamError(
            f"this needs {module.partition('.')[0]}, which is not installed: from a checkout "
            f"of isoparam, pip install -e '.[{extra}]'"
        )


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


PLOT_SUFFIXES = (".png", ".svg")


def plot_target(path: str | Path) -> Path:
    """``path`` checked as a plot file, before any work: a .png or .svg name in a folder
    that exists; raises :class:`IsoparamError` otherwise."""
    target = Path(path)
    if target.suffix.lower() not in PLOT_SUFFIXES:
        raise IsoparamError(
            f"cannot plot to {str(path)!r}: the file name must end in {' or '.join(PLOT_SUFFIXES)}"
        )
    if not target.parent.is_dir():
        raise IsoparamError(
            f"cannot plot to {str(path)!r}: there is no folder {str(target.parent)!r}"
        )
    return target


def plot(result: object, path: str | Path) -> Path:
    """Draw a family (silhouettes of its networks and their deviations) to a PNG or SVG."""
    target = plot_target(path)
    require("matplotlib", "plot")
    from isoparam.integrations import figure

    return figure.save_family_figure(result, target)
