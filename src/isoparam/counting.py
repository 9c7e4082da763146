"""The counting model: how many parameters a shape has.

Everything in isoparam counts through :class:`CountingModel`. A shape is the sequence of
layer sizes ``(a, w_1, ..., w_L, c)``; its count is the weights ``sum d_j * d_{j+1}`` plus a
fixed number of extra parameters per unit of each hidden layer and of the output layer
(one bias each when biases are on). The solvers see the extras only through
:attr:`CountingModel.hidden_unit_extras` and :attr:`CountingModel.output_unit_extras`, so a
new kind of extra (say the affine parameters of a normalisation layer) is added to this
class, its breakdown and those two properties, and every solver follows; the tests check
that the breakdown and the properties agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from isoparam.errors import IsoparamError


@dataclass(frozen=True)
class LayerCount:
    """Parameters of one linear layer ``fan_in -> fan_out``: its weights and its biases."""

    index: int
    fan_in: int
    fan_out: int
    weights: int
    biases: int

    @property
    def total(self) -> int:
        return self.weights + self.biases


@dataclass(frozen=True)
class Breakdown:
    """The count of one shape, layer by layer; the layer totals sum to :attr:`total`."""

    sizes: tuple[int, ...]
    bias: bool
    layers: tuple[LayerCount, ...]

    @property
    def total(self) -> int:
        return sum(layer.total for layer in self.layers)


@dataclass(frozen=True)
class Quadratic:
    """The count ``k*b^2 + s*b + u`` of a depth-L network whose hidden widths all equal b."""

    k: int
    s: int
    u: int

    def __call__(self, width: int) -> int:
        return (self.k * width + self.s) * width + self.u


@dataclass(frozen=True)
class CountingModel:
    """How parameters are counted: biases on (as ``torch.nn.Linear``) or off."""

    bias: bool = True

    @property
    def hidden_unit_extras(self) -> int:
        """Parameters per hidden unit beyond its incoming weights (as in :meth:`breakdown`)."""
        return int(self.bias)

    @property
    def output_unit_extras(self) -> int:
        """Parameters per output unit beyond its incoming weights (as in :meth:`breakdown`)."""
        return int(self.bias)

    def breakdown(self, sizes: Sequence[int]) -> Breakdown:
        """The count of a shape ``(a, w_1, ..., w_L, c)``, layer by layer."""
        check_sizes(sizes)
        layers = tuple(
            LayerCount(
                index=j + 1,
                fan_in=fan_in,
                fan_out=fan_out,
                weights=fan_in * fan_out,
                biases=fan_out * int(self.bias),
            )
            for j, (fan_in, fan_out) in enumerate(pairwise(sizes))
        )
        return Breakdown(sizes=tuple(sizes), bias=self.bias, layers=layers)

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


def breakdown(sizes: Sequence[int], *, bias: bool = True) -> Breakdown:
    """The parameters of each layer of the MLP with layer sizes ``sizes``.

    >>> [layer.total for layer in breakdown([784, 128, 10]).layers]
    [100480, 1290]
    """
    return CountingModel(bias=bias).breakdown(sizes)


def count_params(sizes: Sequence[int], *, bias: bool = True) -> int:
    """The number of parameters of an MLP with layer sizes ``sizes`` (input first).

    >>> count_params([784, 128, 10])
    101770
    >>> count_params([784, 128, 10], bias=False)
    101632
    """
    return CountingModel(bias=bias).count(sizes)
