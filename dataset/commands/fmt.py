"""fmt: rewrite annotation files in canonical order and form; idempotent and lossless."""

from __future__ import annotations

import argparse
import sys

from ..derive.canonical import canonical_file
from ..layers import LAYERS
from ..problems import FORMATTERS, Problem, Sink
from ..read.files import SafeReader, decode
from ..read.jsonl import parse_jsonl
from ..read.revisions import layer_paths
from ..repo import Repo
from ..schemas import Schemas
from ..write.store import transaction

WRITES = True  # holds the repository lock for its whole run (write/lock.py)
HELP = "rewrite annotation files in canonical order and form (idempotent, loses no field); --check only reports"


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.add_argument("--check", action="store_true", help="report files that are not canonical; change nothing")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    repo: Repo = args.repo
    schemas = Schemas(repo)
    reader = SafeReader(repo.root)
    problems: list[Problem] = []
    rewrites = {}
    unread = 0  # files left alone because they do not fully parse
    for layer in LAYERS:
        for path in layer_paths(repo, layer):
            rel = reader.rel(path)
            data, problem = reader.read(path)
            current, undecodable = decode(data, rel) if data is not None else (None, None)
            sink = Sink()
            records = parse_jsonl(current, rel, sink) if current is not None else []
            unreadable = [p for p in (problem, undecodable, *sink.problems()) if p is not None]
            if unreadable:  # never rewrite a file that does not fully parse: that would drop its bad lines
                problems.extend(unreadable)
                unread += 1
                continue
            if current is None:
                continue
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
        if args.check:
            summary = f"{len(rewrites)} file(s) not canonical" + (f"; {unread} file(s) not read" if unread else "")
        elif problems:
            summary = f"{unread} file(s) not read ({len(problems)} problem(s)): they were left as they are"
        else:
            summary = "all files canonical"
        print(summary, file=sys.stderr)
        return 1 if problems else 0
    with transaction(repo, guard=False) as writes:
        writes.update(rewrites)
    for path in rewrites:
        print(f"formatted {repo.rel(path)}")
    return 1 if problems else 0
