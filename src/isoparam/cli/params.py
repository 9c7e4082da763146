"""``isoparam params A W1 ... WL C``: the parameter count of one shape, layer by layer."""

from __future__ import annotations

import argparse

from isoparam.cli.models import add_model_options, model_from_args
from isoparam.cli.options import (
    add_counting_options,
    add_output_options,
    counting_options,
    emit,
    positive_integer,
)
from isoparam.errors import IsoparamError
from isoparam.families.mlp import Breakdown, breakdown
from isoparam.render import formats_for
from isoparam.solvers.grid import count_model


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "params",
        help="the parameter count of one shape",
        description="Count the parameters of the MLP with layer sizes A W1 ... WL C, or of "
        "one member of a model family (--model NAME --depth L --width W), built on PyTorch's "
        "meta device.",
    )
    parser.add_argument(
        "sizes",
        nargs="*",
        type=positive_integer,
        metavar="SIZE",
        help="layer sizes, input first and output last",
    )
    add_counting_options(parser)
    parser.add_argument("--depth", type=positive_integer, metavar="L", help="a model's depth")
    parser.add_argument("--width", type=positive_integer, metavar="W", help="a model's width")
    add_model_options(parser, grid=False)
    add_output_options(parser, formats_for(Breakdown))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    model = model_from_args(args)
    if model is not None:
        if args.depth is None or args.width is None:
            raise IsoparamError(f"counting a {args.model} model needs --depth L and --width W")
        emit(count_model(model, args.depth, args.width), args)
        return 0
    if not args.sizes:
        raise IsoparamError(
            "give the layer sizes A W1 ... WL C, or --model NAME --depth L --width W"
        )
    emit(breakdown(args.sizes, **counting_options(args)), args)
    return 0
