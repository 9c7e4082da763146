"""PyTorch models for isoparam results (needs the ``torch`` extra)."""

from __future__ import annotations

from functools import singledispatch

import torch
from torch import nn

from isoparam.errors import IsoparamError
from isoparam.families.mlp import Breakdown, CountingModel
from isoparam.families.mlp_torch import build_sequential
from isoparam.results import Architecture, Family, ModelCount, ModelFamily

ACTIVATIONS = {
    "relu": nn.ReLU,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "elu": nn.ELU,
    "leaky_relu": nn.LeakyReLU,
    "identity": nn.Identity,
}


def _build(
    sizes: tuple[int, ...],
    counting: CountingModel,
    activation: str,
    dropout: float,
    device: str | torch.device | None,
) -> nn.Sequential:
    if activation not in ACTIVATIONS:
        raise IsoparamError(
            f"unknown activation {activation!r}: choose one of {', '.join(ACTIVATIONS)}"
        )
    if not 0 <= dropout < 1:
        raise IsoparamError(f"dropout must be in [0, 1), got {dropout!r}")
    return build_sequential(
        sizes,
        counting.bias,
        counting.norm,
        counting.norm_bias,
        counting.norm_affine,
        ACTIVATIONS[activation],
        dropout,
        device,
    )


@singledispatch
def to_torch(
    result: object,
    activation: str = "relu",
    dropout: float = 0.0,
    device: str | torch.device | None = None,
) -> nn.Module | dict[int, nn.Sequential] | dict[int, nn.Module]:
    """A model per architecture: a Family gives ``{depth: model}``, one shape one model;
    a ModelFamily gives its builder's models, ``{depth: model}``."""
    raise IsoparamError(f"no PyTorch model for {type(result).__name__}")


@to_torch.register(Architecture)
@to_torch.register(Breakdown)
def _one_shape(
    result: Architecture | Breakdown,
    activation: str = "relu",
    dropout: float = 0.0,
    device: str | torch.device | None = None,
) -> nn.Sequential:
    counting = result.counting if isinstance(result, Breakdown) else result.model.counting
    return _build(result.sizes, counting, activation, dropout, device)


@to_torch.register
def _family(
    result: Family,
    activation: str = "relu",
    dropout: float = 0.0,
    device: str | torch.device | None = None,
) -> dict[int, nn.Sequential]:
    return {
        arch.depth: _build(arch.sizes, result.model.counting, activation, dropout, device)
        for arch in result.architectures
    }


def _plain(activation: str, dropout: float, kind: str) -> None:
    if activation != "relu" or dropout:
        raise IsoparamError(
            f"a {kind} is built by its model's builder: activation and dropout do not apply"
        )


@to_torch.register
def _model_family(
    result: ModelFamily,
    activation: str = "relu",
    dropout: float = 0.0,
    device: str | torch.device | None = None,
) -> dict[int, nn.Module]:
    _plain(activation, dropout, "ModelFamily")
    where = None if device is None else str(device)
    return {
        row.depth: result.member(row).build(row.depth, row.width, where) for row in result.rows
    }


@to_torch.register
def _model_count(
    result: ModelCount,
    activation: str = "relu",
    dropout: float = 0.0,
    device: str | torch.device | None = None,
) -> nn.Module:
    _plain(activation, dropout, "ModelCount")
    where = None if device is None else str(device)
    built: nn.Module = result.model.build(result.depth, result.width, where)
    return built
