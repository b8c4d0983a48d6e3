"""build: regenerate the derived files from the seeds and annotations."""

from __future__ import annotations

import argparse
import sys

from ..build import build
from ..problems import FORMATTERS
from ..repo import Repo
from ..validate import validate

HELP = "regenerate derived files: annotations/generated/documents.jsonl and the README's YAML header and figures"
DERIVED_RULES = frozenset({"generated-stale", "card-stale"})


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    repo = Repo.find(args.root)
    blocking = [p for p in validate(repo).problems if p.rule not in DERIVED_RULES]
    if blocking:
        print(FORMATTERS["text"](blocking))
        print(f"not built: {len(blocking)} problem(s) to fix first", file=sys.stderr)
        return 1
    changed = build(repo)
    for path in changed:
        print(f"wrote {repo.rel(path)}")
    if not changed:
        print("derived files are up to date")
    return 0
