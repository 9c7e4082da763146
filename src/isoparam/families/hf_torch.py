"""The ``hf:gpt2`` and ``hf:llama`` builders (see :mod:`isoparam.families.hf`); they import
transformers when called, so that this module imports without it."""

from __future__ import annotations

from typing import Any

from isoparam.errors import IsoparamError
from isoparam.families.llama_torch import feed_forward_size


def transformers() -> Any:
    """The transformers package, or an error saying how to install it."""
    try:
        import transformers as package
    except ImportError:
        raise IsoparamError(
            "the hf: models need transformers: pip install -e '.[hf]' (torch stays 2.13.0)"
        ) from None
    return package


def gpt2(
    depth: int,
    width: int,
    vocab_size: int = 50257,
    context: int = 1024,
    head_size: int = 64,
    ffn: int | None = None,
    tied: bool = True,
) -> Any:
    """GPT2LMHeadModel with ``depth`` blocks of model dimension ``width``."""
    if width % head_size:
        raise ValueError(f"the width {width} is not a multiple of the head size {head_size}")
    hub = transformers()
    config = hub.GPT2Config(
        vocab_size=vocab_size,
        n_positions=context,
        n_embd=width,
        n_layer=depth,
        n_head=width // head_size,
        n_inner=ffn,
        tie_word_embeddings=tied,
    )
    return hub.GPT2LMHeadModel(config)


def llama(
    depth: int,
    width: int,
    vocab_size: int = 32000,
    head_size: int = 128,
    kv_group: int = 1,
    multiple_of: int = 256,
    ffn_multiplier: float | None = None,
    ffn: int | None = None,
    tied: bool = False,
) -> Any:
    """LlamaForCausalLM with ``depth`` blocks of model dimension ``width``; the feed-forward
    size follows Meta's rule as :mod:`isoparam.families.llama_torch` does."""
    if width % (head_size * kv_group):
        raise ValueError(
            f"the width {width} is not a multiple of head_size * kv_group = {head_size * kv_group}"
        )
    heads = width // head_size
    hub = transformers()
    config = hub.LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=width,
        intermediate_size=feed_forward_size(width, multiple_of, ffn_multiplier, ffn),
        num_hidden_layers=depth,
        num_attention_heads=heads,
        num_key_value_heads=heads // kv_group,
        head_dim=head_size,
        tie_word_embeddings=tied,
    )
    return hub.LlamaForCausalLM(config)
