"""The ``llama`` builder (see :mod:`isoparam.families.llama`); imports torch."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional


def feed_forward_size(
    width: int, multiple_of: int, ffn_multiplier: float | None = None, ffn: int | None = None
) -> int:
    """``8*width // 3``, scaled, rounded up to ``multiple_of``; or ``ffn`` when given."""
    if ffn is not None:
        return ffn
    hidden = 8 * width // 3
    if ffn_multiplier is not None:
        hidden = int(ffn_multiplier * hidden)
    return multiple_of * -(-hidden // multiple_of)


def rotate(x: torch.Tensor) -> torch.Tensor:
    """Rotary position embedding over the last dimension of ``(batch, heads, length, size)``."""
    length, size = x.shape[-2], x.shape[-1]
    frequencies = 10000.0 ** (-torch.arange(0, size, 2, device=x.device) / size)
    angles = torch.outer(torch.arange(length, device=x.device), frequencies)
    cos, sin = angles.cos(), angles.sin()
    even, odd = x[..., 0::2], x[..., 1::2]
    return torch.stack((even * cos - odd * sin, even * sin + odd * cos), dim=-1).flatten(-2)


class Block(nn.Module):
    """RMSNorm, grouped-query attention, RMSNorm, SwiGLU feed-forward; residuals."""

    def __init__(self, width: int, head_size: int, kv_group: int, hidden: int) -> None:
        super().__init__()
        self.head_size, self.kv_group = head_size, kv_group
        kv_width = width // kv_group
        self.attention_norm = nn.RMSNorm(width)
        self.wq = nn.Linear(width, width, bias=False)
        self.wk = nn.Linear(width, kv_width, bias=False)
        self.wv = nn.Linear(width, kv_width, bias=False)
        self.wo = nn.Linear(width, width, bias=False)
        self.ffn_norm = nn.RMSNorm(width)
        self.w1 = nn.Linear(width, hidden, bias=False)
        self.w2 = nn.Linear(hidden, width, bias=False)
        self.w3 = nn.Linear(width, hidden, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, length, width = x.shape
        h = self.attention_norm(x)

        def heads(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, length, -1, self.head_size).transpose(1, 2)

        q, k, v = heads(self.wq(h)), heads(self.wk(h)), heads(self.wv(h))
        k = k.repeat_interleave(self.kv_group, dim=1)
        v = v.repeat_interleave(self.kv_group, dim=1)
        y = functional.scaled_dot_product_attention(rotate(q), rotate(k), v, is_causal=True)
        x = x + self.wo(y.transpose(1, 2).reshape(batch, length, width))
        h = self.ffn_norm(x)
        return x + self.w2(functional.silu(self.w1(h)) * self.w3(h))  # type: ignore[no-any-return]


class Llama(nn.Module):
    """Token embedding, ``depth`` blocks, a final RMSNorm and the output head."""

    def __init__(
        self,
        depth: int,
        width: int,
        vocab_size: int = 32000,
        head_size: int = 128,
        kv_group: int = 1,
        multiple_of: int = 256,
        ffn_multiplier: float | None = None,
        ffn: int | None = None,
        tied: bool = False,
    ) -> None:
        super().__init__()
        if width % (head_size * kv_group):
            raise ValueError(
                f"the width {width} is not a multiple of head_size * kv_group "
                f"= {head_size * kv_group}"
            )
        hidden = feed_forward_size(width, multiple_of, ffn_multiplier, ffn)
        self.tok_embeddings = nn.Embedding(vocab_size, width)
        self.layers = nn.ModuleList(
            Block(width, head_size, kv_group, hidden) for _ in range(depth)
        )
        self.norm = nn.RMSNorm(width)
        self.output = nn.Linear(width, vocab_size, bias=False)
        if tied:
            self.output.weight = self.tok_embeddings.weight

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        x = self.tok_embeddings(tokens)
        for layer in self.layers:
            x = layer(x)
        return self.output(self.norm(x))  # type: ignore[no-any-return]


def build(depth: int, width: int, **options: object) -> Llama:
    """A Llama of ``depth`` blocks and model dimension ``width``."""
    return Llama(depth, width, **options)  # type: ignore[arg-type]
