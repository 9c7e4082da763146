"""``isoparam family``: one architecture per depth, closest to a budget."""

from __future__ import annotations

import argparse

from isoparam.cli.options import (
    add_counting_options,
    add_output_options,
    emit,
    positive_integer,
)
from isoparam.family import family
from isoparam.integrations import plot


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "family",
        help="one architecture per depth, closest to a budget",
        description=(
            "For each depth (number of hidden layers), the hidden widths whose parameter "
            "count is closest to the budget: exact when the budget can be hit, otherwise the "
            "provably closest count under the constraints."
        ),
    )
    parser.add_argument("--inputs", type=positive_integer, required=True, metavar="A")
    parser.add_argument("--outputs", type=positive_integer, required=True, metavar="C")
    parser.add_argument(
        "--params", type=positive_integer, required=True, metavar="P", help="the budget"
    )
    parser.add_argument(
        "--depths", required=True, metavar="SET", help="depths such as 5-12, 3,5,8 or 2-4,8"
    )
    parser.add_argument(
        "--max-spread",
        default="0",
        metavar="D",
        help="largest max(w) - min(w) within a network, in units or as a percentage of the "
        "depth's uniform width such as 2%% (default 0: equal widths)",
    )
    parser.add_argument(
        "--min-width", type=positive_integer, default=1, metavar="W", help="smallest width"
    )
    parser.add_argument("--max-width", type=positive_integer, metavar="W", help="largest width")
    parser.add_argument(
        "--tolerance",
        metavar="T",
        help="mark each depth within the band (1%% or 0.01); exit status 1 if any is outside",
    )
    parser.add_argument(
        "--plot",
        metavar="FILE",
        help="also draw the family to FILE (.png or .svg; needs the plot extra)",
    )
    add_counting_options(parser)
    add_output_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = family(
        args.inputs,
        args.outputs,
        args.params,
        args.depths,
        bias=args.bias,
        norm=args.norm,
        max_spread=args.max_spread,
        min_width=args.min_width,
        max_width=args.max_width,
        tolerance=args.tolerance,
    )
    if args.plot:
        plot(result, args.plot)
    emit(result, args)
    return 0 if result.all_within_tolerance else 1
