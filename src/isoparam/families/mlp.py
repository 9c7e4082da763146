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
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, ClassVar

from isoparam.errors import MAX_DIGITS, IsoparamError, shown
from isoparam.families.base import Quadratic

NORMS = ("none", "layer", "batch", "rms")
"""Normalisation after each hidden layer: none, ``nn.LayerNorm``, ``nn.BatchNorm1d`` or
``nn.RMSNorm``."""

_NORM_NAMES = {"layer": "LayerNorm", "batch": "BatchNorm1d", "rms": "RMSNorm"}


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


@dataclass(frozen=True)
class CountingModel:
    """How parameters are counted.

    ``bias``: every linear layer has biases (as ``torch.nn.Linear`` by default).
    ``norm``: a norm after every hidden layer, counted with its learnable parameters per
    unit: ``"layer"`` (LayerNorm: scale and shift, 2), ``"batch"`` (BatchNorm1d: scale and
    shift, 2; its running statistics are buffers, not parameters) or ``"rms"`` (RMSNorm:
    scale, 1). ``norm_bias=False`` drops LayerNorm's shift (``nn.LayerNorm(bias=False)``);
    ``norm_affine=False`` makes the norm parameter-free. The norm keeps its shift even
    without biases, which concern the linear layers.

    >>> [CountingModel(norm=n).norm_unit_params for n in NORMS]
    [0, 2, 2, 1]
    >>> CountingModel(norm="layer", norm_bias=False).describe()
    'biases on, LayerNorm without bias'
    """

    bias: bool = True
    norm: str = "none"
    norm_bias: bool = True
    norm_affine: bool = True

    def __post_init__(self) -> None:
        for name in ("bias", "norm_bias", "norm_affine"):
            if not isinstance(getattr(self, name), bool):
                raise IsoparamError(f"{name} must be True or False, got {getattr(self, name)!r}")
        if not isinstance(self.norm, str) or self.norm not in NORMS:
            raise IsoparamError(f"unknown norm {self.norm!r}: choose one of {', '.join(NORMS)}")
        if not self.norm_bias and (self.norm != "layer" or not self.norm_affine):
            raise IsoparamError(
                "a norm without bias is a LayerNorm with an affine scale (--norm layer); "
                f"{_NORM_NAMES.get(self.norm, 'no norm')} has no shift to drop"
            )
        if not self.norm_affine and self.norm == "none":
            raise IsoparamError("--no-norm-affine needs a norm (--norm layer, batch or rms)")

    @property
    def norm_unit_params(self) -> int:
        """Learnable parameters per unit of the norm after a hidden layer."""
        if self.norm == "none" or not self.norm_affine:
            return 0
        return 1 if self.norm == "rms" else 1 + int(self.norm_bias)

    def describe_norm(self) -> str:
        """``LayerNorm without bias``, ``RMSNorm``, ...: the norm in words ('' for none)."""
        if self.norm == "none":
            return ""
        name = _NORM_NAMES[self.norm]
        if not self.norm_affine:
            return f"{name} without affine parameters"
        return name if self.norm_bias else f"{name} without bias"

    @property
    def hidden_unit_extras(self) -> int:
        """Parameters per hidden unit beyond its incoming weights (as in :meth:`breakdown`)."""
        return int(self.bias) + self.norm_unit_params

    @property
    def output_unit_extras(self) -> int:
        """Parameters per output unit beyond its incoming weights (as in :meth:`breakdown`)."""
        return int(self.bias)

    def describe(self) -> str:
        """``biases on``, plus the norm when there is one: ``biases off, LayerNorm``."""
        text = "biases on" if self.bias else "biases off"
        norm = self.describe_norm()
        return f"{text}, {norm}" if norm else text

    def arguments(self) -> dict[str, object]:
        """How parameters are counted, as JSON values."""
        return {
            "bias": self.bias,
            "norm": self.norm,
            "norm_bias": self.norm_bias,
            "norm_affine": self.norm_affine,
        }

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
        """The parameter count of a shape ``(a, w_1, ..., w_L, c)``: the total of
        :meth:`breakdown`, summed directly (solvers count deep networks often)."""
        check_sizes(sizes)
        weights = sum(fan_in * fan_out for fan_in, fan_out in pairwise(sizes))
        hidden = sum(sizes[1:-1])
        return weights + (hidden + sizes[-1]) * int(self.bias) + hidden * self.norm_unit_params


