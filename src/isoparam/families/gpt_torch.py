"""The ``gpt`` builder (see :mod:`isoparam.families.gpt`); imports torch."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional


class Block(nn.Module):
    """Pre-LayerNorm transformer block: causal self-attention, then a GELU MLP."""

    def __init__(self, width: int, heads: int, ffn: int, bias: bool) -> None:
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(width, bias=bias)
        self.attn = nn.Linear(width, 3 * width, bias=bias)
        self.attn_proj = nn.Linear(width, width, bias=bias)
        self.ln_2 = nn.LayerNorm(width, bias=bias)
        self.fc = nn.Linear(width, ffn, bias=bias)
        self.fc_proj = nn.Linear(ffn, width, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, length, width = x.shape
        q, k, v = self.attn(self.ln_1(x)).split(width, dim=2)
        q, k, v = (t.view(batch, length, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        y = functional.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.attn_proj(y.transpose(1, 2).reshape(batch, length, width))
        return x + self.fc_proj(functional.gelu(self.fc(self.ln_2(x))))  # type: ignore[no-any-return]


class GPT(nn.Module):
    """Token and position embeddings, ``depth`` blocks, a final LayerNorm, the head."""

    def __init__(
        self,
        depth: int,
        width: int,
        vocab_size: int = 50257,
        context: int = 1024,
        head_size: int = 64,
        ffn: int | None = None,
        bias: bool = True,
        tied: bool = True,
    ) -> None:
        super().__init__()
        if width % head_size:
            raise ValueError(f"the width {width} is not a multiple of the head size {head_size}")
        self.wte = nn.Embedding(vocab_size, width)
        self.wpe = nn.Embedding(context, width)
        hidden = 4 * width if ffn is None else ffn
        heads = width // head_size
        self.blocks = nn.ModuleList(Block(width, heads, hidden, bias) for _ in range(depth))
        self.ln_f = nn.LayerNorm(width, bias=bias)
        self.lm_head = nn.Linear(width, vocab_size, bias=False)
        if tied:
            self.lm_head.weight = self.wte.weight

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(tokens.shape[1], device=tokens.device)
        x = self.wte(tokens) + self.wpe(positions)
        for block in self.blocks:
            x = block(x)
        return self.lm_head(self.ln_f(x))  # type: ignore[no-any-return]


def build(depth: int, width: int, **options: object) -> GPT:
    """A GPT of ``depth`` blocks and model dimension ``width``."""
    return GPT(depth, width, **options)  # type: ignore[arg-type]
