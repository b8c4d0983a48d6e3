"""waive: accept one lint warning for one record, with a written justification (annotations/waivers.jsonl).

The waiver records the digest of what the warning judged, so it lapses (and lint says so) when the record
changes. Waiving again replaces the earlier waiver of the same rule and record, e.g. after a change that keeps
the reason valid. Refused when no such warning fires, when the justification is no reason, or when the waivers
file is broken.
"""

from __future__ import annotations

import argparse
import sys

from ..problems import Problem
from ..repo import Repo
from .common import refuse

WRITES = True  # holds the repository lock for its whole run (write/lock.py)
HELP = "waive one lint warning for one record, with a justification a reviewer can check"


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.add_argument("rule", help="the warning's rule id (as lint prints it)")
    parser.add_argument("record_id", help="the id of the record the warning is printed at")
    parser.add_argument(
        "--justification", required=True, help="why the record is right as it is (cite the text and the guidelines)"
    )
    parser.add_argument("--by", required=True, dest="waived_by", help="your agent id (as in annotated_by)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..lint import LintRefusedError
    from ..lint import run as lint_run
    from ..lint.waivers import checker, read_waivers, unjustified, waivers_file
    from ..read.jsonl import Record
    from ..rules import WARNINGS
    from ..schemas import Schemas
    from ..write.files import atomic_write

    repo: Repo = args.repo
    where = repo.rel(repo.waivers)
    if args.rule not in WARNINGS:
        return refuse([Problem(where, 0, "waive", "no such lint rule", "a rule id of WARNINGS", args.rule)], "waive")
    reason = unjustified(args.justification)
    if reason is not None:
        problem = Problem(where, 0, "waive", f"the justification is {reason}", "a reason a reviewer can check", "")
        return refuse([problem], "waive")
    try:
        report = lint_run(repo)
    except LintRefusedError as err:
        return refuse(err.problems, "waive")
    if report.errors:
        return refuse(report.errors, "waive")
    matching = [
        v.warning for v in report.verdicts if (v.warning.rule, v.warning.record_id) == (args.rule, args.record_id)
    ]
    if not matching:
        message = f"lint prints no {args.rule} warning for {args.record_id}: nothing to waive"
        return refuse([Problem(where, 0, "waive", message, "a warning lint prints", "none")], "waive")
    schemas = Schemas(repo)
    waivers, _ = read_waivers(repo, schemas)
    new = {
        "rule": args.rule,
        "record_id": args.record_id,
        "digest": matching[0].digest,
        "justification": args.justification.strip(),
        "waived_by": args.waived_by,
    }
    shape = checker(schemas)
    findings = shape.check(Record(where, 0, new)) if shape is not None else []
    if shape is None or findings:
        found = "; ".join(f.message for f in findings) or "no usable schema/waivers.schema.json"
        return refuse(
            [Problem(where, 0, "waive", "the waiver does not match its schema", "a valid waiver", found)], "waive"
        )
    kept = [
        {"rule": w.rule, "record_id": w.record_id, "digest": w.digest, "justification": w.justification,
         "waived_by": w.waived_by}
        for w in waivers
        if (w.rule, w.record_id) != (args.rule, args.record_id)
    ]  # fmt: skip
    atomic_write(repo.waivers, waivers_file([*kept, new]))
    replaced = len(kept) < len(waivers)
    print(f"{'re-waived' if replaced else 'waived'} {args.rule} for {args.record_id} in {where}", file=sys.stderr)
    return 0
