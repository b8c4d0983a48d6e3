"""publish: build a Hub-ready folder from the repository, checked to hold exactly its data; optionally upload it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..problems import FORMATTERS, Problem
from ..repo import Repo

WRITES = True  # holds the repository lock for its whole run (write/lock.py)
HELP = (
    "build a Hub-ready folder (one Parquet file per config and split, dataset card, croissant.json, changelog) "
    "from a valid repository; --push uploads it"
)


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.add_argument(
        "--out", required=True, type=Path, help="folder to build (created, or replaced if it holds an earlier build)"
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
        stamp = publish(repo, args.out)
    except PublishError as err:
        print(FORMATTERS["text"](err.problems))
        print(f"not published: {len(err.problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"published version {stamp.version} (commit {stamp.commit}) to {args.out}")
    if args.push:
        try:
            url = push(args.out, args.push, stamp)
        except PushError as err:
            print(FORMATTERS["text"]([Problem(str(args.out), 0, "push", str(err))]), file=sys.stderr)
            return 2
        print(f"pushed to {url}")
    return 0
