"""stats: counts per document and layer, category and type distributions, claims per cluster."""

from __future__ import annotations

import argparse

from ..check.run import Checker
from ..derive.figures import cluster_table, distributions, document_table
from ..derive.tally import Tally
from ..read import stream
from ..read.corpus import Corpus
from ..repo import Repo
from ..schemas import Schemas
from .common import refuse, show_progress

HELP = "counts per document and layer, category and type distributions, claims per cluster (Markdown)"


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    repo: Repo = args.repo
    schemas = Schemas(repo)
    corpus = Corpus(repo, schemas)
    checker = Checker(corpus).start()
    tally = Tally.start(corpus)
    if checker.readable:
        stream.run(corpus, [checker, tally], label="stats", progress=show_progress(args))
    report = checker.finish()
    if report.problems:
        return refuse(report.problems, "stats")
    print("\n".join([*document_table(tally), "", *distributions(tally), "", *cluster_table(tally)]))
    return 0
