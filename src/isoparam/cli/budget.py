"""``isoparam budget``: a parameter count every depth hits exactly, and the family at it."""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable

from isoparam.cli.options import (
    add_family_options,
    add_output_options,
    emit,
    family_request,
    positive_integer,
    progress,
    typed,
)
from isoparam.errors import NotFound
from isoparam.integrations import plot
from isoparam.render import formats_for
from isoparam.request import Window
from isoparam.results import Budget
from isoparam.solvers.budget import search_budget


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "budget",
        help="a common budget that every depth hits exactly",
        description=(
            "Find a parameter count that every depth hits exactly: the closest to --near P "
            "within --window, or the smallest from --at-least P0 up to --max-params. With "
            "equal widths the search is number theory (generalized Pell equations)."
        ),
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--near", type=positive_integer, metavar="P", help="search around P")
    mode.add_argument(
        "--at-least", type=positive_integer, default=1, metavar="P0", help="smallest budget"
    )
    parser.add_argument(
        "--window",
        type=typed(Window.parse),
        metavar="W",
        help="with --near: P-W..P+W, in units or as a percentage of P such as 1%% (default 5%%)",
    )
    parser.add_argument(
        "--max-params",
        type=positive_integer,
        metavar="N",
        help="largest budget (10^100 with equal widths, P0 + 10^8 with a spread or a profile)",
    )
    parser.add_argument(
        "--explain", action="store_true", help="show the equations and the search behind it"
    )
    add_family_options(parser)
    add_output_options(parser, formats_for(Budget))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        with progress(args, "budgets") as bar:
            result = search(args, bar)
    except NotFound as error:
        if args.explain:  # the reasoning follows the error line
            raise NotFound("\n".join((str(error), *error.explanation))) from None
        raise
    if not args.explain:
        result = dataclasses.replace(result, explanation=())
    if args.plot:
        plot(result.family, args.plot)
    emit(result, args)
    return 0


def search(args: argparse.Namespace, reporter: Callable[[int, int], None] | None) -> Budget:
    return search_budget(
        family_request(args), args.near, args.window, args.at_least, args.max_params, reporter
    )
