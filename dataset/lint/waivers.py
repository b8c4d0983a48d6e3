"""Waivers: a warning accepted for one record, with a written reason, kept in annotations/waivers.jsonl.

One waiver per (rule, record id), with who waived it and the digest of what the warning judged at the time
(engine.digest). A waiver hides its warning only while the digest still matches; otherwise the warning shows
again and the waiver is reported stale, as is a waiver whose record is gone, whose warning no longer fires or
whose rule no longer exists. A reason too short to check, or a stock phrase ("false positive", "ok"), is
reported as unjustified (the warning stays hidden: the reviewer who reads the report decides).

The file is read like every other annotation file (the safe reader, the JSONL parser, a JSON Schema in
schema/waivers.schema.json); its reading and shape problems are the validator's rule ids, and make lint's run
unreliable, so they are printed as errors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

import jsonschema_rs

from ..check.engine import stamp
from ..derive.canonical import json_line
from ..layers import REGISTRY, Layer
from ..problems import Finding, Problem, short
from ..read.corpus import read_layer_file
from ..read.jsonl import Record
from ..repo import Repo
from ..rules import WARNINGS
from ..schemas import Schemas, ShapeChecker
from .engine import LintWarning

WAIVERS = Layer(
    "waivers",
    REGISTRY,
    "waivers.schema.json",
    "Justified exceptions to the quality warnings of lint.",
    id_field="record_id",
)
KEY_ORDER = ("rule", "record_id", "digest", "justification", "waived_by")
MIN_WORDS, MIN_CHARS = 4, 20
STOCK = frozenset(
    {
        "false positive",
        "not an error",
        "not a problem",
        "no problem",
        "fine",
        "ok",
        "okay",
        "intended",
        "as intended",
        "works as intended",
        "by design",
        "correct",
        "correct as is",
        "wontfix",
        "won't fix",
        "ignore",
        "ignore this",
        "waived",
        "waive",
        "n a",
        "na",
        "todo",
        "tbd",
        "see note",
        "see above",
        "no reason",
        "reviewed",
        "checked",
        "lgtm",
    }
)
_PUNCTUATION = re.compile(r"[^\w\s']+")
_FILLER = re.compile(r"^(this|it|that)( (is|was|seems|looks))?( (just|only|a|an|the))* ")


@dataclass(frozen=True)
class Waiver:
    rule: str
    record_id: str
    digest: str
    justification: str
    waived_by: str
    record: Record  # where it is in annotations/waivers.jsonl

    @property
    def key(self) -> tuple[str, str]:
        return self.rule, self.record_id


def unjustified(justification: str) -> str | None:
    """Why a justification is no justification (too short, or a stock phrase), or None."""
    words = justification.split()
    if len(words) < MIN_WORDS or len(justification.strip()) < MIN_CHARS:
        return f"too short to check (at least {MIN_WORDS} words and {MIN_CHARS} characters)"
    plain = " ".join(_PUNCTUATION.sub(" ", justification.lower()).split())
    if plain in STOCK or _FILLER.sub("", plain) in STOCK:
        return "a stock phrase, not a reason"
    return None


def checker(schemas: Schemas) -> ShapeChecker | None:
    """The waivers' shape checker, from schema/waivers.schema.json (None when the file is missing or broken)."""
    path = schemas.repo.schema_dir / WAIVERS.schema_file
    text, _ = schemas.reader.read_text(path)
    if text is None:
        return None
    try:
        schema = json.loads(text)
        registry = jsonschema_rs.Registry([(s["$id"], s) for s in schemas.documents.values()])
        fast = jsonschema_rs.validator_for(schema, registry=registry)
    except (ValueError, KeyError, TypeError, jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError):
        return None
    return ShapeChecker(fast, schema, schemas)


