"""bench: how validation scales with the corpus (a benchmark that reports figures; the tests never time anything)."""

from __future__ import annotations

import argparse

from ..benchmark import measure
from ..repo import Repo

HELP = "validate synthetic corpora (the real one copied N times) and report seconds and peak memory per size"


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.add_argument(
        "--scale", type=int, nargs="+", default=[1, 10, 100], help="copies of the corpus (default: 1 10 100)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    repo: Repo = args.repo
    print("| copies | documents | span records | validate (s) | peak memory (MiB) |")
    print("|---|---|---|---|---|")
    for scale in sorted(args.scale):
        m = measure(repo, scale)
        print(f"| {m.scale} | {m.documents} | {m.records} | {m.seconds:.1f} | {m.peak_mib:.0f} |", flush=True)
    return 0
