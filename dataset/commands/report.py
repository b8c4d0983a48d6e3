"""report: write a static HTML site that shows the annotations on the texts, for reviewers and users."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..problems import Problem, format_text
from ..read.revisions import RevisionError
from ..repo import Repo
from .common import show_progress

WRITES = True  # holds the repository lock for its whole run (write/lock.py)
HELP = (
    "write a self-contained review report (HTML, no network): statistics, every document with its layers drawn "
    "on the text, the clusters by outlet, and a review mode whose verdicts `review apply` writes into the records"
)


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.add_argument("--out", required=True, type=Path, help="directory to write the site into (index.html)")
    parser.add_argument(
        "--changed-since",
        metavar="REV",
        help="mark the records added or changed since this git revision (e.g. origin/main), read with git show",
    )
    parser.add_argument(
        "--no-lint", action="store_true", help="do not run the lint (its warnings are a filter of the review mode)"
    )
    parser.add_argument("--jobs", type=int, help="worker processes (default: every core)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..loading import InvalidDatasetError
    from ..report import write_report

    repo: Repo = args.repo
    try:
        written = write_report(
            repo, args.out, args.changed_since, jobs=args.jobs, progress=show_progress(args), lint=not args.no_lint
        )
    except InvalidDatasetError as err:
        print(err)
        print("report not written: the dataset does not validate", file=sys.stderr)
        return 1
    except RevisionError as err:
        problem = Problem(".", 0, "changed-since", str(err))
        print(format_text([problem]), file=sys.stderr)
        return 2
    pages = sum(1 for path in written if path.suffix == ".html")
    print(f"wrote {pages} pages to {args.out / 'index.html'}")
    return 0
