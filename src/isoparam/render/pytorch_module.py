"""A standalone Python module that builds a family's models with PyTorch.

The module imports only torch: a researcher can copy it into a training repository without
installing isoparam. Running it checks every model's count against isoparam's.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from functools import singledispatch
from importlib.resources import files

from isoparam._version import __version__
from isoparam.errors import IsoparamError
from isoparam.families.mlp import Breakdown, CountingModel
from isoparam.families.models import MODELS
from isoparam.render.views import to_table
from isoparam.results import Budget, Family, ModelFamily


@dataclass(frozen=True)
class ModelSpec:
    """What the module needs: sizes, counting options, and the widths and count per depth."""

    description: str
    inputs: int
    outputs: int
    counting: CountingModel
    widths: dict[int, tuple[int, ...]]
    params: dict[int, int]


@singledispatch
def model_spec(result: object) -> ModelSpec:
    raise IsoparamError(f"a {type(result).__name__} has no PyTorch module")


@model_spec.register
def _family_spec(result: Family) -> ModelSpec:
    model = result.model
    return ModelSpec(
        # The table's title says all the request asked (spread, profile, tolerance, ...).
        description=to_table(result).title.removeprefix("isoparam family: "),
        inputs=model.inputs,
        outputs=model.outputs,
        counting=model.counting,
        widths={arch.depth: arch.widths for arch in result.architectures},
        params={arch.depth: arch.params for arch in result.architectures},
    )


@model_spec.register
def _budget_spec(result: Budget) -> ModelSpec:
    return _family_spec(result.family)


@model_spec.register
def _breakdown_spec(result: Breakdown) -> ModelSpec:
    depth = len(result.sizes) - 2
    return ModelSpec(
        description=f"shape {'-'.join(map(str, result.sizes))}, {result.counting.describe()}",
        inputs=result.sizes[0],
        outputs=result.sizes[-1],
        counting=result.counting,
        widths={depth: result.sizes[1:-1]},
        params={depth: result.total},
    )


def as_pytorch_module(result: object) -> str:
    """The source of a module defining ``build(depth)`` and ``build_all()`` for ``result``."""
    if isinstance(result, ModelFamily):
        return _model_family_module(result)
    spec = model_spec(result)
    widths = "\n".join(f"    {depth}: {list(w)}," for depth, w in spec.widths.items())
    params = "\n".join(f"    {depth}: {count}," for depth, count in spec.params.items())
    return _TEMPLATE.format(
        version=__version__,
        description=spec.description,
        inputs=spec.inputs,
        outputs=spec.outputs,
        bias=spec.counting.bias,
        norm=json.dumps(spec.counting.norm),
        norm_bias=spec.counting.norm_bias,
        norm_affine=spec.counting.norm_affine,
        widths=widths,
        params=params,
        builder=_builder_source(),
    )


def _builder_source() -> str:
    """The source of ``build_sequential``, read as text so that torch is not imported."""
    text = files("isoparam.families").joinpath("mlp_torch.py").read_text("utf-8")
    (function,) = (
        node
        for node in ast.parse(text).body
        if isinstance(node, ast.FunctionDef) and node.name == "build_sequential"
    )
    segment = ast.get_source_segment(text, function)
    assert segment is not None  # the text is the one just parsed
    return segment


_TEMPLATE = '''\
"""An iso-parameter family of MLPs, written by isoparam {version}.

{description}.
build(depth) makes one model, build_all() every depth; running this file checks that
PyTorch counts what isoparam promised. It needs only torch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

import torch
from torch import nn

INPUTS = {inputs}
OUTPUTS = {outputs}
BIAS = {bias}
NORM = {norm}  # "none", "layer" (nn.LayerNorm), "batch" (nn.BatchNorm1d), "rms" (nn.RMSNorm)
NORM_BIAS = {norm_bias}  # False: LayerNorm without its shift
NORM_AFFINE = {norm_affine}  # False: a norm without learnable parameters
WIDTHS = {{
{widths}
}}
PARAMS = {{
{params}
}}


{builder}


def build(
    depth: int,
    activation: Callable[[], nn.Module] = nn.ReLU,
    dropout: float = 0.0,
    device: str | torch.device | None = None,
) -> nn.Sequential:
    """The model with `depth` hidden layers."""
    sizes = [INPUTS, *WIDTHS[depth], OUTPUTS]
    return build_sequential(
        sizes, BIAS, NORM, NORM_BIAS, NORM_AFFINE, activation, dropout, device
    )


def build_all(**options: object) -> dict[int, nn.Sequential]:
    """Every model of the family, by depth; options as for build()."""
    return {{depth: build(depth, **options) for depth in WIDTHS}}  # type: ignore[arg-type]


def count(model: nn.Module) -> int:
    return sum(parameter.numel() for parameter in model.parameters())


if __name__ == "__main__":
    for depth, model in build_all(device="meta").items():
        assert count(model) == PARAMS[depth], (depth, count(model), PARAMS[depth])
        print(f"depth {{depth}}: {{count(model)}} parameters, as isoparam counted")
