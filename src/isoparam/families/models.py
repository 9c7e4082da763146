"""The registry of built-in models and the reading of ``--model`` and ``--model-arg``.

``mlp`` is the plain MLP (:class:`isoparam.MLP`, counted in closed form); every other name
here, or ``MODULE:FUNCTION`` for a user's builder, gives a
:class:`~isoparam.families.builder.TorchFamily`. A new built-in model is one module with
its :class:`~isoparam.families.builder.ModelKind` (and a ``*_torch`` builder) and one entry
in :data:`MODELS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from isoparam.errors import IsoparamError
from isoparam.families.builder import ArgValue, ModelKind, TorchFamily
from isoparam.families.gpt import GPT
from isoparam.families.hf import HF_GPT2, HF_LLAMA
from isoparam.families.llama import LLAMA
from isoparam.families.resmlp import RESMLP
from isoparam.families.resnet import RESNET

MODELS: dict[str, ModelKind] = {
    kind.name: kind for kind in (GPT, LLAMA, RESNET, RESMLP, HF_GPT2, HF_LLAMA)
}
"""The built-in models by name (``mlp`` is the closed-form :class:`isoparam.MLP`)."""

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INTEGER = re.compile(r"[+-]?\d(?:_?\d)*")


def parse_value(text: str) -> ArgValue:
    """A builder argument's value: ``true``/``false``, ``none``, an integer, a float, or
    else the text itself.

    >>> parse_value("50_304"), parse_value("1.3"), parse_value("false"), parse_value("none")
    (50304, 1.3, False, None)
    """
    cleaned = text.strip()
    lowered = cleaned.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("none", "null"):
        return None
    if _INTEGER.fullmatch(cleaned):
        return int(cleaned.replace("_", ""))
    try:
        return float(cleaned)
    except ValueError:
        return cleaned


def parse_model_arg(text: str) -> tuple[str, ArgValue]:
    """``KEY=VALUE`` read into a key and a typed value (see :func:`parse_value`).

    >>> parse_model_arg("vocab_size=50304")
    ('vocab_size', 50304)
    """
    key, equals, value = text.partition("=")
    key = key.strip()
    if not equals or not _KEY.fullmatch(key):
        raise IsoparamError(f"a model argument is written KEY=VALUE, got {text!r}")
    return key, parse_value(value)


def _checked(kind: ModelKind, key: str, value: ArgValue) -> ArgValue:
    defaults = dict(kind.defaults)
    if key not in defaults:
        raise IsoparamError(
            f"the model {kind.name} has no argument {key!r}: its arguments are "
            f"{', '.join(defaults)}"
        )
    default = defaults[key]
    if default is None:
        fits = value is None or (isinstance(value, int | float) and not isinstance(value, bool))
    elif isinstance(default, bool):
        fits = isinstance(value, bool)
    elif isinstance(default, int):
        fits = isinstance(value, int) and not isinstance(value, bool)
    else:
        fits = isinstance(value, type(default))
    if not fits:
        raise IsoparamError(
            f"the {kind.name} argument {key} takes a value like {default!r}, got {value!r}"
        )
    if isinstance(value, int) and not isinstance(value, bool) and value < 1:
        raise IsoparamError(f"the {kind.name} argument {key} must be >= 1, got {value!r}")
    return value


def model_family(
    model: str,
    arguments: Mapping[str, ArgValue] | Iterable[tuple[str, ArgValue]] = (),
    *,
    count: str = "total",
    exclude: Iterable[str] = (),
    input_shape: Iterable[int] | None = None,
) -> TorchFamily:
    """The family of a built-in model (with its documented defaults, overridden by
    ``arguments``) or of a ``MODULE:FUNCTION`` builder (with exactly ``arguments``).

    Parameters
    ----------
    model : str
        A name in :data:`MODELS` or ``MODULE:FUNCTION``.
    arguments : mapping or pairs
        Keyword arguments of the builder after depth and width.
    count : str
        ``total``, ``trainable`` or ``non-embedding`` (see :mod:`isoparam.families.builder`).
    exclude : iterable of str
        Globs on parameter names left out of the count.
    input_shape : iterable of int, optional
        A dry-forward input shape that materialises lazy modules.

    Returns
    -------
    TorchFamily
        Nothing is built or imported yet.

    Raises
    ------
    IsoparamError
        For ``mlp`` (use :class:`isoparam.MLP`), an unknown argument of a built-in model or a
        value of the wrong type, or a bad convention.

    Complexity: O(number of arguments).

    >>> model_family("gpt", {"vocab_size": 50304}).width_multiple
    64
    >>> model_family("llama", {"kv_group": 8}).describe()
    'model llama (kv_group 8), count total'
    """
    given = dict(arguments.items() if isinstance(arguments, Mapping) else arguments)
    if model == "mlp":
        raise IsoparamError("the mlp model is counted in closed form: use isoparam.MLP")
    kind = MODELS.get(model)
    if kind is None:
        if ":" not in model:
            raise IsoparamError(
                f"unknown model {model!r}: choose one of {', '.join(['mlp', *MODELS])} "
                "or write MODULE:FUNCTION for your own builder"
            )
        options = tuple(given.items())
        multiple = 1
    else:
        merged = dict(kind.defaults)
        for key, value in given.items():
            merged[key] = _checked(kind, key, value)
        options = tuple(merged.items())
        multiple = kind.width_multiple(merged)
    return TorchFamily(
        model=model,
        options=options,
        convention=count,
        exclude=tuple(exclude),
        input_shape=None if input_shape is None else tuple(input_shape),
        width_multiple=multiple,
    )


def model_help() -> str:
    """Every built-in model with its arguments and defaults, for ``--help``."""
    lines = ["mlp: the plain MLP (--inputs, --outputs, --no-bias, --norm)"]
    for kind in MODELS.values():
        defaults = dict(kind.defaults)
        settings = ", ".join(f"{key}={defaults[key]}" for key, _ in kind.arg_help)
        lines.append(f"{kind.name}: {kind.help}; {settings}")
    lines.append("MODULE:FUNCTION: your build(depth, width, **model_args) -> torch.nn.Module")
    return "\n".join(lines)
