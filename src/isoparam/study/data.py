"""The data of a study: built-in sets that need no download, or the user's own ``.npz`` file.

Every data set is split once, the same way for every trial: a stratified
train/validation/test split (60/20/20) drawn from a fixed random state that no trial seed
touches. Features are standardised with the training split's mean and standard deviation.
"""

from __future__ import annotations

import hashlib
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isoparam.errors import IsoparamError
from isoparam.study._optional import need

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

BUILTIN = ("digits", "iris", "mnist1d")
LABELS = ("true", "random")
SPLIT_SEED = 20_240_601
"""The random state of the train/validation/test split and of random labels, fixed for
every study so that the seed of a trial changes only its initialisation and batch order."""
FRACTIONS = (0.6, 0.2, 0.2)
SPLIT_NAMES = ("train", "val", "test")


@dataclass(frozen=True, eq=False)
class Dataset:
    """Standardised features and integer labels ``0..classes-1``, split three ways."""

    name: str
    labels: str
    x_train: NDArray[np.float32]
    y_train: NDArray[np.int64]
    x_val: NDArray[np.float32]
    y_val: NDArray[np.int64]
    x_test: NDArray[np.float32]
    y_test: NDArray[np.int64]
    classes: int

    @property
    def inputs(self) -> int:
        return int(self.x_train.shape[1])

    @property
    def sizes(self) -> tuple[int, int, int]:
        """Examples in the train, validation and test splits."""
        return (len(self.y_train), len(self.y_val), len(self.y_test))

    def fingerprint(self) -> str:
        """A short hash of every array, to notice when a resumed study's data changed."""
        digest = hashlib.sha256()
        for array in (self.x_train, self.y_train, self.x_val, self.y_val, self.x_test):
            digest.update(array.tobytes())
        digest.update(self.y_test.tobytes())
        return digest.hexdigest()[:16]

    def describe(self) -> str:
        train, val, test = self.sizes
        return (
            f"{self.name} ({train + val + test} examples, {self.inputs} inputs, "
            f"{self.classes} classes; split {train}/{val}/{test}), labels {self.labels}"
        )


def load_data(spec: str = "digits", labels: str = "true") -> Dataset:
    """The data set named ``spec`` (digits, iris, mnist1d) or read from a ``.npz`` path.

    >>> data = load_data("iris")
    >>> data.inputs, data.classes, data.sizes
    (4, 3, (90, 30, 30))
    """
    if labels not in LABELS:
        raise IsoparamError(f"labels must be one of {', '.join(LABELS)}, got {labels!r}")
    np = need("numpy")
    split: Any = None
    if spec in ("digits", "iris"):
        datasets = need("sklearn.datasets")
        bunch = datasets.load_digits() if spec == "digits" else datasets.load_iris()
        x, y, name = bunch.data, bunch.target, spec
    elif spec == "mnist1d":
        x, y = mnist1d_arrays()
        name = spec
    elif spec.endswith(".npz") or Path(spec).is_file():
        x, y, split = read_npz(Path(spec))
        name = Path(spec).name
    else:
        raise IsoparamError(
            f"unknown data {spec!r}: use one of {', '.join(BUILTIN)} or a path to a .npz file"
        )
    x, y, classes = _check_arrays(np, x, y, name)
    parts = _split(np, x, y, split, name)
    x_train = parts[0][0]
    mean = x_train.mean(axis=0)
    std = x_train.std(axis=0)
    std[std == 0] = 1.0
    xs = [((px - mean) / std).astype(np.float32) for px, _ in parts]
    ys = [py.astype(np.int64) for _, py in parts]
    if labels == "random":
        rng = np.random.default_rng(SPLIT_SEED + 1)
        ys = [rng.integers(0, classes, size=len(py)).astype(np.int64) for py in ys]
    return Dataset(name, labels, xs[0], ys[0], xs[1], ys[1], xs[2], ys[2], classes)


def mnist1d_arrays() -> tuple[Any, Any]:
    """MNIST-1D (5000 examples of length 40) from the package's generator, made in memory.

    Never its downloader and never a file: ``make_dataset`` is called directly. It seeds
    numpy's and Python's global random generators itself, so both states are restored.
    """
    np = need("numpy")
    data = need("mnist1d.data")
    numpy_state = np.random.get_state()
    python_state = random.getstate()
    try:
        made = data.make_dataset(data.get_dataset_args())
    finally:
        np.random.set_state(numpy_state)
        random.setstate(python_state)
    x = np.concatenate([made["x"], made["x_test"]])
    y = np.concatenate([made["y"], made["y_test"]])
    return x, y


