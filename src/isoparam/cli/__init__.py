"""The command line: a thin layer over the library; library errors become ``error:`` lines.

Exit statuses (docs/cli.md): 0 done; 1 answered, but outside what was asked, or nothing found
in the range searched; 2 a mistake in the request; 3 an internal error (a bug: the message
asks for a report, ``--debug`` shows the traceback); 130 interrupted.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

from isoparam._version import __version__
from isoparam.cli import budget, family, params, shapes, study
from isoparam.cli.options import Parser
from isoparam.errors import IsoparamError, NotFound

DONE, OUTSIDE, MISUSE, INTERNAL, INTERRUPTED = 0, 1, 2, 3, 130
"""The documented exit statuses."""

ISSUES = "https://github.com/isoparam/isoparam/issues"


def build_parser() -> Parser:
    parser = Parser(
        prog="isoparam",
        description="Design neural-network families with equal parameter counts across depths.",
        epilog="exit status: 0 done; 1 outside what was asked or nothing found in the range; "
        "2 a mistake in the request; 3 an internal error; 130 interrupted",
    )
    parser.add_argument("--version", action="version", version=f"isoparam {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an internal error"
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for command in (params, family, budget, shapes, study):
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (see the module docstring)."""
    words = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in words  # anywhere on the line, before or after the command
    try:
        args = build_parser().parse_args([word for word in words if word != "--debug"])
        return int(args.run(args))
    except NotFound as error:
        print(f"error: {error}", file=sys.stderr)
        return OUTSIDE
    except IsoparamError as error:
        print(f"error: {error}", file=sys.stderr)
        return MISUSE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return INTERRUPTED
    except SystemExit as stop:  # argparse: --help, --version, or a usage error (status 2)
        return stop.code if isinstance(stop.code, int) else MISUSE
    except BrokenPipeError:
        # The reader (say `| head`) went away; stay quiet as other Unix tools do.
        sys.stderr.close()
        return DONE
    except OSError as error:  # the output could not be written (a full disk, say)
        print(f"error: cannot write the output: {error.strerror or error}", file=sys.stderr)
        return MISUSE
    except MemoryError:
        print("error: out of memory; ask for a smaller search", file=sys.stderr)
        return INTERNAL
    except Exception as error:
        # The one place that catches everything: a bug becomes a short message, not a
        # traceback, unless --debug asks for it.
        if debug:
            traceback.print_exc()
        print(
            f"internal error: {type(error).__name__}: {error}\n"
            f"this is a bug in isoparam {__version__}; please report it at {ISSUES} "
            "(run again with --debug for the traceback)",
            file=sys.stderr,
        )
        return INTERNAL
