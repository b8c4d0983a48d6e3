"""validate: check everything, print all problems or a one-line summary."""

from __future__ import annotations

import argparse
import sys

from ..problems import FORMATTERS
from ..repo import Repo
from ..validate import validate

HELP = "check every record against the schemas, the seeds and each other; print all problems or a summary"


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.add_argument(
        "--format",
        choices=sorted(FORMATTERS),
        default="text",
        help="text (path:line: rule: message), github (workflow commands for pull requests) or json",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    report = validate(Repo.find(args.root))
    if report.problems:
        print(FORMATTERS[args.format](report.problems))
        print(f"{len(report.problems)} problem(s) found", file=sys.stderr)
        return 1
    if args.format == "json":
        print(FORMATTERS["json"]([]))
    print(report.summary(), file=sys.stderr if args.format == "json" else sys.stdout)
    return 0
