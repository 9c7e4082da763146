"""``llama``: Llama-style decoder transformers; the defaults are Llama-2-7B.

A token embedding, ``depth`` blocks (RMSNorm, grouped-query attention without biases and
with rotary positions, RMSNorm, a SwiGLU feed-forward), a final RMSNorm and an untied output
head. The feed-forward size is ``8*d // 3`` (times ``ffn_multiplier`` when given), rounded up
to a multiple of ``multiple_of``, as Meta's reference code computes it; ``ffn`` overrides it.
``kv_group`` query heads share one key/value head. The width must be a multiple of
``head_size * kv_group``. Depth 32, width 4096 give Llama-2-7B's 6,738,415,616 parameters.
"""

from __future__ import annotations

from isoparam.families.builder import ModelKind

LLAMA = ModelKind(
    name="llama",
    builder="isoparam.families.llama_torch:build",
    help="Llama decoder: RMSNorm, SwiGLU, rotary, GQA, untied head (defaults: Llama-2-7B "
    "at depth 32, width 4096)",
    defaults=(
        ("vocab_size", 32000),
        ("head_size", 128),
        ("kv_group", 1),
        ("multiple_of", 256),
        ("ffn_multiplier", None),
        ("ffn", None),
        ("tied", False),
    ),
    arg_help=(
        ("vocab_size", "tokens in the vocabulary"),
        ("head_size", "dimension of one attention head"),
        ("kv_group", "query heads per key/value head (Llama-2-70B: 8)"),
        ("multiple_of", "the feed-forward size is rounded up to a multiple of this"),
        ("ffn_multiplier", "scales the feed-forward size before rounding (70B: 1.3)"),
        ("ffn", "feed-forward size, overriding the rule above"),
        ("tied", "output head shares the token embedding"),
    ),
    width_multiple=lambda args: int(args["head_size"] or 1) * int(args["kv_group"] or 1),
    fine="ffn",
)
