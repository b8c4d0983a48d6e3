"""Corpus-level rules, run after every document: unused registry entries and cluster consistency."""

from __future__ import annotations

from collections.abc import Iterator

from ..problems import Problem, short
from ..reading import Record


def check_unused(rule: str, registry: list[Record], used: set[str], what: str) -> Iterator[Problem]:
    for record in registry:
        if record.data["id"] not in used:
            yield Problem(
                record.path,
                record.line,
                rule,
                f"{what} {record.data['id']} is not used by any record",
                f"at least one reference to {record.data['id']}",
                "none (remove it or reference it)",
            )


def check_cluster_documents(clusters: list[Record], documents_of: dict[str, set[str]]) -> Iterator[Problem]:
    """A cluster links documents; one document is enough only for a version that conflicts with another cluster."""
    for record in clusters:
        docs = documents_of.get(record.data["id"], set())
        if len(docs) == 1 and not record.data["conflicts_with"]:
            yield Problem(
                record.path,
                record.line,
                "cluster-single-document",
                f"cluster {record.data['id']} has claims from one document only",
                "claims from two or more documents",
                short(sorted(docs)),
            )


def check_conflicts(clusters: list[Record]) -> Iterator[Problem]:
    conflicts = {r.data["id"]: set(r.data["conflicts_with"]) for r in clusters}
    for record in clusters:
        me = record.data["id"]
        for other in record.data["conflicts_with"]:
            if other == me:
                yield Problem(
                    record.path,
                    record.line,
                    "conflict-asymmetric",
                    "a cluster cannot conflict with itself",
                    "another cluster id",
                    me,
                )
            elif other in conflicts and me not in conflicts[other]:
                yield Problem(
                    record.path,
                    record.line,
                    "conflict-asymmetric",
                    f"{other} does not name {me} in its conflicts_with",
                    f"{me} in {other}.conflicts_with",
                    short(sorted(conflicts[other])),
                )
