"""Command line: python -m dataset <command>."""

from __future__ import annotations

import argparse
import os
import sys

from .build import build
from .problems import FORMATTERS
from .repo import Repo
from .validate import validate


def _validate(args: argparse.Namespace) -> int:
    report = validate(Repo.find(args.root))
    if report.problems:
        print(FORMATTERS[args.format](report.problems))
        print(f"{len(report.problems)} problem(s) found", file=sys.stderr)
        return 1
    if args.format == "json":
        print(FORMATTERS["json"]([]))
    print(report.summary(), file=sys.stderr if args.format == "json" else sys.stdout)
    return 0


DERIVED_RULES = frozenset({"generated-stale", "card-stale"})


def _build(args: argparse.Namespace) -> int:
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


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m dataset", description="Validate and build the Kursk claims dataset.")
    main.add_argument(
        "--root", help="repository root (default: the clone this package is in, else the working directory)"
    )
    commands = main.add_subparsers(dest="command", required=True)
    validate_cmd = commands.add_parser(
        "validate",
        help="check every record against the schemas, the seeds and each other; print all problems or a summary",
    )
    validate_cmd.add_argument(
        "--format",
        choices=sorted(FORMATTERS),
        default="text",
        help="text (path:line: rule: message), github (workflow commands) or json",
    )
    validate_cmd.set_defaults(run=_validate)
    build_cmd = commands.add_parser(
        "build", help="regenerate derived files: annotations/generated/documents.jsonl and the README's YAML header"
    )
    build_cmd.set_defaults(run=_build)
    return main


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except OSError as err:
        print(f"{getattr(err, 'filename', '') or '.'}:0: io: {err.strerror or err}", file=sys.stderr)
        return 2
