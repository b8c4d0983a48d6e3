"""publish: build a Hub-ready folder from the repository, checked to hold exactly its data; optionally upload it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..problems import FORMATTERS, Problem
from ..repo import Repo
from .common import show_progress

WRITES = True  # holds the repository lock for its whole run (write/lock.py)
HELP = (
    "build a Hub-ready folder (one Parquet file per config and split, dataset card, croissant.json, changelog) "
    "from a valid repository; --without-texts leaves the article texts out; --push uploads it"
)


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.add_argument(
        "--out", required=True, type=Path, help="folder to build (created, or replaced if it holds an earlier build)"
    )
    parser.add_argument(
        "--without-texts",
        action="store_true",
        help="a text-free build: no article text, no span text, no quotes in the card; users restore the texts "
        "from their own copies with `python -m dataset hydrate`",
    )
    parser.add_argument(
        "--require-reviewed",
        action="store_true",
        help="refuse (publish-unreviewed) if any record's review_status is still 'unreviewed'",
    )
    parser.add_argument(
        "--push",
        metavar="REPO_ID",
        help="then upload the folder to this Hugging Face dataset repository (needs the network and a token)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..hub.publish import PublishError, PushError, publish, push

    repo: Repo = args.repo
    try:
        built = publish(
            repo,
            args.out,
            text_free=args.without_texts,
            require_reviewed=args.require_reviewed,
            progress=show_progress(args),
        )
    except PublishError as err:
        print(FORMATTERS["text"](err.problems))
        print(f"not published: {len(err.problems)} problem(s)", file=sys.stderr)
        return 1
    kind = "a text-free build of " if built.text_free else ""
    print(f"published {kind}version {built.stamp.version} (commit {built.stamp.commit}) to {args.out}")
    print(built.review_summary())
    if args.push:
        try:
            url = push(args.out, args.push, built.stamp)
        except PushError as err:
            print(FORMATTERS["text"]([Problem(str(args.out), 0, "push", str(err))]), file=sys.stderr)
            return 2
        print(f"pushed to {url}")
    return 0