def read_npz(path: Path) -> tuple[Any, Any, Any]:
    """Arrays ``x``, ``y`` and an optional ``split`` (train/val/test or 0/1/2 per example)."""
    np = need("numpy")
    if not path.is_file():
        raise IsoparamError(f"no such data file: {path}")
    if not zipfile.is_zipfile(path):
        raise IsoparamError(
            f"{path} is not a readable .npz file: not a zip archive (write it with numpy.savez)"
        )
    try:
        with np.load(path, allow_pickle=False) as archive:
            names = set(archive.files)
            missing = {"x", "y"} - names
            if missing:
                raise IsoparamError(
                    f"{path} lacks the array(s) {', '.join(sorted(missing))}: a study's .npz "
                    f"needs x (examples by features) and y (integer labels), and may have "
                    f"split; it has {', '.join(sorted(names)) or 'no arrays'}"
                )
            x = archive["x"]
            y = archive["y"]
            split = archive["split"] if "split" in names else None
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise IsoparamError(f"{path} is not a readable .npz file: {error}") from None
    except ValueError as error:
        if isinstance(error, IsoparamError):
            raise
        raise IsoparamError(f"{path} holds an array isoparam cannot read: {error}") from None
    return x, y, split


def _check_arrays(np: Any, x: Any, y: Any, name: str) -> tuple[Any, Any, int]:
    if x.dtype.kind not in "biuf":
        raise IsoparamError(f"{name}: x must be numeric, got dtype {x.dtype}")
    if x.ndim < 2 or len(x) == 0:
        raise IsoparamError(
            f"{name}: x must have one row per example (at least one), got shape {x.shape}"
        )
    x = x.reshape(len(x), -1).astype(np.float64)
    if y.ndim != 1 or len(y) != len(x):
        raise IsoparamError(
            f"{name}: y must be one label per example, got shape {y.shape} for {len(x)} examples"
        )
    if y.dtype.kind not in "biu" and not (
        y.dtype.kind == "f" and np.all(np.isfinite(y)) and np.all(y == np.round(y))
    ):
        raise IsoparamError(f"{name}: y must hold integer class labels, got dtype {y.dtype}")
    if x.shape[1] == 0 or not np.all(np.isfinite(x)):
        raise IsoparamError(f"{name}: x must be finite numbers with at least one feature")
    classes, y = np.unique(y, return_inverse=True)
    if len(classes) < 2:
        raise IsoparamError(f"{name}: y must have at least 2 classes, got {len(classes)}")
    return x, y.astype(np.int64), len(classes)


def _split(np: Any, x: Any, y: Any, split: Any, name: str) -> list[tuple[Any, Any]]:
    if split is not None:
        return _given_split(np, x, y, split, name)
    selection = need("sklearn.model_selection")
    train_fraction, val_fraction, test_fraction = FRACTIONS
    indices = np.arange(len(y))
    try:
        rest, test = selection.train_test_split(
            indices, test_size=test_fraction, stratify=y, random_state=SPLIT_SEED
        )
        train, val = selection.train_test_split(
            rest,
            test_size=val_fraction / (train_fraction + val_fraction),
            stratify=y[rest],
            random_state=SPLIT_SEED,
        )
    except ValueError as error:
        raise IsoparamError(
            f"{name}: cannot split {len(y)} examples 60/20/20 by class ({error}); "
            "give more examples per class or a split array"
        ) from None
    return [(x[np.sort(part)], y[np.sort(part)]) for part in (train, val, test)]


def _given_split(np: Any, x: Any, y: Any, split: Any, name: str) -> list[tuple[Any, Any]]:
    if split.ndim != 1 or len(split) != len(y):
        raise IsoparamError(
            f"{name}: split must be one entry per example, got shape {split.shape}"
        )
    if split.dtype.kind in "US":
        codes = np.full(len(split), -1)
        for code, word in enumerate(SPLIT_NAMES):
            codes[split.astype(str) == word] = code
    elif split.dtype.kind in "biu":
        codes = np.where(np.isin(split, (0, 1, 2)), split, -1)
    else:
        raise IsoparamError(f"{name}: split must hold train/val/test or 0/1/2")
    if np.any(codes < 0):
        raise IsoparamError(f"{name}: split must hold only train/val/test or 0/1/2")
    parts = [(x[codes == code], y[codes == code]) for code in range(3)]
    for word, (_, part) in zip(SPLIT_NAMES, parts, strict=True):
        if len(part) == 0:
            raise IsoparamError(f"{name}: the split has no {word} examples")
    return parts
