"""``isoparam shapes`` and ``isoparam count``: every shape with exactly P parameters."""

from __future__ import annotations

import argparse
import sys
from itertools import islice

from isoparam.cli.options import (
    add_counting_options,
    add_output_options,
    counting_options,
    emit,
    integer,
    positive_integer,
    progress,
)
from isoparam.errors import IsoparamError
from isoparam.render import formats_for
from isoparam.render.stream import STREAM_FORMATS, check_format, write_shapes
from isoparam.request import ShapeRules, shape_rules
from isoparam.results import ShapeCounts
from isoparam.shapes.sample import (
    DEFAULT_SEED,
    DRAW_LIMIT,
    FREE_LIMIT,
    TABLE_CELLS,
    Sampler,
    check_sample,
)
from isoparam.shapes.table import count_sequence, enumerate_shapes


def _add_rules(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inputs", type=positive_integer, metavar="A", help="input size")
    parser.add_argument("--outputs", type=positive_integer, metavar="C", help="output size")
    parser.add_argument("--depths", metavar="SET", help="hidden-layer counts such as 0-3")
    parser.add_argument(
        "--min-width", type=positive_integer, default=1, metavar="W", help="smallest hidden width"
    )
    parser.add_argument(
        "--max-width", type=positive_integer, metavar="W", help="largest hidden width"
    )
    parser.add_argument(
        "--max-step",
        type=int,
        metavar="D",
        help="largest |difference| of neighbouring hidden widths",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on the terminal")
    add_counting_options(parser)


def _rules(args: argparse.Namespace) -> ShapeRules:
    return shape_rules(
        **counting_options(args),
        inputs=args.inputs,
        outputs=args.outputs,
        depths=args.depths,
        min_width=args.min_width,
        max_width=args.max_width,
        max_step=args.max_step,
    )


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    shapes = commands.add_parser(
        "shapes",
        help="every shape with exactly P parameters",
        description="List every layer-size sequence with exactly P parameters, "
        "lexicographically (input size first), as it is found; or draw --sample N of them "
        "uniformly at random (--seed S, default 0).",
    )
    shapes.add_argument(
        "--params", type=positive_integer, required=True, metavar="P", help="the budget"
    )
    shapes.add_argument("--limit", type=positive_integer, metavar="N", help="stop after N")
    shapes.add_argument(
        "--sample",
        type=positive_integer,
        metavar="N",
        help="instead of listing, draw N shapes independently and uniformly at random "
        f"(at most {DRAW_LIMIT}; budgets up to {FREE_LIMIT} without rules, tables up to "
        f"{TABLE_CELLS} cells with rules)",
    )
    shapes.add_argument(
        "--seed",
        type=integer,
        metavar="S",
        help=f"the random seed of --sample, an integer >= 0 (default {DEFAULT_SEED})",
    )
    _add_rules(shapes)
    add_output_options(shapes, STREAM_FORMATS)
    shapes.set_defaults(run=run_shapes)
    count = commands.add_parser(
        "count",
        help="how many shapes have exactly P parameters",
        description="Count the shapes with exactly P parameters (--params P), or for every "
        "budget 1..N (--upto N), without listing them.",
    )
    which = count.add_mutually_exclusive_group(required=True)
    which.add_argument("--params", type=positive_integer, metavar="P", help="one budget")
    which.add_argument(
        "--upto", type=positive_integer, metavar="N", help="every budget from 1 to N"
    )
    _add_rules(count)
    add_output_options(count, formats_for(ShapeCounts))
    count.set_defaults(run=run_count)


def run_shapes(args: argparse.Namespace) -> int:
    rules = _rules(args)
    if args.sample is None:
        if args.seed is not None:
            raise IsoparamError("--seed applies to --sample only; add --sample N")
        found = islice(enumerate_shapes(args.params, rules), args.limit)
        stopped = write_shapes(
            found, args.params, rules, args.format, sys.stdout, limit=args.limit
        )
        if stopped is not None and args.format == "csv":  # CSV has no closing line
            print(f"note: stopped early, there may be more: {stopped}", file=sys.stderr)
        return 0 if stopped is None else 1
    if args.limit is not None:
        raise IsoparamError("--limit would be ignored with --sample: --sample N draws N shapes")
    seed = DEFAULT_SEED if args.seed is None else args.seed
    check_sample(args.params, args.sample, seed)
    check_format(args.format)
    with progress(args, "steps") as bar:
        sampler = Sampler(args.params, rules, bar)
    draws = sampler.draws(args.sample, seed)
    write_shapes(draws, args.params, rules, args.format, sys.stdout, (seed, sampler.total))
    return 0


def run_count(args: argparse.Namespace) -> int:
    rules = _rules(args)
    limit = args.upto or args.params
    with progress(args, "steps") as bar:
        sequence = count_sequence(limit, rules, bar)
    first = 1 if args.upto else limit
    counts = tuple((budget, sequence[budget - 1]) for budget in range(first, limit + 1))
    emit(ShapeCounts(rules, counts), args)
    return 0
