"""export-tool: an annotation tool's project configuration and documents, generated from the schemas and data."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from ..problems import Problem
from ..repo import Repo
from ..tools import EXTRA, TOOLS
from .common import print_problems, refuse, show_progress

WRITES = True  # reads a consistent repository: holds the lock (write/lock.py) while it reads
HELP = (
    "write a folder an annotation tool imports: its project configuration (generated from the schemas) and one "
    "file per document, optionally with another annotation of the same seeds as pre-annotations"
)


def tool_help() -> str:
    """The tools and what each gets, for the --help of both tool commands."""
    lines = [f"  {name:<12} {description}" for name, description in TOOLS.items()]
    return "tools:\n" + "\n".join(lines) + f"\n\nThe converters need the optional [{EXTRA}] dependencies."


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter  # the tool list keeps its lines
    parser.description = textwrap.fill(HELP, 100)
    parser.epilog = tool_help() + " Setting up each tool: CONTRIBUTING.md, 'Annotate in a tool'."
    parser.add_argument("tool", choices=list(TOOLS), help="the annotation tool")
    parser.add_argument(
        "--out",
        required=True,
        type=Path,
        help="folder to write (created, or replaced whole if an earlier export-tool run made it; never another)",
    )
    parser.add_argument(
        "--doc",
        action="append",
        metavar="DOC_ID",
        help="export only this document (repeat for several; default: every document)",
    )
    parser.add_argument(
        "--suggestions",
        type=Path,
        metavar="PRED_DIR",
        help="a folder laid out like annotations/ (a baseline's predictions, or a stored pass such as "
        "annotations/review/first-pass) whose records the tool shows as pre-annotations to accept or reject",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..tools import MissingExtraError
    from ..write.tools import export_tool

    repo: Repo = args.repo
    try:
        problems, written = export_tool(
            repo, args.tool, args.out, docs=args.doc, suggestions=args.suggestions, progress=show_progress(args)
        )
    except MissingExtraError as err:
        print(Problem(".", 0, "tool-extra", str(err)).text(), file=sys.stderr)
        return 2
    if problems and all(p.rule == "usage" for p in problems):
        print_problems(problems, stream=sys.stderr)
        return 2
    if problems:
        return refuse(problems, "export-tool")
    print(f"wrote the {args.tool} project configuration and {len(written)} document(s) to {args.out}")
    print(f"next: see CONTRIBUTING.md, 'Annotate in a tool', then: python -m dataset import-tool {args.tool} DIR")
    return 0