@dataclass(frozen=True)
class MLP:
    """The plain MLP family: ``inputs -> w_1 -> ... -> w_L -> outputs``, counted by ``counting``.

    A member of depth ``L`` and width ``b`` has every hidden width equal to ``b``; solvers
    that vary the widths within a network (spreads, profiles) count through
    :meth:`count_widths`. Implements :class:`~isoparam.families.base.ArchitectureFamily`.

    >>> MLP(784, 10).count(2, 128), MLP(784, 10).count_widths((128, 64))
    (118282, 109386)
    >>> MLP(4, 3, CountingModel(bias=False)).uniform(3)
    Quadratic(k=2, s=7, u=0)
    """

    inputs: int
    outputs: int
    counting: CountingModel = field(default_factory=CountingModel)
    name: ClassVar[str] = "mlp"

    def __post_init__(self) -> None:
        check_positive("the input size", self.inputs)
        check_positive("the output size", self.outputs)

    def sizes(self, widths: Sequence[int]) -> tuple[int, ...]:
        """The full shape: input size, ``widths``, output size."""
        return (self.inputs, *widths, self.outputs)

    def count_widths(self, widths: Sequence[int]) -> int:
        """The parameter count with these hidden widths (any depth, any widths)."""
        return self.counting.count(self.sizes(widths))

    def breakdown(self, widths: Sequence[int]) -> Breakdown:
        """The count with these hidden widths, layer by layer."""
        return self.counting.breakdown(self.sizes(widths))

    def count(self, depth: int, width: int) -> int:
        """The count of the member with ``depth`` hidden layers, all ``width`` wide."""
        return self.count_widths((width,) * depth)

    def uniform(self, depth: int) -> Quadratic:
        """The count at ``depth >= 1`` with every hidden width b, as a quadratic in b."""
        return Quadratic(
            k=depth - 1,
            s=self.inputs + self.outputs + depth * self.counting.hidden_unit_extras,
            u=self.outputs * self.counting.output_unit_extras,
        )

    def describe(self) -> str:
        """``inputs 784, outputs 10, biases on``: what table headers say of the family."""
        return f"inputs {self.inputs}, outputs {self.outputs}, {self.counting.describe()}"

    def arguments(self) -> dict[str, object]:
        """The family's settings as JSON values."""
        return {"inputs": self.inputs, "outputs": self.outputs, **self.counting.arguments()}

    def build(self, depth: int, width: int, device: str | None = None) -> Any:
        """The member as a ``torch.nn.Sequential`` (imports torch; ``device="meta"`` counts
        without allocating)."""
        from isoparam.families.mlp_torch import build_sequential

        sizes = self.sizes((width,) * depth)
        counting = self.counting
        return build_sequential(
            sizes,
            counting.bias,
            counting.norm,
            counting.norm_bias,
            counting.norm_affine,
            device=device,
        )


def check_sizes(sizes: Sequence[int]) -> None:
    """Refuse a shape with fewer than two layers or a size that is not an integer >= 1."""
    if not isinstance(sizes, Sequence) or isinstance(sizes, str):
        raise IsoparamError(f"a shape is a list of layer sizes, got {shown(sizes)}")
    if len(sizes) < 2:
        raise IsoparamError(
            f"a shape needs at least an input and an output size, got {list(sizes)}"
        )
    for size in sizes:
        check_positive("layer size", size)


def check_positive(what: str, value: int, least: int = 1) -> None:
    """Refuse anything but an integer from ``least`` to ``10**MAX_DIGITS`` (bools included,
    which are ints in Python)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        numpy = not isinstance(value, int) and hasattr(value, "__index__")
        hint = " (a NumPy integer: pass int(...))" if numpy else ""
        raise IsoparamError(f"{what} must be an integer >= {least}, got {shown(value)}{hint}")
    if value.bit_length() > 3322 and value > 10**MAX_DIGITS:
        raise IsoparamError(
            f"{what} must be at most 10^{MAX_DIGITS}, got {shown(value)} (too large to handle)"
        )


def breakdown(
    sizes: Sequence[int],
    *,
    bias: bool = True,
    norm: str = "none",
    norm_bias: bool = True,
    norm_affine: bool = True,
) -> Breakdown:
    """The parameters of each layer of the MLP with layer sizes ``sizes``.

    Parameters
    ----------
    sizes : sequence of int
        Layer sizes ``(a, w_1, ..., w_L, c)``, each >= 1 (units), at least two.
    bias, norm, norm_bias, norm_affine :
        How parameters are counted, as in :func:`count_params`.

    Returns
    -------
    Breakdown
        One :class:`LayerCount` per linear layer (weights, biases, the norm after it);
        the layer totals sum to :func:`count_params` of the same sizes.

    Raises
    ------
    IsoparamError
        As :func:`count_params` does.

    Complexity: ``O(L)`` integer operations.

    >>> [layer.total for layer in breakdown([784, 128, 10]).layers]
    [100480, 1290]
    """
    return CountingModel(bias, norm, norm_bias, norm_affine).breakdown(sizes)


def count_params(
    sizes: Sequence[int],
    *,
    bias: bool = True,
    norm: str = "none",
    norm_bias: bool = True,
    norm_affine: bool = True,
) -> int:
    """The number of parameters of an MLP with layer sizes ``sizes`` (input first).

    Parameters
    ----------
    sizes : sequence of int
        Layer sizes ``(a, w_1, ..., w_L, c)``, each >= 1 (units), at least two.
    bias : bool
        One bias per unit of every non-input layer, as ``torch.nn.Linear`` builds them.
    norm, norm_bias, norm_affine :
        A norm after every hidden layer (see :class:`CountingModel`).

    Returns
    -------
    int
        ``sum d_j * d_{j+1}`` plus the biases and norm parameters: exact at any size.

    Raises
    ------
    IsoparamError
        For a size that is not an integer >= 1, fewer than two sizes, or a bad norm.

    Complexity: ``O(L)`` integer operations.

    >>> count_params([784, 128, 10])
    101770
    >>> count_params([784, 128, 10], bias=False)
    101632
    >>> count_params([784, 128, 10], norm="layer")  # LayerNorm(128) adds 256
    102026
    """
    return CountingModel(bias, norm, norm_bias, norm_affine).count(sizes)
