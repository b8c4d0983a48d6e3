"""Lint rules as small generators registered under their warning id, as the validator's rules are (check/engine.py).

A lint rule yields Findings whose `at` is the record the warning is about: its path and line are where the
warning is printed, and its id is what a waiver names. A rule that judges other records too (a cluster's claims,
the claims of an aligned sentence) says so in `about`; the digest a waiver keeps covers all of them, so a waiver
goes stale when any of them changes.

Scopes: DOCUMENT rules get one valid document (views.DocumentView); CORPUS rules get what the stream gathered
(views.CorpusView): the clusters with their claims, and the documents that share an original.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..check.engine import stamp
from ..layers import PROVENANCE
from ..problems import Finding, Problem
from ..read.jsonl import Record
from ..rules import WARNINGS

DOCUMENT, CORPUS = "document", "corpus"


@dataclass(frozen=True)
class Flag(Finding):
    """A Finding that also judges other records than the one it is printed at (their content is in the digest)."""

    about: tuple[Record, ...] = ()


@dataclass(frozen=True)
class LintWarning:
    """A printed warning with what a waiver matches: the rule, the record id, and the digest of what it judged."""

    problem: Problem
    record_id: str
    digest: str

    @property
    def rule(self) -> str:
        return self.problem.rule


@dataclass(frozen=True)
class LintRule:
    id: str
    scope: str
    fn: Callable[..., Iterable[Finding]]


REGISTERED: dict[str, list[LintRule]] = {DOCUMENT: [], CORPUS: []}


def lint_rule(rule_id: str, scope: str) -> Callable:
    """Register a lint rule under its id; the id must be in dataset/rules.py WARNINGS."""
    if rule_id not in WARNINGS:
        raise KeyError(f"warning {rule_id!r} is not in dataset/rules.py WARNINGS")

    def register(fn: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        REGISTERED[scope].append(LintRule(rule_id, scope, fn))
        return fn

    return register


def record_id(record: Record) -> str:
    """The id a waiver names: a record's id (a document's doc_id)."""
    return str(record.data.get("id", record.data.get("doc_id")))


def content(record: Record) -> dict:
    """What a record says, without who made and checked it: a review that only sets reviewed_by, review_status
    or note (the review queue does) leaves every waiver of the record valid."""
    return {key: value for key, value in record.data.items() if key not in PROVENANCE}


def record_digest(record: Record) -> str:
    """A short SHA-256 of one record's content, independent of key order (fmt may reorder keys)."""
    if isinstance(record, Kept):
        return record.digest
    text = json.dumps(content(record), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def digest(records: Iterable[Record]) -> str:
    """A short SHA-256 of the records' contents, in order: what a waiver keeps of what its warning judged."""
    return hashlib.sha256(" ".join(map(record_digest, records)).encode("ascii")).hexdigest()[:16]


@dataclass(slots=True)
class Kept(Record):
    """A record as the corpus-wide lints keep it until the end of the stream: only the fields they read, and the
    digest of its whole content (for waivers). A large corpus keeps hundreds of thousands of clustered claims."""

    digest: str = ""

    @classmethod
    def of(cls, record: Record, fields: Iterable[str]) -> Kept:
        kept = {key: record.data[key] for key in fields}
        return cls(record.path, record.line, kept, record.floats, record_digest(record))


def warn(rule_id: str, finding: Finding) -> LintWarning:
    """Stamp a lint finding: the Problem, and the record id and digest a waiver matches."""
    if not isinstance(finding.at, Record):
        raise ValueError(f"lint rule {rule_id} yielded a finding about no record")
    about = finding.about if isinstance(finding, Flag) else ()
    return LintWarning(stamp(rule_id, finding), record_id(finding.at), digest((finding.at, *about)))


def run_rules(scope: str, view: object) -> Iterator[LintWarning]:
    for registered in REGISTERED[scope]:
        for finding in registered.fn(view):
            yield warn(registered.id, finding)
