"""build: regenerate the derived files from the seeds and annotations."""

from __future__ import annotations

import argparse

from ..build import build
from ..repo import Repo
from ..store import refuse_if_invalid

WRITES = True  # holds the repository lock for its whole run (dataset.lock)
HELP = "regenerate derived files: annotations/generated/documents.jsonl and the README's YAML header and figures"


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    repo = Repo.find(args.root)
    if refuse_if_invalid(repo, "build"):
        return 1
    changed = build(repo)
    for path in changed:
        print(f"wrote {repo.rel(path)}")
    if not changed:
        print("derived files are up to date")
    return 0
