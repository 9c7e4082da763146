"""``isoparam family``: one architecture per depth, closest to a budget."""

from __future__ import annotations

import argparse

from isoparam.cli.models import add_model_options, model_from_args
from isoparam.cli.options import (
    add_family_options,
    add_output_options,
    emit,
    family_request,
    progress,
    typed,
)
from isoparam.errors import IsoparamError
from isoparam.integrations import plot
from isoparam.render import formats_for
from isoparam.request import parse_budgets, parse_tolerance
from isoparam.results import Family, FamilyGrid
from isoparam.solvers.family import grid_of, solve_family
from isoparam.solvers.grid import grid_request, solve_grid


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
    parser.add_argument(
        "--params",
        type=typed(parse_budgets),
        required=True,
        metavar="P",
        help="the budget, or several: 1024,2048,4096 or a range of powers such as 2^10..2^25 "
        "(one table with a budget column)",
    )
    parser.add_argument(
        "--tolerance",
        type=typed(parse_tolerance),
        metavar="T",
        help="mark each depth within the band (1%% or 0.01); exit status 1 if any is outside",
    )
    add_family_options(parser)
    add_model_options(parser, grid=True)
    add_output_options(parser, formats_for(Family))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    model = model_from_args(args)
    if model is not None:
        grid = grid_request(
            model,
            args.depths,
            width_step=args.width_step,
            min_width=None if args.min_width == 1 else args.min_width,  # 1: not given
            max_width=args.max_width,
            under=args.under,
            fine=args.fine,
            fine_step=args.fine_step or 1,
        )
        emit(solve_grid(grid, one_budget(args.params, "a PyTorch model")), args)
        return 0
    request = family_request(args, under=args.under)
    result: Family | FamilyGrid
    if len(args.params) > 1 and args.plot:
        raise IsoparamError("--plot draws one family: give one budget to plot")
    whole = len(args.params) == 1
    with progress(args, "depths") as bar:
        families = tuple(
            solve_family(request, size, args.tolerance, bar, whole) for size in args.params
        )
    result = families[0] if whole else grid_of(families)
    if isinstance(result, Family) and args.plot:
        plot(result, args.plot)
    emit(result, args)
    return 0 if result.all_within_tolerance and result.all_answered else 1


def one_budget(budgets: tuple[int, ...], what: str) -> int:
    """The single budget of a request that takes one."""
    if len(budgets) != 1:
        raise IsoparamError(f"{what} takes one budget for now, got {len(budgets)}")
    return budgets[0]
