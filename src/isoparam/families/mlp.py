"""The counting model: how many parameters a shape has.

Everything in isoparam counts through :class:`CountingModel`. A shape is the sequence of
layer sizes ``(a, w_1, ..., w_L, c)``; its count is the weights ``sum d_j * d_{j+1}`` plus a
fixed number of extra parameters per unit of each hidden layer and of the output layer:
one bias each when biases are on, and two (the affine scale and shift) per hidden unit when a
LayerNorm or BatchNorm1d follows each hidden layer. The solvers see the extras only through
:attr:`CountingModel.hidden_unit_extras` and :attr:`CountingModel.output_unit_extras`, so a
new kind of extra is added to this class, its breakdown and those two properties, and every
solver follows; the tests check that the breakdown and the properties agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from isoparam.errors import IsoparamError
from isoparam.families.base import Quadratic

NORMS = ("none", "layer", "batch")
"""Normalisation after each hidden layer: none, ``nn.LayerNorm`` or ``nn.BatchNorm1d``."""


@dataclass(frozen=True)
class LayerCount:
    """Parameters of one linear layer ``fan_in -> fan_out`` and of the norm that follows it."""

    index: int
    fan_in: int
    fan_out: int
    weights: int
    biases: int
    norm: int

    @property
    def total(self) -> int:
        return self.weights + self.biases + self.norm


@dataclass(frozen=True)
class Breakdown:
    """The count of one shape, layer by layer; the layer totals sum to :attr:`total`."""

    sizes: tuple[int, ...]
    counting: CountingModel
    layers: tuple[LayerCount, ...]

    @property
    def total(self) -> int:
        return sum(layer.total for layer in self.layers)

    def _repr_html_(self) -> str:
        """Jupyter shows a shape's count as its per-layer table."""
        from isoparam.render import render

        return render(self, "html")


@dataclass(frozen=True)
class CountingModel:
    """How parameters are counted.

    ``bias``: every linear layer has biases (as ``torch.nn.Linear`` by default).
    ``norm``: ``"layer"`` or ``"batch"`` puts a LayerNorm or BatchNorm1d with its affine
    scale and shift (2 parameters per unit) after every hidden layer; BatchNorm's running
    statistics are buffers, not parameters. The norm keeps its shift even without biases.
    """

    bias: bool = True
    norm: str = "none"

    def __post_init__(self) -> None:
        if self.norm not in NORMS:
            raise IsoparamError(f"unknown norm {self.norm!r}: choose one of {', '.join(NORMS)}")

    @property
    def norm_unit_params(self) -> int:
        """Affine parameters per unit of the norm after a hidden layer."""
        return 0 if self.norm == "none" else 2

    @property
    def hidden_unit_extras(self) -> int:
        """Parameters per hidden unit beyond its incoming weights (as in :meth:`breakdown`)."""
        return int(self.bias) + self.norm_unit_params

    @property
    def output_unit_extras(self) -> int:
        """Parameters per output unit beyond its incoming weights (as in :meth:`breakdown`)."""
        return int(self.bias)

    def breakdown(self, sizes: Sequence[int]) -> Breakdown:
        """The count of a shape ``(a, w_1, ..., w_L, c)``, layer by layer."""
        check_sizes(sizes)
        last = len(sizes) - 2
        layers = tuple(
            LayerCount(
                index=j + 1,
                fan_in=fan_in,
                fan_out=fan_out,
                weights=fan_in * fan_out,
                biases=fan_out * int(self.bias),
                norm=0 if j == last else fan_out * self.norm_unit_params,
            )
            for j, (fan_in, fan_out) in enumerate(pairwise(sizes))
        )
        return Breakdown(sizes=tuple(sizes), counting=self, layers=layers)

    def count(self, sizes: Sequence[int]) -> int:
        """The parameter count of a shape ``(a, w_1, ..., w_L, c)``."""
        return self.breakdown(sizes).total

    def uniform(self, inputs: int, outputs: int, depth: int) -> Quadratic:
        """The count of depth ``depth >= 1`` with every hidden width b, as a quadratic in b."""
        return Quadratic(
            k=depth - 1,
            s=inputs + outputs + depth * self.hidden_unit_extras,
            u=outputs * self.output_unit_extras,
        )


def check_sizes(sizes: Sequence[int]) -> None:
    """Refuse a shape with fewer than two layers or a size that is not an integer >= 1."""
    if len(sizes) < 2:
        raise IsoparamError(
            f"a shape needs at least an input and an output size, got {list(sizes)}"
        )
    for size in sizes:
        check_positive("layer size", size)


def check_positive(what: str, value: int) -> None:
    """Refuse anything but an integer >= 1 (bools included, which are ints in Python)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise IsoparamError(f"{what} must be an integer >= 1, got {value!r}")


def breakdown(sizes: Sequence[int], *, bias: bool = True, norm: str = "none") -> Breakdown:
    """The parameters of each layer of the MLP with layer sizes ``sizes``.

    >>> [layer.total for layer in breakdown([784, 128, 10]).layers]
    [100480, 1290]
    """
    return CountingModel(bias=bias, norm=norm).breakdown(sizes)


def count_params(sizes: Sequence[int], *, bias: bool = True, norm: str = "none") -> int:
    """The number of parameters of an MLP with layer sizes ``sizes`` (input first).

    >>> count_params([784, 128, 10])
    101770
    >>> count_params([784, 128, 10], bias=False)
    101632
    >>> count_params([784, 128, 10], norm="layer")  # LayerNorm(128) adds 256
    102026
    """
    return CountingModel(bias=bias, norm=norm).count(sizes)
