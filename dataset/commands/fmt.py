"""fmt: rewrite annotation files in canonical order and form; idempotent and lossless."""

from __future__ import annotations

import argparse
import sys

from ..canonical import canonical_file
from ..layer_files import layer_paths
from ..layers import LAYERS
from ..problems import FORMATTERS, Problem
from ..reading import read_jsonl
from ..repo import Repo
from ..schemas import Schemas
from ..store import transaction

WRITES = True  # holds the repository lock for its whole run (dataset.lock)
HELP = "rewrite annotation files in canonical order and form (idempotent, loses no field); --check only reports"


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.add_argument("--check", action="store_true", help="report files that are not canonical; change nothing")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    repo = Repo.find(args.root)
    schemas = Schemas(repo)
    problems: list[Problem] = []
    rewrites = {}
    for layer in LAYERS:
        for path in layer_paths(repo, layer):
            if not path.is_file():
                continue
            rel = repo.rel(path)
            records, unreadable = read_jsonl(path, rel)
            if unreadable:  # never rewrite a file that does not fully parse: that would drop its bad lines
                problems.extend(unreadable)
                continue
            current = path.read_text(encoding="utf-8")
            wanted = canonical_file(layer, [r.data for r in records], schemas)
            if current != wanted:
                rewrites[path] = wanted
                if args.check:
                    problems.append(
                        Problem(rel, 1, "fmt", "file is not in canonical order and form (run: python -m dataset fmt)")
                    )
    if problems:
        print(FORMATTERS["text"](problems))
    if args.check or not rewrites:
        print(f"{len(rewrites)} file(s) not canonical" if args.check else "all files canonical", file=sys.stderr)
        return 1 if problems else 0
    with transaction(repo, guard=False) as writes:
        writes.update(rewrites)
    for path in rewrites:
        print(f"formatted {repo.rel(path)}")
    return 1 if problems else 0
