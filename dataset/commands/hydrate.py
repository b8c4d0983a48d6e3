"""hydrate: a text-free build plus your own copies of the articles gives the full build's data back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..problems import FORMATTERS
from ..repo import Repo
from .common import show_progress

NEEDS_REPOSITORY = False  # works on a downloaded build alone (the folder describes itself: hydrate.json)
HELP = (
    "restore the texts of a text-free build (publish --without-texts) from your own copies of the articles "
    "(named <doc_id>.txt, or found by SHA-256), refusing any whose digest differs"
)


def register(parser: argparse.ArgumentParser, repo: Repo | None) -> None:
    parser.add_argument("folder", type=Path, help="the text-free build (a folder with hydrate.json)")
    parser.add_argument(
        "--texts", required=True, type=Path, help="folder with your copies of the articles (searched recursively)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="folder to write the full build to (created, or replaced if it holds an earlier build); default: "
        "in place of FOLDER, if publish built it",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..hub.hydrate import HydrateError, hydrate

    try:
        done = hydrate(args.folder, args.texts, args.out, progress=show_progress(args))
    except HydrateError as err:
        print(FORMATTERS["text"](err.problems))
        print(f"not hydrated: {len(err.problems)} problem(s); nothing was written", file=sys.stderr)
        return 1
    rows = sum(done.rows.values())
    out = args.out or args.folder
    print(f"hydrated version {done.version} (commit {done.commit}): {done.documents} texts, {rows} rows, to {out}")
    return 0
