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
from isoparam.results import Budget, Family


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
        description=(
            f"inputs {model.inputs}, outputs {model.outputs}, budget {result.target}, "
            f"{model.counting.describe()}"
        ),
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
