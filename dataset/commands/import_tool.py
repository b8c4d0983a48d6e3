"""import-tool: an annotation tool's export read back into the annotation files, validated as one change."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from ..problems import Problem
from ..repo import Repo
from ..tools import TOOLS
from .common import refuse
from .export_tool import tool_help

WRITES = True  # holds the repository lock for its whole run (write/lock.py)
HELP = (
    "read an annotation tool's export back into the annotation files: spans checked against the pinned seeds, "
    "unchanged records keep their ids, new ones get ids and provenance; refused whole if it would not validate"
)


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter  # the tool list keeps its lines
    parser.description = textwrap.fill(HELP, 100)
    parser.epilog = tool_help() + " Exporting from each tool: CONTRIBUTING.md, 'Annotate in a tool'."
    parser.add_argument("tool", choices=list(TOOLS), help="the annotation tool the export comes from")
    parser.add_argument(
        "dir",
        type=Path,
        metavar="DIR",
        help="folder holding the tool's export (unzipped), with files or folders named after the documents",
    )
    parser.add_argument(
        "--user",
        metavar="ID",
        help="agent id of the annotator, recorded as annotated_by of the records the tool added or changed "
        "(INCEpTION exports name their user; the other tools do not)",
    )
    parser.add_argument(
        "--reviewer",
        metavar="ID",
        help="agent id of the reviewer, for a curated export (INCEpTION curation, a Label Studio review)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..tools import MissingExtraError
    from ..write.tools import import_tool

    repo: Repo = args.repo
    try:
        problems, result = import_tool(repo, args.tool, args.dir, user=args.user, reviewer=args.reviewer)
    except MissingExtraError as err:
        print(Problem(".", 0, "tool-extra", str(err)).text(), file=sys.stderr)
        return 2
    if problems:
        return refuse(problems, "import-tool")
    if not result.writes:
        print("nothing changed: the export holds the records the repository has")
        return 0
    for path, ids in result.ids.items():
        counts = ", ".join(f"{len(v)} {k}" for k, v in ids.items() if v)
        print(f"{repo.rel(path)}: {counts or 'rewritten'}")
    print("changed records get new ids; review with: python -m dataset diff HEAD")
    return 0
