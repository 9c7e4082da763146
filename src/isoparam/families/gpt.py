"""``gpt``: GPT-2 / nanoGPT-style decoder transformers; the defaults are GPT-2 small.

Token and position embeddings, ``depth`` pre-LayerNorm blocks (attention with one fused
query/key/value projection, a 4x MLP with GELU), a final LayerNorm and an output head tied
to the token embedding; every linear layer and LayerNorm has biases unless ``bias=False``.
The width is the model dimension and must be a multiple of ``head_size``. With the
defaults, depth 12 and width 768 give GPT-2 small's 124,439,808 parameters, as Hugging Face
counts them: ``12*L*d^2 + 13*L*d`` in the blocks, ``(vocab + context)*d`` in the
embeddings and ``2*d`` in the final norm.
"""

from __future__ import annotations

from isoparam.families.builder import ModelKind

GPT = ModelKind(
    name="gpt",
    builder="isoparam.families.gpt_torch:build",
    help="GPT-2 / nanoGPT decoder (defaults: GPT-2 small at depth 12, width 768)",
    defaults=(
        ("vocab_size", 50257),
        ("context", 1024),
        ("head_size", 64),
        ("ffn", None),
        ("bias", True),
        ("tied", True),
    ),
    arg_help=(
        ("vocab_size", "tokens in the vocabulary (nanoGPT pads to 50304)"),
        ("context", "positions in the learned position embedding"),
        ("head_size", "dimension of one attention head; the width is a multiple of it"),
        ("ffn", "feed-forward size (default none: 4 times the width)"),
        ("bias", "biases in linear layers and LayerNorms"),
        ("tied", "output head shares the token embedding"),
    ),
    width_multiple=lambda args: int(args["head_size"] or 1),
    fine="ffn",
)
