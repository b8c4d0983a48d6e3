"""Corpus-level rules, run after every document: unused registry entries and cluster consistency."""

from __future__ import annotations

from collections.abc import Iterator

from ..problems import Finding, short
from ..read.jsonl import Record
from ..repo import GOLD
from .engine import CORPUS, rule
from .views import CorpusView


def _unused(records: list[Record], used: set[str], what: str) -> Iterator[Finding]:
    for record in records:
        if record.data["id"] not in used:
            expected = f"at least one reference to {record.data['id']}"
            yield Finding(
                f"{what} {record.data['id']} is not used by any record", expected, "none (remove it or use it)", record
            )


@rule("unused-entity", CORPUS, roles=[GOLD])
def unused_entity(view: CorpusView) -> Iterator[Finding]:
    yield from _unused(view.registries.get("entities", []), view.uses.ids.get("entities", set()), "entity")


@rule("unused-cluster", CORPUS, roles=[GOLD])
def unused_cluster(view: CorpusView) -> Iterator[Finding]:
    yield from _unused(view.registries.get("clusters", []), view.uses.ids.get("clusters", set()), "cluster")


@rule("cluster-single-document", CORPUS, roles=[GOLD])
def cluster_single_document(view: CorpusView) -> Iterator[Finding]:
    """A cluster links documents; one document is enough only for a version that conflicts with another cluster."""
    documents_of = view.uses.documents.get("clusters", {})
    for record in view.registries.get("clusters", []):
        docs = documents_of.get(record.data["id"], set())
        if len(docs) == 1 and not record.data["conflicts_with"]:
            message = f"cluster {record.data['id']} has claims from one document only"
            yield Finding(message, "claims from two or more documents", short(sorted(docs)), record)


@rule("conflict-asymmetric", CORPUS, roles=[GOLD])
def conflict_asymmetric(view: CorpusView) -> Iterator[Finding]:
    clusters = view.registries.get("clusters", [])
    conflicts = {r.data["id"]: set(r.data["conflicts_with"]) for r in clusters}
    for record in clusters:
        me = record.data["id"]
        for other in dict.fromkeys(record.data["conflicts_with"]):
            if other == me:
                yield Finding("a cluster cannot conflict with itself", "another cluster id", me, record)
            elif other in conflicts and me not in conflicts[other]:
                message = f"{other} does not name {me} in its conflicts_with"
                yield Finding(message, f"{me} in {other}.conflicts_with", short(sorted(conflicts[other])), record)