def read_waivers(repo: Repo, schemas: Schemas) -> tuple[list[Waiver], list[Problem]]:
    """Every well-formed waiver, and the problems of the file (reading, shape, repeated keys)."""
    file = read_layer_file(schemas.reader, WAIVERS, repo.gold, repo.waivers)
    problems = file.sink.problems()
    if not file.present:
        return [], problems
    shape = checker(schemas)
    if shape is None:
        rel = repo.rel(repo.schema_dir / WAIVERS.schema_file)
        message = "the waivers' schema is missing or not a valid JSON Schema; no waiver is applied"
        return [], [*problems, Problem(rel, 1, "schema-file", message, "a JSON Schema", "none")]
    waivers: dict[tuple[str, str], Waiver] = {}
    for record in file.records:
        findings = shape.check(record)
        problems += [stamp("schema", finding, record) for finding in findings]
        if findings:
            continue
        data = record.data
        waiver = Waiver(**{k: data[k] for k in KEY_ORDER}, record=record)
        if waiver.key in waivers:
            first = waivers[waiver.key].record.line
            message = f"a second waiver of {waiver.rule} for {waiver.record_id} (the first is on line {first})"
            problems.append(Problem(record.path, record.line, "duplicate-id", message, "one waiver", "two"))
            continue
        waivers[waiver.key] = waiver
    return list(waivers.values()), problems


@dataclass(frozen=True)
class Verdict:
    """A warning and the waiver that hides it, if one does."""

    warning: LintWarning
    waiver: Waiver | None = None


def _about(waiver: Waiver, problem: Problem) -> LintWarning:
    """A warning about a waiver: printed at its line; never waivable itself."""
    return LintWarning(problem, f"{waiver.rule}:{waiver.record_id}", waiver.digest)


def apply(
    warnings: Iterable[LintWarning], waivers: list[Waiver], known_ids: set[str]
) -> tuple[list[Verdict], list[LintWarning]]:
    """Match warnings with waivers: the verdict on every warning, and the warnings about the waivers themselves."""
    by_key = {w.key: w for w in waivers}
    verdicts, used, changed = [], set(), {}
    for warning in warnings:
        waiver = by_key.get((warning.rule, warning.record_id))
        if waiver is not None and waiver.digest == warning.digest:
            verdicts.append(Verdict(warning, waiver))
            used.add(waiver.key)
        else:
            verdicts.append(Verdict(warning))
            if waiver is not None:
                changed[waiver.key] = warning.digest
    about_waivers = []
    for waiver in waivers:
        reason = unjustified(waiver.justification)
        if reason is not None:
            message = f"the justification of the waiver of {waiver.rule} for {waiver.record_id} is {reason}"
            expected = "a reason a reviewer can check against the text and the guidelines"
            finding = Finding(message, expected, short(waiver.justification, 60))
            about_waivers.append(_about(waiver, stamp("waiver-unjustified", finding, waiver.record)))
        if waiver.key in used:
            continue
        if waiver.rule not in WARNINGS:
            stale = ("names no lint rule", "a rule id of dataset/rules.py WARNINGS", waiver.rule)
        elif waiver.record_id not in known_ids:
            stale = ("names a record that is gone", "an existing record id", waiver.record_id)
        elif waiver.key in changed and waiver.key not in used:
            stale = ("was written for an earlier version of the record", waiver.digest, changed[waiver.key])
        else:
            stale = ("is for a warning that no longer fires", "a warning to waive", "none")
        what, expected, found = stale
        message = f"the waiver of {waiver.rule} for {waiver.record_id} {what}; remove it or waive again"
        about_waivers.append(_about(waiver, stamp("waiver-stale", Finding(message, expected, found), waiver.record)))
    return verdicts, about_waivers


def waiver_line(waiver: dict) -> str:
    """One waiver as its canonical line: keys in schema order, checked by the reader's own parser."""
    return json_line({key: waiver[key] for key in KEY_ORDER})


def waivers_file(waivers: Iterable[dict]) -> str:
    """The whole file: one line per waiver, ordered by rule and record id (so a diff shows what changed)."""
    return "".join(waiver_line(w) for w in sorted(waivers, key=lambda w: (w["rule"], w["record_id"])))
