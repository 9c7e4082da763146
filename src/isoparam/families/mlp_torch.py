"""The one function that turns layer sizes into a ``torch.nn.Sequential``.

Its source is also copied verbatim into the standalone modules that ``--format torch``
writes, so the models built here and there are the same by construction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

import torch
from torch import nn


def build_sequential(
    sizes: Sequence[int],
    bias: bool = True,
    norm: str = "none",
    norm_bias: bool = True,
    norm_affine: bool = True,
    activation: Callable[[], nn.Module] = nn.ReLU,
    dropout: float = 0.0,
    device: str | torch.device | None = None,
) -> nn.Sequential:
    """Linear -> norm -> activation -> dropout per hidden layer, then a plain Linear.

    ``norm`` is "none", "layer" (nn.LayerNorm, without its shift if not ``norm_bias``),
    "batch" (nn.BatchNorm1d) or "rms" (nn.RMSNorm); ``norm_affine=False`` gives the norm no
    learnable parameters. Dropout 0 adds no layer; device="meta" builds the model without
    allocating its parameters.
    """
    layers: list[nn.Module] = []
    for fan_in, fan_out in pairwise(sizes[:-1]):
        layers.append(nn.Linear(fan_in, fan_out, bias=bias, device=device))
        if norm == "layer":
            layers.append(
                nn.LayerNorm(
                    fan_out, elementwise_affine=norm_affine, bias=norm_bias, device=device
                )
            )
        elif norm == "batch":
            layers.append(nn.BatchNorm1d(fan_out, affine=norm_affine, device=device))
        elif norm == "rms":
            layers.append(nn.RMSNorm(fan_out, elementwise_affine=norm_affine, device=device))
        layers.append(activation())
        if dropout:
            layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(sizes[-2], sizes[-1], bias=bias, device=device))
    return nn.Sequential(*layers)
