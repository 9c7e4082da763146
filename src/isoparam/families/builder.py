"""Families of any PyTorch model: a builder ``build(depth, width, **kwargs) -> nn.Module``.

A :class:`TorchFamily` counts a member by building it on PyTorch's meta device (no memory is
allocated) with weight initialisation switched off, then summing ``numel()`` over
``parameters()`` (a tied or shared tensor counts once), under a counting convention:

- ``total``: every parameter;
- ``trainable``: those with ``requires_grad``;
- ``non-embedding``: every parameter except those owned by an ``nn.Embedding`` or
  ``nn.EmbeddingBag`` (token and position tables; a tied output head is the token table, so
  it is excluded with it, while an untied head is a linear layer and is counted).

``exclude`` globs (``fnmatch`` on parameter names, any alias of a tied tensor) take tensors
out of the count under any convention. torch is imported only when a member is built, never
at ``import isoparam``; counts are cached, since a build costs milliseconds.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache
from typing import Any, ClassVar

from isoparam.errors import IsoparamError
from isoparam.families.base import Quadratic
from isoparam.families.mlp import check_positive

COUNTS = ("total", "trainable", "non-embedding")
"""The counting conventions: see the module docstring."""

ArgValue = int | float | bool | str | None
"""A builder argument as the command line reads it (``--model-arg KEY=VALUE``)."""


@dataclass(frozen=True)
class Audit:
    """What a build showed beyond its count: everything that is easy to count wrongly.

    ``tied``: groups of names that are one tensor (counted once); ``buffers``: buffer names
    and sizes (never counted); ``lazy``: lazy modules were materialised by a dry forward;
    ``parametrized``: parameters behind ``torch.nn.utils.parametrize`` (their originals are
    counted); ``left_out``: parameters the convention or ``exclude`` took out of the count.
    """

    total: int
    tied: tuple[tuple[str, ...], ...] = ()
    buffers: tuple[tuple[str, int], ...] = ()
    lazy: bool = False
    parametrized: tuple[str, ...] = ()
    left_out: tuple[tuple[str, int], ...] = ()

    def lines(self) -> tuple[str, ...]:
        """The audit in words, one finding a line (empty when there is nothing to say)."""
        found = []
        for names in self.tied:
            found.append(f"tied: {' = '.join(names)} (counted once)")
        if self.buffers:
            size = sum(numel for _, numel in self.buffers)
            found.append(f"buffers: {len(self.buffers)} tensors, {size} values (not counted)")
        if self.lazy:
            found.append("lazy modules materialised by a dry forward on the meta device")
        for name in self.parametrized:
            found.append(f"parametrized: {name} (its original tensors are counted)")
        if self.left_out:
            size = sum(numel for _, numel in self.left_out)
            listed = ", ".join(name for name, _ in self.left_out)
            found.append(f"not counted: {listed} ({size} parameters)")
        return tuple(found)


@dataclass(frozen=True)
class Census:
    """One built member: its count, the counted tensors by name, and the audit."""

    params: int
    tensors: tuple[tuple[str, int], ...]
    audit: Audit


@dataclass(frozen=True)
class ModelKind:
    """A built-in model: its name, its builder's import path, documented defaults, and the
    multiple every width must be (a transformer's head size)."""

    name: str
    builder: str
    """``module:function``, imported only when a member is built."""
    help: str
    defaults: tuple[tuple[str, ArgValue], ...]
    arg_help: tuple[tuple[str, str], ...]
    width_multiple: Callable[[Mapping[str, ArgValue]], int] = lambda _: 1
    fine: str | None = None
    """The builder argument a second knob would solve (the feed-forward size), if any."""
    needs: tuple[str, ...] = ("torch",)
    """The packages its builder imports."""


@dataclass(frozen=True)
class TorchFamily:
    """The family of the models a builder makes: ``depth`` and ``width`` are its first two
    arguments, ``options`` the keyword arguments after them. Implements
    :class:`~isoparam.families.base.ArchitectureFamily`.

    ``model`` is a built-in name (see :data:`isoparam.families.models.MODELS`) or
    ``module:function``; ``convention`` one of :data:`COUNTS`; ``exclude`` globs on
    parameter names; ``input_shape`` the shape of a dry-forward input that materialises lazy
    modules; ``width_multiple`` the multiple every width must be.

    >>> fam = TorchFamily("isoparam.families.resmlp_torch:build", (("inputs", 4),
    ...     ("outputs", 2), ("expansion", 1)))
    >>> fam.count(1, 3)  # 4*3+3; a block: LayerNorm 6, 3*3+3 twice; LayerNorm 6; 3*2+2
    59
    """

    model: str
    options: tuple[tuple[str, ArgValue], ...] = ()
    convention: str = "total"
    exclude: tuple[str, ...] = ()
    input_shape: tuple[int, ...] | None = None
    width_multiple: int = 1
    name: ClassVar[str] = "torch"

    def __post_init__(self) -> None:
        if self.convention not in COUNTS:
            raise IsoparamError(
                f"unknown count convention {self.convention!r}: choose one of {', '.join(COUNTS)}"
            )
        check_positive("the width multiple", self.width_multiple)
        if self.input_shape is not None:
            for size in self.input_shape:
                check_positive("an input-shape size", size)

    @property
    def arguments_map(self) -> dict[str, ArgValue]:
        return dict(self.options)

    def with_option(self, key: str, value: ArgValue) -> TorchFamily:
        """The same family with one builder argument set (added if the builder had none).

        >>> TorchFamily("m:f", (("ffn", None),)).with_option("ffn", 96).options
        (('ffn', 96),)
        """
        options = dict(self.options)
        options[key] = value
        return replace(self, options=tuple(options.items()))

    def check_member(self, depth: int, width: int) -> None:
        """Refuse a depth or width below 1, or a width off the family's multiple."""
        check_positive("the depth", depth)
        check_positive("the width", width)
        if width % self.width_multiple:
            raise IsoparamError(
                f"the width of {self.model} must be a multiple of {self.width_multiple} "
                f"(its head size), got {width}"
            )

    def census(self, depth: int, width: int) -> Census:
        """The member built on the meta device: count, counted tensors, audit (cached).

        Raises :class:`IsoparamError` for a bad member, a builder that fails or escapes the
        meta device, or lazy modules without an ``input_shape``.
        """
        self.check_member(depth, width)
        return _census(self, depth, width)

    def count(self, depth: int, width: int) -> int:
        """The member's parameter count under the family's convention (one meta build,
        cached). Complexity: one build, O(modules)."""
        return self.census(depth, width).params

    def fit(self, depth: int, widths: tuple[int, int, int]) -> tuple[Fraction, ...]:
        """The coefficients ``(a, b, c)`` of the quadratic ``a*w^2 + b*w + c`` through the
        counts at three widths (exact rationals; three builds)."""
        points = [(Fraction(w), Fraction(self.count(depth, w))) for w in widths]
        return lagrange_quadratic(points)

    def uniform(self, depth: int) -> Quadratic | None:
        """The count at ``depth`` as an exact integer quadratic in the width, or None.

        Fitted through the widths ``m, 2m, 3m`` (``m`` the width multiple) and verified at
        ``4m`` and ``5m``: five builds. A piecewise count (Llama's ``multiple_of``) gives None.
        """
        m = self.width_multiple
        a, b, c = self.fit(depth, (m, 2 * m, 3 * m))
        if any(value.denominator != 1 for value in (a, b, c)):
            return None
        quadratic = Quadratic(int(a), int(b), int(c))
        if all(quadratic(w) == self.count(depth, w) for w in (4 * m, 5 * m)):
            return quadratic
        return None

    def builder(self) -> Callable[..., Any]:
        """The builder function, imported on first use."""
        return resolve_builder(self.model)

    def build(self, depth: int, width: int, device: str | None = None) -> Any:
        """The member as a ``torch.nn.Module`` with its usual initialisation (imports torch);
        ``device="meta"`` builds it without allocating."""
        self.check_member(depth, width)
        from isoparam.families import builder_torch

        return builder_torch.build_on(self.builder(), depth, width, self.arguments_map, device)

    def describe(self) -> str:
        """``model gpt (vocab_size 50304), count total``: what table headers say (a built-in
        model's arguments only where they differ from its defaults)."""
        from isoparam.families.models import MODELS

        defaults = dict(MODELS[self.model].defaults) if self.model in MODELS else {}
        settings = ", ".join(
            f"{key} {value}"
            for key, value in self.options
            if key not in defaults or defaults[key] != value
        )
        text = f"model {self.model}" + (f" ({settings})" if settings else "")
        text += f", count {self.convention}"
        if self.exclude:
            text += f", excluding {' '.join(self.exclude)}"
        return text

    def arguments(self) -> dict[str, object]:
        """The family's settings as JSON values."""
        return {
            "model": self.model,
            "model_args": dict(self.options),
            "count": self.convention,
            "exclude": list(self.exclude),
            "input_shape": None if self.input_shape is None else list(self.input_shape),
            "width_multiple": self.width_multiple,
        }


@lru_cache(maxsize=4096)
def _census(family: TorchFamily, depth: int, width: int) -> Census:
    from isoparam.families import builder_torch

    return builder_torch.census(family, depth, width)


def clear_cache() -> None:
    """Forget every cached count (benchmarks time cold builds)."""
    _census.cache_clear()


@lru_cache(maxsize=256)
def resolve_builder(model: str) -> Callable[..., Any]:
    """The builder named by a built-in model name or ``module:function``.

    Raises :class:`IsoparamError` when the module cannot be imported or has no such
    callable.
    """
    from isoparam.families.models import MODELS

    path = MODELS[model].builder if model in MODELS else model
    module_name, colon, function = path.partition(":")
    if not colon or not module_name or not function:
        raise IsoparamError(
            f"unknown model {model!r}: choose one of {', '.join(['mlp', *MODELS])} "
            "or write MODULE:FUNCTION for your own builder"
        )
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise IsoparamError(f"cannot import the builder module {module_name!r}: {error}") from None
    found = getattr(module, function, None)
    if not callable(found):
        raise IsoparamError(f"the module {module_name!r} has no callable {function!r}")
    return found  # type: ignore[no-any-return]


def lagrange_quadratic(points: list[tuple[Fraction, Fraction]]) -> tuple[Fraction, ...]:
    """The coefficients ``(a, b, c)`` of the quadratic through three points, exactly.

    >>> points = [(Fraction(x), Fraction(2 * x * x + 3)) for x in (1, 2, 5)]
    >>> [str(value) for value in lagrange_quadratic(points)]
    ['2', '0', '3']
    """
    (x0, y0), (x1, y1), (x2, y2) = points
    slope01, slope02 = (y1 - y0) / (x1 - x0), (y2 - y0) / (x2 - x0)
    a = (slope02 - slope01) / (x2 - x1)
    b = slope01 - a * (x0 + x1)
    return (a, b, y0 - (a * x0 + b) * x0)
