"""``resnet``: the CIFAR ResNets of He et al. (2016), section 4.2.

A 3x3 convolution to ``width`` channels, three stages of ``depth`` basic blocks at widths
``w``, ``2w`` and ``4w`` (the second and third start with stride 2), global average pooling
and a linear classifier. Shortcuts are identities; where the shape changes they subsample
and pad the new channels with zeros ("option A"), so they have no parameters. Convolutions
have no biases; each is followed by a BatchNorm (2 parameters per channel; its running
statistics are buffers). Depth 3, width 16 is ResNet-20 with 269,722 parameters; the
network has ``6*depth + 2`` weighted layers.
"""

from __future__ import annotations

from isoparam.families.builder import ModelKind

RESNET = ModelKind(
    name="resnet",
    builder="isoparam.families.resnet_torch:build",
    help="CIFAR ResNet, option A (depth = blocks per stage, width = first stage's channels; "
    "ResNet-20 at depth 3, width 16)",
    defaults=(("classes", 10), ("in_channels", 3)),
    arg_help=(("classes", "outputs of the classifier"), ("in_channels", "image channels")),
)
