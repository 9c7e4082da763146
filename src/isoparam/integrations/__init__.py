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
    """PyTorch models of a result, built exactly as isoparam counted them.

    Parameters
    ----------
    result : Family, Architecture, Breakdown, ModelFamily or ModelCount
        What to build: an MLP's biases and norms follow the result's counting model; a
        model family is built by its own builder.
    activation : str
        The nonlinearity after every hidden layer of an MLP: relu, gelu, silu, tanh,
        sigmoid, elu, leaky_relu or identity.
    dropout : float
        Dropout probability after every activation of an MLP, in ``[0, 1)``; 0 adds none.
    device : torch.device or str, optional
        Where the parameters live; ``"meta"`` builds huge families without allocating them.

    Returns
    -------
    dict or torch.nn.Module
        ``{depth: model}`` for a family, one model for a shape or a counted member;
        ``sum(p.numel() for p in model.parameters())`` equals the reported count.

    Raises
    ------
    IsoparamError
        When torch is not installed (naming the extra), for a result that is not a network,
        or for a bad activation or dropout (or any, for a model family's own builder).

    Complexity: one model build per depth; on ``"meta"`` no memory for the parameters.

    >>> from isoparam import family
    >>> models = to_torch(family(784, 10, 100_000, "5"), device="meta")
    >>> sum(p.numel() for p in models[5].parameters())
    99799
    """
    require("torch", "torch")
    from isoparam.integrations import pytorch

    return pytorch.to_torch(result, activation=activation, dropout=dropout, device=device)


def to_pandas(result: object) -> pandas.DataFrame:
    """A pandas DataFrame of a result: the records of its CSV output, typed.

    Parameters
    ----------
    result : Family, Budget, FamilyGrid, ShapeCounts, Breakdown, ModelFamily or ModelCount
        Any tabular result.

    Returns
    -------
    pandas.DataFrame
        One row per architecture (per layer of a breakdown, per budget of counts); the
        columns are the keys of the JSON rows, and counts stay Python integers.

    Raises
    ------
    IsoparamError
        When pandas is not installed (naming the extra), or for a result with no table.

    >>> from isoparam import family
    >>> to_pandas(family(784, 10, 100_000, "5-6"))[["depth", "params"]].values.tolist()
    [[5, 99799], [6, 99230]]
    """
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
    """Draw a family to a PNG or SVG: each network's silhouette and its deviation.

    Parameters
    ----------
    result : Family
        What to draw.
    path : str or Path
        The file to write, ending in .png or .svg, in a folder that exists; checked before
        any work is done.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    IsoparamError
        For a path with another suffix or no folder, when matplotlib is not installed
        (naming the extra), or for a result that has no figure.

    >>> import tempfile, pathlib
    >>> from isoparam import family
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = plot(family(784, 10, 100_000, "5-6"), pathlib.Path(folder, "f.svg"))
    ...     written.name, written.stat().st_size > 0
    ('f.svg', True)
    """
    target = plot_target(path)
    require("matplotlib", "plot")
    from isoparam.integrations import figure

    return figure.save_family_figure(result, target)
