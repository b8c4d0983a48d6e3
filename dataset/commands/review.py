"""review: write the verdicts of the report's review mode into the records (review apply FILE)."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from ..repo import Repo
from .common import print_problems, refuse

WRITES = True  # holds the repository lock for its whole run (write/lock.py)
HELP = "apply the verdicts a reviewer downloaded from the report's review mode: reviewed_by, review_status, note"


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    apply = actions.add_parser(
        "apply",
        help="write a verdict file's verdicts into the records (all or none)",
        description=(
            "Write each verdict into its record: reviewed_by (the reviewer, a person's id: person-...), "
            "review_status (accepted or corrected), the corrected fields, and the reason appended to note. "
            "Refused, with nothing written, if any verdict is invalid or its record changed since the report "
            "showed it."
        ),
    )
    apply.add_argument("files", nargs="+", type=Path, metavar="FILE", help="verdict file (JSON Lines) from the report")
    apply.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..report.verdicts import check_verdicts, stage
    from ..write.store import ChangeRejectedError, transaction

    repo: Repo = args.repo
    applier = check_verdicts(repo, args.files)
    if applier.sink.problems():
        return refuse(applier.sink.problems(), "review apply")
    try:
        with transaction(repo) as writes:
            stage(applier, writes)
    except ChangeRejectedError as err:
        print_problems(err.problems)
        print("review apply: the verdicts would make the dataset invalid; nothing was written", file=sys.stderr)
        return 1
    for verdict, target, record in applier.applied:
        what = f"{record['review_status']} {target.layer.name} {verdict.data['id']}"
        print(f"{verdict.path}:{verdict.line}: {what} ({repo.rel(target.path)})")
    counts = Counter(record["review_status"] for _, _, record in applier.applied)
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    print(f"applied {len(applier.applied)} verdict(s): {summary}")
    return 0
