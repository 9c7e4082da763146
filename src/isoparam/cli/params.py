"""``isoparam params A W1 ... WL C``: the parameter count of one shape, layer by layer."""

from __future__ import annotations

import argparse

from isoparam.cli.options import add_counting_options, add_output_options, emit, positive_integer
from isoparam.families.mlp import Breakdown, breakdown
from isoparam.render import formats_for


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "params",
        help="the parameter count of one shape",
        description="Count the parameters of the MLP with layer sizes A W1 ... WL C.",
    )
    parser.add_argument(
        "sizes",
        nargs="+",
        type=positive_integer,
        metavar="SIZE",
        help="layer sizes, input first and output last",
    )
    add_counting_options(parser)
    add_output_options(parser, formats_for(Breakdown))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    emit(breakdown(args.sizes, bias=args.bias, norm=args.norm), args)
    return 0
