"""diff: per layer, which records two git revisions add, remove or change; Markdown for a pull-request comment.

Its output reaches the CI job summary, so every value from the data (ids, texts, changed fields, even the revision
names) is escaped with derive/markdown.py: a record can neither inject HTML or Markdown nor break a line.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..derive.markdown import code, md
from ..layers import LAYERS
from ..read.revisions import RevisionError, layer_records
from ..repo import Repo

HELP = "per layer, the records added, removed or changed between two git revisions (REV2 defaults to the working tree)"


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.add_argument("rev1", help="base revision (e.g. origin/main, HEAD~1)")
    parser.add_argument("rev2", nargs="?", help="head revision (default: the working tree)")
    parser.set_defaults(run=run)


def _short(value: object) -> str:
    """A value as JSON, cut to a readable length, escaped as Markdown text."""
    text = json.dumps(value, ensure_ascii=False)
    return md(text if len(text) <= 60 else text[:59] + "…")


def layer_diff(old: dict[str, dict], new: dict[str, dict]) -> list[str]:
    lines = []
    for key in sorted(new.keys() - old.keys()):
        lines.append(f"- added {code(key)}: {_short(new[key].get('text', new[key].get('name', '')))}")
    for key in sorted(old.keys() - new.keys()):
        lines.append(f"- removed {code(key)}: {_short(old[key].get('text', old[key].get('name', '')))}")
    for key in sorted(old.keys() & new.keys()):
        fields = [f for f in dict.fromkeys([*old[key], *new[key]]) if old[key].get(f) != new[key].get(f)]
        if fields:
            changes = "; ".join(f"{md(f)}: {_short(old[key].get(f))} → {_short(new[key].get(f))}" for f in fields)
            lines.append(f"- changed {code(key)}: {changes}")
    return lines


def run(args: argparse.Namespace) -> int:
    repo: Repo = args.repo
    out = [f"## Annotation changes {md(args.rev1)} → {md(args.rev2) if args.rev2 else 'working tree'}", ""]
    try:
        for layer in LAYERS:
            old = layer_records(repo, layer, args.rev1)
            new = layer_records(repo, layer, args.rev2)
            lines = layer_diff(old, new)
            added = sum(1 for line in lines if line.startswith("- added"))
            removed = sum(1 for line in lines if line.startswith("- removed"))
            out.append(f"### {layer.name}: {added} added, {removed} removed, {len(lines) - added - removed} changed")
            out += [*lines, ""]
    except RevisionError as err:
        print(f"diff: {err}", file=sys.stderr)
        return 2
    print("\n".join(out).rstrip())
    return 0
