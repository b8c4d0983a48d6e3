"""validate: check everything, print all problems or a one-line summary (and whether the generated files are
up to date: the build's check runs on the same pass, but stale files never make the data invalid)."""

from __future__ import annotations

import argparse
import sys

from ..check.run import Checker, all_stores
from ..problems import FORMATTERS
from ..read import stream
from ..read.corpus import Corpus
from ..repo import Repo
from ..schemas import Schemas
from ..write.build import BuildPass
from .common import add_format_option, print_problems, show_progress

HELP = "check every record against the schemas, the seeds and each other; print all problems or a summary"


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    add_format_option(parser, "workflow commands for pull requests")
    parser.add_argument("--jobs", type=int, help="worker processes (default: every core)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    repo: Repo = args.repo
    schemas = Schemas(repo)
    corpus = Corpus(repo, schemas, all_stores(repo))
    checker = Checker(corpus).start()
    derived = BuildPass(corpus, check=True)
    if checker.readable:
        stream.run(
            corpus, [checker, *derived.consumers()], jobs=args.jobs, label="validate", progress=show_progress(args)
        )
    report = checker.finish()
    if report.problems:
        print_problems(report.problems, args.format)
        print(f"{len(report.problems)} problem(s) found", file=sys.stderr)
        return 1
    stale, _ = derived.finish()
    if stale:
        print_problems(stale, args.format)
        print(
            f"the data is valid, but {len(stale)} generated file(s) are stale: run python -m dataset build",
            file=sys.stderr,
        )
        return 1
    if args.format == "json":
        print(FORMATTERS["json"]([]))
    print(report.summary(), file=sys.stderr if args.format == "json" else sys.stdout)
    return 0
