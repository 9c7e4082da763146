"""The command line: a thin layer over the library; library errors become ``error:`` lines."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from isoparam._version import __version__
from isoparam.cli import budget, family, params, shapes, study
from isoparam.cli.options import Parser
from isoparam.errors import IsoparamError, NotFound


def build_parser() -> Parser:
    parser = Parser(
        prog="isoparam",
        description="Design neural-network families with equal parameter counts across depths.",
    )
    parser.add_argument("--version", action="version", version=f"isoparam {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for command in (params, family, budget, shapes, study):
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 not found or off-band, 2 misuse)."""
    args = build_parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except NotFound as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except IsoparamError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (say `| head`) went away; stay quiet as other Unix tools do.
        sys.stderr.close()
        return 0
    return status
