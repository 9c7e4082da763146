"""The ``resnet`` builder (see :mod:`isoparam.families.resnet`); imports torch."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional


class BasicBlock(nn.Module):
    """Two 3x3 convolutions with BatchNorm; an option-A shortcut (subsample, zero-pad)."""

    def __init__(self, fan_in: int, fan_out: int, stride: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(fan_in, fan_out, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(fan_out)
        self.conv2 = nn.Conv2d(fan_out, fan_out, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(fan_out)
        self.stride, self.pad = stride, fan_out - fan_in

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = functional.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        shortcut = x[:, :, :: self.stride, :: self.stride]
        if self.pad:
            shortcut = functional.pad(shortcut, (0, 0, 0, 0, 0, self.pad))
        return functional.relu(out + shortcut)


class CifarResNet(nn.Module):
    """``6*depth + 2`` layers: stem, three stages of ``depth`` blocks, classifier."""

    def __init__(self, depth: int, width: int, classes: int = 10, in_channels: int = 3) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_channels, width, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(width)
        blocks: list[nn.Module] = []
        fan_in = width
        for stage, fan_out in enumerate((width, 2 * width, 4 * width)):
            for index in range(depth):
                stride = 2 if stage and not index else 1
                blocks.append(BasicBlock(fan_in, fan_out, stride))
                fan_in = fan_out
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(4 * width, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.blocks(functional.relu(self.bn(self.conv(x))))
        return self.fc(x.mean(dim=(2, 3)))  # type: ignore[no-any-return]


def build(depth: int, width: int, **options: object) -> CifarResNet:
    """A CIFAR ResNet with ``depth`` blocks per stage and ``width`` base channels."""
    return CifarResNet(depth, width, **options)  # type: ignore[arg-type]
