"""build: regenerate the derived files from the seeds and annotations (--check: only say which are stale)."""

from __future__ import annotations

import argparse

from ..repo import Repo
from ..write.build import build
from .common import print_problems, refuse, show_progress

WRITES = True  # holds the repository lock for its whole run (write/lock.py)
HELP = (
    "regenerate derived files: annotations/generated/documents.jsonl and the README's YAML header and generated "
    "blocks; --check only reports the stale ones"
)


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.add_argument("--check", action="store_true", help="report generated files that are stale; change nothing")
    parser.add_argument("--jobs", type=int, help="worker processes (default: every core)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    repo: Repo = args.repo
    problems, changed = build(repo, check=args.check, jobs=args.jobs, progress=show_progress(args))
    if args.check:
        print_problems(problems)
        print(f"{len(problems)} generated file(s) stale" if problems else "derived files are up to date")
        return 1 if problems else 0
    if problems:
        return refuse(problems, "build")
    for path in changed:
        print(f"wrote {repo.rel(path)}")
    if not changed:
        print("derived files are up to date")
    return 0
