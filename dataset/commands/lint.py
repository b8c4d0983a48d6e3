"""lint: quality warnings a machine can check, apart from the validator's errors, with their waivers.

Exit code: 0 when lint ran, whatever it found (warnings are advice, so CI shows them without failing); 1 with
--strict when a warning no waiver hides remains; 1 when the data does not validate (nothing is linted: run
validate) or the waivers file is broken (its problems are printed as errors); 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from ..problems import Problem, format_github
from ..repo import Repo
from .common import add_format_option, print_problems, show_progress

HELP = "print quality warnings (path:line: rule-id: message); never fails unless --strict; see dataset/rules.py"


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    add_format_option(parser, "warning annotations on a pull request")
    parser.add_argument("--all", action="store_true", help="also print the waived warnings, marked as waived")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any warning is not waived")
    parser.add_argument("--jobs", type=int, help="worker processes (default: every core)")
    parser.set_defaults(run=run)


def _waived_text(problem: Problem, waiver) -> str:
    return f"{problem.text()} [waived by {waiver.waived_by}: {waiver.justification}]"


def _json(report, show_all: bool) -> str:
    rows = [
        {**asdict(w.problem), "record_id": w.record_id, "digest": w.digest, "waived": None} for w in report.unwaived
    ]
    if show_all:
        rows += [
            {
                **asdict(v.warning.problem),
                "record_id": v.warning.record_id,
                "digest": v.warning.digest,
                "waived": {"waived_by": v.waiver.waived_by, "justification": v.waiver.justification},
            }
            for v in report.waived
        ]
    rows.sort(key=lambda row: (row["path"], row["line"], row["rule"], row["message"]))
    return json.dumps(rows, ensure_ascii=False, indent=2)


def run(args: argparse.Namespace) -> int:
    from ..lint import LintRefusedError
    from ..lint import run as lint_run
    from ..lint.run import place

    try:
        report = lint_run(args.repo, jobs=args.jobs, progress=show_progress(args))
    except LintRefusedError as err:
        print_problems(err.problems, stream=sys.stderr)
        print(
            f"lint: the data does not validate ({len(err.problems)} problem(s)); nothing was linted: "
            "fix what python -m dataset validate prints first",
            file=sys.stderr,
        )
        return 1
    shown = [w.problem for w in report.unwaived]
    if args.format == "json":
        print_problems(report.errors, stream=sys.stderr)  # stdout stays one JSON document
        print(_json(report, args.all))
    elif args.format == "github":
        blocks = [format_github(report.errors), format_github(shown, "warning")]
        if args.all:
            blocks.append(format_github([v.warning.problem for v in report.waived], "notice"))
        for block in blocks:
            if block:
                print(block)
    else:
        print_problems(report.errors)
        lines = [(p, p.text()) for p in shown]
        if args.all:
            lines += [(v.warning.problem, _waived_text(v.warning.problem, v.waiver)) for v in report.waived]
        for _, line in sorted(lines, key=lambda pair: place(pair[0])):
            print(line)
    records = len({w.record_id for w in report.unwaived})
    summary = f"lint: {len(shown)} warning(s) on {records} record(s), {len(report.waived)} waived"
    if report.errors:
        summary += f"; {len(report.errors)} problem(s) in the waivers file, so some waivers were not applied"
    print(summary, file=sys.stderr)
    if report.errors:
        return 1
    return 1 if args.strict and shown else 0
