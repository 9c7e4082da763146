"""The ``resmlp`` builder (see :mod:`isoparam.families.resmlp`); imports torch."""

from __future__ import annotations

import torch
from torch import nn


class ResidualBlock(nn.Module):
    """``x + Linear(GELU(Linear(LayerNorm(x))))``."""

    def __init__(self, width: int, hidden: int) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(width)
        self.fc = nn.Linear(width, hidden)
        self.proj = nn.Linear(hidden, width)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.proj(nn.functional.gelu(self.fc(self.norm(x))))  # type: ignore[no-any-return]


class ResMLP(nn.Module):
    """Input projection, ``depth`` residual blocks, final LayerNorm, output projection."""

    def __init__(
        self, depth: int, width: int, inputs: int = 784, outputs: int = 10, expansion: int = 4
    ) -> None:
        super().__init__()
        self.embed = nn.Linear(inputs, width)
        self.blocks = nn.Sequential(
            *(ResidualBlock(width, expansion * width) for _ in range(depth))
        )
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, outputs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.norm(self.blocks(self.embed(x))))  # type: ignore[no-any-return]


def build(depth: int, width: int, **options: object) -> ResMLP:
    """A residual MLP of ``depth`` blocks of width ``width``."""
    return ResMLP(depth, width, **options)  # type: ignore[arg-type]
