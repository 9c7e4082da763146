"""``isoparam study``: train every member of a family over seeds, with a fair rate per depth."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from isoparam.cli.options import ProgressBar, positive_integer, typed
from isoparam.errors import IsoparamError
from isoparam.families.mlp import NORMS
from isoparam.families.models import parse_model_arg
from isoparam.integrations import plot_target

FORMATS = ("table", "json", "csv")

# Options that define the study (recorded in request.json); None means "not given", so that
# --resume can refuse them and a fresh study can fill in the defaults.
DEFAULTS: dict[str, Any] = {
    "data": "digits",
    "labels": "true",
    "seeds": 5,
    "lr": "3e-4,1e-3,3e-3,1e-2",
    "epochs": 200,
    "patience": 30,
    "batch_size": 128,
    "batched": False,
    "bias": True,
    "norm": "none",
    "max_spread": "0",
    "profile": "rectangle",
    "min_width": 1,
    "max_width": None,
    "model": "mlp",
    "model_arg": (),
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "study",
        help="train every member of a family over seeds, with a fair learning rate per depth",
        description=(
            "Train each depth of an iso-parameter MLP family on a data set over several seeds, "
            "choose the learning rate per depth on validation accuracy, and report test "
            "accuracy with 95% intervals. Needs the study extra: pip install -e '.[study]'."
        ),
    )
    study = parser.add_argument_group("the study (recorded in OUT/request.json)")
    study.add_argument(
        "--data",
        metavar="NAME|FILE",
        help="digits (default), iris, mnist1d (needs the mnist1d extra), or a .npz file with "
        "arrays x, y and optionally split (train/val/test or 0/1/2 per example)",
    )
    study.add_argument("--params", type=positive_integer, metavar="P", help="the budget")
    study.add_argument("--depths", metavar="SET", help="depths such as 1-12, 1,3,6 or 1-4,8")
    study.add_argument(
        "--seeds", type=positive_integer, metavar="N", help="seeds 0..N-1 (default 5)"
    )
    study.add_argument(
        "--lr", metavar="LIST", help="learning rates to choose from (default 3e-4,1e-3,3e-3,1e-2)"
    )
    study.add_argument(
        "--epochs", type=positive_integer, metavar="N", help="most epochs (default 200)"
    )
    study.add_argument(
        "--patience",
        type=positive_integer,
        metavar="N",
        help="stop after N epochs without a better validation accuracy (default 30)",
    )
    study.add_argument(
        "--batch-size", type=positive_integer, metavar="N", help="mini-batch size (default 128)"
    )
    study.add_argument(
        "--labels",
        choices=("true", "random"),
        help="random: fit labels drawn at random, to measure memorisation (default true)",
    )
    study.add_argument(
        "--batched",
        action="store_const",
        const=True,
        help="train the seeds of each depth and rate as one model with stacked weights "
        "(less CPU; numbers close to, but not bit-identical with, the default loop)",
    )
    family = parser.add_argument_group("the family (as in isoparam family)")
    family.add_argument(
        "--model",
        metavar="NAME",
        help="mlp (default), resmlp, or MODULE:FUNCTION taking inputs and outputs keyword "
        "arguments: a model mapping (batch, inputs) to (batch, classes)",
    )
    family.add_argument(
        "--model-arg",
        action="append",
        type=typed(parse_model_arg),
        metavar="KEY=VALUE",
        help="a model argument (repeatable), such as expansion=2 for resmlp",
    )
    family.add_argument("--max-spread", metavar="D", help="max(w) - min(w), units or 2%%")
    family.add_argument(
        "--min-width", type=positive_integer, metavar="W", help="smallest hidden width"
    )
    family.add_argument(
        "--max-width", type=positive_integer, metavar="W", help="largest hidden width"
    )
    family.add_argument("--profile", metavar="NAME", help="rectangle (default), trapezoid:R, ...")
    family.add_argument(
        "--no-bias",
        dest="bias",
        action="store_const",
        const=False,
        help="linear layers without biases",
    )
    family.add_argument(
        "--norm", choices=NORMS, help="a norm after every hidden layer (default: none)"
    )
    run = parser.add_argument_group("running and output")
    run.add_argument("--out", metavar="DIR", help="write runs.csv, summary.csv to DIR; rerun "
                     "with the same DIR to skip finished trials")  # fmt: skip
    run.add_argument("--resume", metavar="DIR", help="continue the study recorded in DIR")
    run.add_argument(
        "--workers", type=positive_integer, default=1, metavar="N", help="parallel trials"
    )
    run.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="local processes (--workers) or Ray tasks (default: local)",
    )
    run.add_argument(
        "--address", metavar="auto|HOST:PORT", help="an existing Ray cluster (--engine ray)"
    )
    run.add_argument(
        "--plot",
        type=typed(plot_target),
        metavar="FILE",
        help="draw accuracy against depth to FILE (.png or .svg)",
    )
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.add_argument("--format", choices=FORMATS, default="table", help="(default: table)")
    parser.set_defaults(run=run_command)


def _rates(text: str) -> tuple[float, ...]:
    try:
        return tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise IsoparamError(f"--lr must be numbers separated by commas, got {text!r}") from None


def _request(args: argparse.Namespace) -> Any:
    from isoparam.study import make_request, read_request

    given = [name for name in DEFAULTS if getattr(args, name) is not None]
    if args.resume:
        if args.out or given or args.params is not None or args.depths is not None:
            options = ["--out" if args.out else "", *(f"--{n.replace('_', '-')}" for n in given)]
            if args.params is not None:
                options.append("--params")
            if args.depths is not None:
                options.append("--depths")
            raise IsoparamError(
                f"--resume takes the study from its directory; drop "
                f"{', '.join(o for o in options if o)}"
            )
        return read_request(args.resume)
    if args.params is None or args.depths is None:
        raise IsoparamError("a study needs --params and --depths (or --resume DIR)")
    values = {name: DEFAULTS[name] if getattr(args, name) is None else getattr(args, name)
              for name in DEFAULTS}  # fmt: skip
    return make_request(
        params=args.params,
        depths=args.depths,
        data=values["data"],
        labels=values["labels"],
        seeds=values["seeds"],
        lrs=_rates(values["lr"]),
        epochs=values["epochs"],
        patience=values["patience"],
        batch_size=values["batch_size"],
        batched=values["batched"],
        bias=values["bias"],
        norm=values["norm"],
        max_spread=values["max_spread"],
        profile=values["profile"],
        min_width=values["min_width"],
        max_width=values["max_width"],
        model=values["model"],
        model_args=dict(values["model_arg"]),
    )


def run_command(args: argparse.Namespace) -> int:
    from isoparam.study import plot, run_study, to_csv, to_json, to_table

    request = _request(args)
    # Progress only on a terminal and without --quiet.
    bar = None if args.quiet or not sys.stderr.isatty() else ProgressBar("trial")
    out = args.resume or args.out
    try:
        result = run_study(
            request,
            out,
            engine=args.engine,
            workers=args.workers,
            address=args.address,
            progress=bar,
        )
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
        if out:
            note = f"finished trials are in {out}; continue with: isoparam study --resume {out}"
        else:
            note = "nothing was recorded (no --out)"
        print(f"interrupted: {note}", file=sys.stderr)
        return 130
    finally:
        if bar is not None:
            bar.close()
    for warning in result.summary.warnings():
        print(f"warning: {warning}", file=sys.stderr)
    if args.plot:
        plot(result.summary, args.plot)
    if args.format == "json":
        sys.stdout.write(json.dumps(to_json(result.summary), indent=2) + "\n")
    elif args.format == "csv":
        sys.stdout.write(to_csv(result.summary))
    else:
        sys.stdout.write(to_table(result.summary))
    return 0
