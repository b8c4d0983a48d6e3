"""The stored clusterings under annotations/review/clusters/: one claim and its cluster per line.

The stored annotation passes (annotations/review/<pass>/) are stores like the final annotation and are checked
by the same rules; the clusterings have a shape of their own, checked here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..problems import Finding, Problem, Sink, short
from ..read.corpus import Corpus
from ..read.jsonl import Record, parse_jsonl
from ..repo import GOLD, REVIEW
from .engine import CORPUS, rule
from .views import CorpusView

CLUSTERINGS = "clusters"  # annotations/review/clusters/<annotator>.jsonl: {"claim_id": ..., "cluster_id": ...}


@dataclass
class Clusterings:
    """Every stored clustering file's parsed lines, by file."""

    files: dict[str, list[Record]]


def clustering_folder(corpus: Corpus) -> Path:
    return corpus.repo.annotations / REVIEW / CLUSTERINGS


def read_clusterings(corpus: Corpus, sink: Sink) -> Clusterings:
    """Every clustering file (a link or a file that is not text is a problem in sink, never read)."""
    folder = clustering_folder(corpus)
    files: dict[str, list[Record]] = {}
    if folder.is_symlink():
        rel = corpus.reader.rel(folder)
        sink.add(Problem(rel, 1, "symlink", "folder is a link; links are never followed", "a real folder", "a link"))
        return Clusterings(files)
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        rel = corpus.reader.rel(path)
        text, problem = corpus.reader.read_text(path)
        if problem is not None:
            sink.add(problem)
        files[rel] = [] if text is None else parse_jsonl(text, rel, sink)
    return Clusterings(files)


def well_formed(record: Record) -> bool:
    return sorted(record.data) == ["claim_id", "cluster_id"] and all(isinstance(v, str) for v in record.data.values())


def assignments(records: list[Record]) -> dict[str, str]:
    """claim id -> cluster id of one stored clustering (other lines are the validator's business)."""
    return {r.data["claim_id"]: r.data["cluster_id"] for r in records if well_formed(r)}


@rule("review-file", CORPUS, roles=[GOLD])
def review_file(view: CorpusView) -> Iterator[Finding]:
    for records in view.clusterings.files.values():
        for record in records:
            if not well_formed(record):
                expected = '{"claim_id": str, "cluster_id": str}'
                yield Finding("a clustering line is one claim and its cluster", expected, short(record.data), record)
