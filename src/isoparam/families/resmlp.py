"""``resmlp``: residual MLPs of constant width.

An input projection ``Linear(inputs, w)``, ``depth`` pre-norm residual blocks
``x + Linear(GELU(Linear(LayerNorm(x))))`` with hidden size ``expansion * w``, a final
LayerNorm and an output projection ``Linear(w, outputs)``; every linear layer has a bias.
The defaults (784 inputs, 10 outputs, expansion 4) suit MNIST-sized problems. The count is
``depth*(2*e*w^2 + (e + 3)*w) + (inputs + outputs + 3)*w + outputs`` with ``e`` the
expansion.
"""

from __future__ import annotations

from isoparam.families.builder import ModelKind

RESMLP = ModelKind(
    name="resmlp",
    builder="isoparam.families.resmlp_torch:build",
    help="residual pre-norm MLP (input projection, depth blocks of width w, output projection)",
    defaults=(("inputs", 784), ("outputs", 10), ("expansion", 4)),
    arg_help=(
        ("inputs", "input size"),
        ("outputs", "output size"),
        ("expansion", "hidden size of a block as a multiple of the width"),
    ),
)
