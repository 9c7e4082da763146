"""What every subcommand shares: the parser class, value readers and the output options."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from isoparam.families.mlp import NORMS
from isoparam.render import FORMATS, render


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one ``error:`` line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        print(f"error: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def integer(text: str) -> int:
    """An exact integer written plainly, with ``_`` separators, or as ``1e12``."""
    cleaned = text.strip().replace("_", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if not value.is_finite() or value != value.to_integral_value():
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}")
    return int(value)


def positive_integer(text: str) -> int:
    """An integer >= 1 (sizes, budgets)."""
    value = integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text!r}")
    return value


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """The output options every subcommand takes."""
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="output format (default: table)",
    )


def add_counting_options(parser: argparse.ArgumentParser) -> None:
    """``--no-bias`` and ``--norm``: how parameters are counted, for every command."""
    parser.add_argument(
        "--no-bias",
        dest="bias",
        action="store_false",
        help="linear layers without biases (by default they have them, as torch.nn.Linear)",
    )
    parser.add_argument(
        "--norm",
        choices=NORMS,
        default="none",
        help="LayerNorm or BatchNorm1d after every hidden layer, 2 parameters per unit "
        "(default: none)",
    )


def add_family_options(parser: argparse.ArgumentParser) -> None:
    """What a family is made of, shared by ``family`` and ``budget``."""
    parser.add_argument("--inputs", type=positive_integer, required=True, metavar="A")
    parser.add_argument("--outputs", type=positive_integer, required=True, metavar="C")
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
        "--profile",
        default="rectangle",
        metavar="NAME",
        help="rectangle (default), trapezoid:R, exponential:Q, wide-first:K or custom:W1,W2,...",
    )
    parser.add_argument(
        "--plot",
        metavar="FILE",
        help="also draw the family to FILE (.png or .svg; needs the plot extra)",
    )
    add_counting_options(parser)
    add_output_options(parser)


def family_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of :func:`isoparam.family` that :func:`add_family_options` read."""
    return {
        "bias": args.bias,
        "norm": args.norm,
        "max_spread": args.max_spread,
        "min_width": args.min_width,
        "max_width": args.max_width,
    }


def progress_reporter(args: argparse.Namespace) -> Callable[[int, int], None] | None:
    """Progress on stderr for long searches, only on a terminal and without ``--quiet``."""
    if args.quiet or not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> None:
        sys.stderr.write(f"\rsearched up to {done} of {total}")
        sys.stderr.flush()

    return report


def emit(result: object, args: argparse.Namespace) -> None:
    """Print ``result`` in the format the user asked for."""
    sys.stdout.write(render(result, args.format))