'''


def _model_family_module(result: ModelFamily) -> str:
    """The module for a family of a built-in model: its builder's source, embedded."""
    family = result.model
    kind = MODELS.get(family.model)
    if kind is None:
        raise IsoparamError(
            f"--format torch writes the built-in models ({', '.join(MODELS)}); the builder "
            f"{family.model} is already yours: import it and build each row's depth and width"
        )
    members = "\n".join(
        f"    {row.depth}: ({row.width}, {row.fine_value!r})," for row in result.rows
    )
    params = "\n".join(f"    {row.depth}: {row.params}," for row in result.rows)
    return _MODEL_TEMPLATE.format(
        version=__version__,
        model=family.model,
        description=f"{family.describe()}, budget {result.target}",
        builder=_model_builder_source(kind.builder),
        needs=" and ".join(kind.needs),
        model_args=repr(dict(family.options)),
        fine=repr(result.fine),
        members=members,
        params=params,
        convention=repr(family.convention),
        exclude=repr(family.exclude),
    )


_TEMPLATE_IMPORTS = ("import torch", "from torch import nn")
"""What the written module imports itself, ahead of the builder's code."""


def _module_text(module: str) -> str:
    package, _, name = module.rpartition(".")
    return files(package).joinpath(f"{name}.py").read_text("utf-8")


def _segment(text: str, node: ast.stmt) -> str:
    lines = text.splitlines()
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    return "\n".join(lines[first - 1 : node.end_lineno])


def _model_builder_source(path: str) -> str:
    """A built-in builder module's code, statement by statement: without its docstring, its
    ``__future__`` import and the imports the written module makes itself; an import from
    isoparam replaced by the functions and classes it names (so the module needs no
    isoparam); its
    builder function renamed ``build_model``."""
    module, _, function = path.partition(":")
    text = _module_text(module)
    parts = []
    for node in ast.parse(text).body:
        source = _segment(text, node)
        docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if docstring or source in _TEMPLATE_IMPORTS:
            continue
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("isoparam."):
            other = _module_text(node.module or "")
            wanted = {alias.name for alias in node.names}
            parts += [
                _segment(other, found)
                for found in ast.parse(other).body
                if isinstance(found, ast.FunctionDef | ast.ClassDef) and found.name in wanted
            ]
            continue
        if isinstance(node, ast.FunctionDef) and node.name == function:
            source = source.replace(f"def {function}(", "def build_model(", 1)
        parts.append(source)
    return "\n\n\n".join(parts)


_MODEL_TEMPLATE = '''\
"""An iso-parameter family of {model} models, written by isoparam {version}.

{description}.
build(depth) makes one model, build_all() every depth; running this file checks that
PyTorch counts what isoparam promised. It needs only {needs}.
"""

from __future__ import annotations

from contextlib import nullcontext
from fnmatch import fnmatchcase

import torch
from torch import nn

{builder}

MODEL_ARGS = {model_args}
FINE = {fine}  # the second knob solved per depth (--fine), if any
MEMBERS = {{  # depth: (width, value of FINE)
{members}
}}
PARAMS = {{
{params}
}}
COUNT = {convention}  # "total", "trainable" or "non-embedding" (nn.Embedding tables left out)
EXCLUDE = {exclude}  # globs on parameter names left out of the count


def build(depth: int, device: str | torch.device | None = None) -> nn.Module:
    """The model of `depth`, with its builder's usual initialisation."""
    width, fine = MEMBERS[depth]
    options = dict(MODEL_ARGS)
    if FINE is not None:
        options[FINE] = fine
    with nullcontext() if device is None else torch.device(device):
        return build_model(depth, width, **options)


def build_all(device: str | torch.device | None = None) -> dict[int, nn.Module]:
    """Every model of the family, by depth."""
    return {{depth: build(depth, device) for depth in MEMBERS}}


def count(model: nn.Module) -> int:
    """The parameters isoparam counted: each tensor once, under COUNT and EXCLUDE."""
    embedded = {{
        id(parameter)
        for module in model.modules()
        if isinstance(module, (nn.Embedding, nn.EmbeddingBag))
        for parameter in module.parameters(recurse=False)
    }}
    names: dict[int, list[str]] = {{}}
    tensors = {{}}
    for name, parameter in model.named_parameters(remove_duplicate=False):
        names.setdefault(id(parameter), []).append(name)
        tensors[id(parameter)] = parameter
    total = 0
    for key, parameter in tensors.items():
        if any(fnmatchcase(name, glob) for name in names[key] for glob in EXCLUDE):
            continue
        if COUNT == "trainable" and not parameter.requires_grad:
            continue
        if COUNT == "non-embedding" and key in embedded:
            continue
        total += parameter.numel()
    return total


if __name__ == "__main__":
    for depth, model in build_all(device="meta").items():
        assert count(model) == PARAMS[depth], (depth, count(model), PARAMS[depth])
        print(f"depth {{depth}}: {{count(model)}} parameters, as isoparam counted")
'''
