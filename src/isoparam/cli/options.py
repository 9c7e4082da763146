"""What every subcommand shares: the parser class, value readers and the output options."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn, TypeVar

from isoparam.errors import MAX_DIGITS, IsoparamError, shown
from isoparam.families.mlp import NORMS
from isoparam.integrations import plot_target
from isoparam.render import render
from isoparam.request import DEPTH_CONVENTIONS, PROFILES, FamilyRequest, Profile, Spread

T = TypeVar("T")


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one ``error:`` line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        print(f"error: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def integer(text: str) -> int:
    """An exact integer written plainly, with ``_`` separators, or as ``1e12``."""
    cleaned = text.strip().replace("_", "")
    shown_text = shown(text)
    if len(cleaned) > 2 * MAX_DIGITS:
        raise argparse.ArgumentTypeError(
            f"expected an integer of at most {MAX_DIGITS} digits, got {shown_text}"
        )
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"expected an integer, got {shown_text}") from None
    if not value.is_finite() or value != value.to_integral_value():
        raise argparse.ArgumentTypeError(f"expected an integer, got {shown_text}")
    if value.adjusted() > MAX_DIGITS:  # checked before int() expands the exponent
        raise argparse.ArgumentTypeError(
            f"expected an integer of at most {MAX_DIGITS} digits, got {shown_text}"
        )
    return int(value)


def integer_at_least_zero(text: str) -> int:
    """An integer >= 0 (thresholds that 0 turns off)."""
    value = integer(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text!r}")
    return value


def positive_integer(text: str) -> int:
    """An integer >= 1 (sizes, budgets)."""
    value = integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text!r}")
    return value


def typed(parse: Callable[[str], T]) -> Callable[[str], T]:
    """An argparse reader from a library parser: its :class:`IsoparamError` message becomes
    the usage error, so the value is parsed once, here at the edge."""

    def read(text: str) -> T:
        try:
            return parse(text)
        except IsoparamError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    read.__name__ = parse.__name__
    return read


def add_output_options(parser: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    """``--format``, offering exactly the formats that can write the command's result."""
    parser.add_argument(
        "--format",
        choices=formats,
        default="table",
        help=f"output format: {', '.join(formats)} (default: table)",
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
        help="a norm after every hidden layer: layer (LayerNorm, 2 parameters per unit), "
        "batch (BatchNorm1d, 2), rms (RMSNorm, 1) or none (the default)",
    )
    parser.add_argument(
        "--no-norm-bias",
        dest="norm_bias",
        action="store_false",
        help="LayerNorm without its shift (nn.LayerNorm(bias=False)): 1 parameter per unit",
    )
    parser.add_argument(
        "--no-norm-affine",
        dest="norm_affine",
        action="store_false",
        help="a norm without learnable parameters (elementwise_affine=False / affine=False)",
    )


def counting_options(args: argparse.Namespace) -> dict[str, Any]:
    """The counting keywords (``bias``, ``norm``, ...) that :func:`add_counting_options` read."""
    return {
        "bias": args.bias,
        "norm": args.norm,
        "norm_bias": args.norm_bias,
        "norm_affine": args.norm_affine,
    }


def add_family_options(parser: argparse.ArgumentParser) -> None:
    """What a family is made of, shared by ``family`` and ``budget``."""
    parser.add_argument(
        "--inputs", type=positive_integer, metavar="A", help="input size (required for mlp)"
    )
    parser.add_argument(
        "--outputs", type=positive_integer, metavar="C", help="output size (required for mlp)"
    )
    parser.add_argument(
        "--depths", required=True, metavar="SET", help="depths such as 5-12, 3,5,8 or 2-4,8"
    )
    parser.add_argument(
        "--max-spread",
        type=typed(Spread.parse),
        default=Spread(),
        metavar="D",
        help="largest max(w) - min(w) within a network, in units or as a percentage of the "
        "depth's uniform width such as 2%% (default 0: equal widths)",
    )
    parser.add_argument(
        "--min-width", type=positive_integer, default=1, metavar="W", help="smallest hidden width"
    )
    parser.add_argument(
        "--max-width", type=positive_integer, metavar="W", help="largest hidden width"
    )
    parser.add_argument(
        "--profile",
        type=typed(Profile.parse),
        default=Profile(),
        metavar="NAME",
        help="the widths' taper: "
        + "; ".join(f"{kind.spelling}: {kind.help}" for kind in PROFILES.values())
        + " (default: rectangle)",
    )
    parser.add_argument(
        "--width-step",
        type=positive_integer,
        metavar="K",
        help="every hidden width a multiple of K, such as 8 or 64 (default: 1; for --model "
        "families, the model's head size)",
    )
    parser.add_argument(
        "--depth-convention",
        choices=DEPTH_CONVENTIONS,
        default="hidden",
        help="what --depths count: hidden layers (default) or linear layers (hidden + 1, as "
        "BUTTER and many papers count)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on the terminal")
    parser.add_argument(
        "--narrow",
        type=integer_at_least_zero,
        default=4,
        metavar="W",
        help="flag networks with a hidden width below W as bottlenecks (default 4; 0: never)",
    )
    parser.add_argument(
        "--plot",
        type=typed(plot_target),
        metavar="FILE",
        help="also draw the family to FILE (.png or .svg; needs the plot extra)",
    )
    add_counting_options(parser)


def family_request(args: argparse.Namespace, under: bool = False) -> FamilyRequest:
    """The request that :func:`add_family_options` read, checked as the library checks it."""
    missing = [f"--{key}" for key in ("inputs", "outputs") if getattr(args, key) is None]
    if missing:
        raise IsoparamError(f"the mlp model needs {' and '.join(missing)}")
    return FamilyRequest.of(
        args.inputs,
        args.outputs,
        args.depths,
        **counting_options(args),
        max_spread=args.max_spread,
        min_width=args.min_width,
        max_width=args.max_width,
        profile=args.profile,
        under=under,
        narrow=args.narrow,
        depth_convention=args.depth_convention,
        width_step=args.width_step or 1,
    )


class ProgressBar:
    """A tqdm bar with an ETA on stderr, made at the first report (when the total is known);
    called as ``bar(done, total)`` by the library's searches."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            # The terminal's width, or 80 columns where it reports none (tqdm draws nothing).
            columns = shutil.get_terminal_size((80, 24)).columns
            self.bar = tqdm(
                total=total,
                initial=done,
                unit=self.unit,
                unit_scale=total > 10**6,
                file=sys.stderr,
                ncols=columns,
                leave=False,
            )
        else:
            self.bar.total = total
            self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@contextmanager
def progress(args: argparse.Namespace, unit: str) -> Iterator[ProgressBar | None]:
    """A progress bar for a long search, only on a terminal and without ``--quiet``."""
    if args.quiet or not sys.stderr.isatty():
        yield None
        return
    bar = ProgressBar(unit)
    try:
        yield bar
    finally:
        bar.close()


def emit(result: object, args: argparse.Namespace) -> None:
    """Print ``result`` in the format the user asked for."""
    sys.stdout.write(render(result, args.format))
