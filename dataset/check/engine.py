"""Rules as small generators registered under their id; the engine runs them and stamps where and which.

As python-jsonschema's keyword functions do, a rule yields only what it found (dataset.problems.Finding: message,
expected, found, and the record it is about when that is not the one it was given); `stamp` adds the path, the
line and the rule id. Adding a rule is writing one function under `@rule("id", scope)` with its id in
dataset/rules.py.

Scopes: SEED rules get one streamed document's seed (a SeedView); DOCUMENT rules get one store's span layers
of one document (a SpanView); CORPUS rules get the corpus with what the run gathered (a CorpusView). A rule
names the store roles it applies to: the data model's conventions (boilerplate against claims, unused
entities) bind the final annotation, not a system's predictions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..problems import Finding, Problem
from ..read.jsonl import Record
from ..repo import GOLD, PASS, PREDICTION
from ..rules import RULES

SEED, DOCUMENT, CORPUS = "seed", "document", "corpus"
ALL_ROLES = frozenset({GOLD, PASS, PREDICTION})


@dataclass(frozen=True)
class Where:
    """A place that is not a record: a seed file, a line of SHA256SUMS."""

    path: str
    line: int = 1


@dataclass(frozen=True)
class Rule:
    id: str
    scope: str
    roles: frozenset[str]
    fn: Callable[..., Iterable[Finding]]


REGISTERED: dict[str, list[Rule]] = {SEED: [], DOCUMENT: [], CORPUS: []}


def rule(rule_id: str, scope: str, roles: Iterable[str] = ALL_ROLES) -> Callable:
    """Register a rule function under its id; the id must be in the registry (dataset/rules.py)."""
    if rule_id not in RULES:
        raise KeyError(f"rule {rule_id!r} is not in dataset/rules.py")

    def register(fn: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        REGISTERED[scope].append(Rule(rule_id, scope, frozenset(roles), fn))
        return fn

    return register


def stamp(rule_id: str, finding: Finding, at: Record | Where | None = None) -> Problem:
    where = finding.at if finding.at is not None else at
    if where is None:
        raise ValueError(f"rule {rule_id} yielded a finding with no place")
    return Problem(where.path, where.line, rule_id, finding.message, finding.expected, finding.found)


def run_rules(scope: str, role: str, view: object) -> Iterator[Problem]:
    for registered in REGISTERED[scope]:
        if role in registered.roles:
            for finding in registered.fn(view):
                yield stamp(registered.id, finding)
