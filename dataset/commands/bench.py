"""bench: how the commands scale with the corpus, against the time it takes just to parse it (a benchmark that
reports figures; the tests never time anything)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..repo import Repo
from .common import show_progress

HELP = (
    "generate corpora of N span records and report, per size, validate against json.loads of the same files, and "
    "build, report and publish: seconds, records/s and peak memory"
)
STEPS = ("build", "validate", "report", "publish")


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.add_argument(
        "--records",
        type=int,
        nargs="+",
        default=[10_000, 100_000, 1_000_000],
        metavar="N",
        help="corpus sizes, in span records (default: 10000 100000 1000000)",
    )
    parser.add_argument(
        "--scenario",
        nargs="+",
        default=["copies"],
        metavar="NAME",
        help="how the corpora are made (default: copies, the real documents under new ids); a group name (hostile) "
        "selects its members; see --list-scenarios",
    )
    parser.add_argument("--list-scenarios", action="store_true", help="print the scenarios and stop")
    parser.add_argument(
        "--steps",
        nargs="+",
        choices=STEPS,
        default=list(STEPS),
        help="the commands to time (build always runs first: validate compares the files it generates)",
    )
    parser.add_argument(
        "--timeout", type=float, default=1800, metavar="SECONDS", help="stop a command after this long (default 1800)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="N", help="run each measurement N times and report the median run"
    )
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="write the corpora into DIR/<scenario>-<N> and leave them there"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..benchmark.run import bench
    from ..benchmark.scenario import load_scenarios, select
    from ..benchmark.table import render
    from ..problems import Problem

    if args.list_scenarios:
        for scenario in load_scenarios().values():
            size = "at its own size" if scenario.fixed else "sized by --records"
            print(f"{scenario.name}: {scenario.description} ({size})")
        return 0
    scenarios, unknown = select(args.scenario)
    if unknown:
        message = f"no benchmark scenario {', '.join(map(repr, unknown))}"
        print(Problem(".", 0, "usage", message, ", ".join(load_scenarios()), " ".join(unknown)).text(), file=sys.stderr)
        return 2
    if args.repeat < 1:
        print(Problem(".", 0, "usage", "--repeat must be positive", "N >= 1", str(args.repeat)).text(), file=sys.stderr)
        return 2
    if any(size < 1 for size in args.records):
        print(
            Problem(".", 0, "usage", "sizes must be positive", "N >= 1", str(min(args.records))).text(), file=sys.stderr
        )
        return 2
    rows = list(
        bench(
            args.repo,
            scenarios,
            args.records,
            args.steps,
            timeout=args.timeout,
            progress=show_progress(args),
            keep=args.keep,
            repeat=args.repeat,
        )
    )
    print(render(rows))
    return 0
