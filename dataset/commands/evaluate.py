"""evaluate: check a prediction folder as a contribution is checked, then score it with bootstrap intervals."""

from __future__ import annotations

import argparse
import sys

from ..evaluate.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED
from ..evaluate.tasks import TASKS
from ..repo import Repo
from .common import print_problems, show_progress

HELP = "check a prediction folder, then score it on every task it covers with 95% bootstrap intervals"
OUTPUTS = ("text", "json", "markdown")


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    from ..evaluate import docs

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = docs.plain()
    parser.add_argument("--pred", required=True, metavar="DIR", help="the prediction folder (format below)")
    parser.add_argument(
        "--tasks",
        nargs="+",
        choices=list(TASKS),
        metavar="TASK",
        help=f"score only these ({', '.join(TASKS)}); default: the folder's system.jsonl tasks, else every task "
        "its layers cover",
    )
    parser.add_argument(
        "--format", choices=OUTPUTS, default="text", help="text (default), json, or markdown (tables per task)"
    )
    parser.add_argument(
        "--resamples", type=int, default=DEFAULT_RESAMPLES, help=f"bootstrap resamples (default {DEFAULT_RESAMPLES})"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"bootstrap seed (default {DEFAULT_SEED})")
    parser.add_argument("--jobs", type=int, help="worker processes for reading (default: every core)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..evaluate import PredictionError, evaluate
    from ..evaluate.report import FORMATS
    from ..problems import Problem

    if args.resamples < 1:
        print(Problem(".", 0, "usage", "--resamples must be at least 1").text(), file=sys.stderr)
        return 2
    try:
        results = evaluate(
            args.repo,
            args.pred,
            args.tasks,
            args.resamples,
            args.seed,
            jobs=args.jobs,
            progress=show_progress(args),
        )
    except PredictionError as err:
        print_problems(err.problems, "json" if args.format == "json" else "text")
        print(f"evaluate: {len(err.problems)} problem(s); nothing was scored", file=sys.stderr)
        return 1
    print(FORMATS[args.format](results))
    return 0
