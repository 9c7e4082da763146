"""Small user builders for the model-family tests, imported as ``tests.builders:NAME``."""

from __future__ import annotations

from torch import nn


def piecewise(depth: int, width: int, multiple_of: int = 8, ffn: int | None = None) -> nn.Module:
    """A token table and depth pairs of linear layers whose hidden size (``ffn``, default
    ``8 * width // 3``) is rounded up to ``multiple_of``, as Llama's feed-forward is: the
    count is not one quadratic in the width, nor one line in ``ffn``."""
    hidden = multiple_of * -(-(8 * width // 3 if ffn is None else ffn) // multiple_of)
    layers: list[nn.Module] = [nn.Embedding(50, width)]
    for _ in range(depth):
        layers += [nn.Linear(width, hidden, bias=False), nn.Linear(hidden, width)]
    return nn.Sequential(*layers)


def shrinking(depth: int, width: int) -> nn.Module:
    """Key/value projections whose head count is a gcd: 4 heads of 4 when ``width // 4`` is
    even, one when odd, so a tensor shrinks as the width grows from an even to an odd
    number of heads (the total still grows)."""
    heads = width // 4
    kv_heads = 2 if heads % 2 == 0 else 1
    layers: list[nn.Module] = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), nn.Linear(width, 4 * kv_heads, bias=False)]
    return nn.Sequential(*layers)


def lazy(depth: int, width: int) -> nn.Module:
    """A lazy first layer whose input size is known only after a forward pass."""
    layers: list[nn.Module] = [nn.LazyLinear(width)]
    layers += [nn.Linear(width, width) for _ in range(depth - 1)]
    return nn.Sequential(*layers, nn.Linear(width, 2))


def escaping(depth: int, width: int) -> nn.Module:
    """A builder that insists on the CPU."""
    return nn.Sequential(*(nn.Linear(width, width, device="cpu") for _ in range(depth)))


def failing(depth: int, width: int) -> nn.Module:
    """A builder that refuses odd widths as a transformer refuses a width its heads do not
    divide."""
    if width % 2:
        raise ValueError("the width must be even")
    return nn.Linear(width, depth)


def not_a_module(depth: int, width: int) -> object:
    return [depth, width]


def frozen(depth: int, width: int) -> nn.Module:
    """A frozen first layer: ``trainable`` leaves it out."""
    model = nn.Sequential(*(nn.Linear(width, width) for _ in range(depth)))
    model[0].requires_grad_(False)
    return model


def shared(depth: int, width: int) -> nn.Module:
    """One linear layer used ``depth`` times: its parameters count once."""
    layer = nn.Linear(width, width)
    return nn.Sequential(*([layer] * depth))


def knob_shrinking(depth: int, width: int, ffn: int = 4) -> nn.Module:
    """A feed-forward of size ``ffn`` beside a tensor of 2 rows when ``ffn`` is even, 1 when
    odd: the count grows with ``ffn`` but that tensor shrinks from even to odd."""
    layers: list[nn.Module] = []
    for _ in range(depth):
        layers += [nn.Linear(width, ffn), nn.Linear(ffn, width)]
        layers.append(nn.Linear(width, 2 if ffn % 2 == 0 else 1, bias=False))
    return nn.Sequential(*layers)


def ignores(depth: int, width: int, ffn: int = 4) -> nn.Module:
    """A builder that accepts ``ffn`` and ignores it."""
    return nn.Sequential(*(nn.Linear(width, width) for _ in range(depth)))


def tabular(depth: int, width: int, inputs: int, outputs: int) -> nn.Module:
    """A study-ready builder: (batch, inputs) to (batch, outputs), with BatchNorm buffers."""
    layers: list[nn.Module] = [nn.Linear(inputs, width), nn.BatchNorm1d(width), nn.ReLU()]
    for _ in range(depth - 1):
        layers += [nn.Linear(width, width), nn.ReLU()]
    return nn.Sequential(*layers, nn.Linear(width, outputs))


def capped(depth: int, width: int, ffn: int = 4) -> nn.Module:
    """A feed-forward size that stops at 16, whatever ``ffn`` asks for."""
    hidden = min(ffn, 16)
    return nn.Sequential(*(nn.Linear(width, hidden) for _ in range(depth)))
