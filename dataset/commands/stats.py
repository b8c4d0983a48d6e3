"""stats: counts per document and layer, category and type distributions, claims per cluster."""

from __future__ import annotations

import argparse

from ..figures import Tally, cluster_table, distributions, document_table
from ..repo import Repo
from ..store import refuse_if_invalid

HELP = "counts per document and layer, category and type distributions, claims per cluster (Markdown)"


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    repo = Repo.find(args.root)
    if refuse_if_invalid(repo, "stats"):
        return 1
    tally = Tally.of(repo)
    print("\n".join([*document_table(tally), "", *distributions(tally), "", *cluster_table(tally)]))
    return 0
