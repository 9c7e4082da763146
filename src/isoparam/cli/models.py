"""``--model`` and its options, shared by ``params`` and ``family``.

``mlp`` (the default) keeps every MLP option; any other model is built with PyTorch, and
the MLP-only options are refused for it, as are the model-only options for ``mlp``: an
option that would be ignored is an error, never silence.
"""

from __future__ import annotations

import argparse

from isoparam.cli.options import positive_integer, typed
from isoparam.errors import IsoparamError
from isoparam.families.builder import COUNTS, TorchFamily
from isoparam.families.models import model_family, model_help, parse_model_arg
from isoparam.request import Profile, Spread


def _shape(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise IsoparamError(f"an input shape is written like 1,3,32,32, got {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise IsoparamError(f"an input shape's sizes are integers >= 1, got {text!r}")
    return sizes


def add_model_options(parser: argparse.ArgumentParser, grid: bool) -> None:
    """``--model``, ``--model-arg``, ``--count``, ``--exclude``, ``--input-shape``; with
    ``grid`` also ``--width-step`` and ``--under``."""
    parser.add_argument(
        "--model",
        default="mlp",
        metavar="NAME",
        help="what depth and width mean (default mlp): " + model_help().replace("\n", "; "),
    )
    parser.add_argument(
        "--model-arg",
        dest="model_args",
        action="append",
        type=typed(parse_model_arg),
        default=[],
        metavar="KEY=VALUE",
        help="a builder argument (repeatable): integers, floats, true/false, none",
    )
    parser.add_argument(
        "--count",
        choices=COUNTS,
        help="which parameters count (default total; non-embedding leaves out nn.Embedding "
        "tables)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="leave parameters whose name matches GLOB out of the count (repeatable)",
    )
    parser.add_argument(
        "--input-shape",
        type=typed(_shape),
        metavar="N,C,...",
        help="input shape of a dry forward on the meta device that materialises lazy modules",
    )
    if grid:
        parser.add_argument(
            "--under",
            action="store_true",
            help="every count at or under the budget: the closest from below (a hard cap)",
        )
        parser.add_argument(
            "--fine",
            metavar="NAME",
            help="a second knob: the integer builder argument NAME (ffn, the feed-forward "
            "size of gpt and llama) solved at each chosen width, so the count comes within "
            "one step of NAME of the budget",
        )
        parser.add_argument(
            "--fine-step",
            type=positive_integer,
            metavar="K",
            help="the --fine knob's values are multiples of K (default 1)",
        )


_MODEL_ONLY = (
    ("model_args", "--model-arg"),
    ("count", "--count"),
    ("exclude", "--exclude"),
    ("input_shape", "--input-shape"),
    ("depth", "--depth"),
    ("width", "--width"),
    ("fine", "--fine"),
    ("fine_step", "--fine-step"),
)
_MLP_ONLY = (
    ("inputs", "--inputs"),
    ("outputs", "--outputs"),
    ("max_spread", "--max-spread"),
    ("profile", "--profile"),
    ("tolerance", "--tolerance"),
    ("plot", "--plot"),
    ("narrow", "--narrow"),
    ("depth_convention", "--depth-convention"),
    ("sizes", "SIZE arguments"),
)
_UNSET: dict[str, object] = {
    "max_spread": Spread(),
    "profile": Profile(),
    "model_args": [],
    "exclude": [],
    "under": False,
    "narrow": 4,
    "depth_convention": "hidden",
    "sizes": [],
}


def _given(args: argparse.Namespace, options: tuple[tuple[str, str], ...]) -> list[str]:
    return [
        spelling
        for key, spelling in options
        if hasattr(args, key) and getattr(args, key) != _UNSET.get(key)
    ]


def model_from_args(args: argparse.Namespace) -> TorchFamily | None:
    """The PyTorch family ``--model`` names, or None for ``mlp``; refuses every option that
    the chosen model would ignore."""
    if args.model == "mlp":
        ignored = _given(args, _MODEL_ONLY)
        if ignored:
            raise IsoparamError(
                f"{', '.join(ignored)} apply to PyTorch models, not to --model mlp"
            )
        return None
    ignored = _given(args, _MLP_ONLY)
    if not args.bias:
        ignored.append("--no-bias")
    if args.norm != "none":
        ignored.append("--norm")
    ignored += [
        spelling
        for key, spelling in (("norm_bias", "--no-norm-bias"), ("norm_affine", "--no-norm-affine"))
        if not getattr(args, key)
    ]
    if ignored:
        raise IsoparamError(
            f"{', '.join(ignored)} apply to --model mlp, not to {args.model} "
            "(set a built-in model's options with --model-arg KEY=VALUE)"
        )
    if getattr(args, "fine_step", None) is not None and args.fine is None:
        raise IsoparamError("--fine-step applies to the knob of --fine NAME: give --fine too")
    return model_family(
        args.model,
        args.model_args,
        count=args.count or "total",
        exclude=args.exclude,
        input_shape=args.input_shape,
    )
