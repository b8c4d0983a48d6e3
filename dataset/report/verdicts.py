"""Review verdicts: the file the report's review mode downloads, and writing its verdicts into the records.

A verdict file is JSON Lines, one verdict per line, as the review mode writes it:

    {"reviewer": "person-jdoe", "layer": "claims", "id": "001_30076441bec071a8:claim-004", "verdict": "corrected",
     "reason": "hedged by 'soll'", "digest": "<64 hex>", "changes": {"modality": "speculative"}}

`verdict` is `accepted` (the record is right as shown) or `corrected` (the reviewer changed it). A correction says
what changed as `changes`: the new value of each field the reviewer changed, and only those; the record with them
must still match its layer's schema. `digest` is the SHA-256 of the record as the page showed it (`record_digest`),
so a verdict about a record that has changed since the page was built is refused rather than applied to
something the reviewer never saw. Applying a verdict sets `reviewed_by` (which must be a person's id, see
dataset/agents.py), `review_status` (the verdict) and appends `[reviewer] reason` to the record's `note`.
Every verdict of the file is checked before anything is written: one problem, and nothing is.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..agents import PERSON_PREFIX, is_person
from ..layers import BY_NAME, DOCUMENT_LAYER, LAYERS, PROVENANCE, Layer
from ..problems import Finding, Problem, Sink, short
from ..read.files import SafeReader, decode
from ..read.jsonl import Record, parse_jsonl
from ..repo import Repo
from ..schemas import SOURCE, STORED, Schemas, ShapeChecker
from ..write.store import read_records, write_layer

VERDICTS = ("accepted", "corrected")  # review_status values a person's verdict sets
REASON_LIMIT = 1000
MAX_CHANGES = 50


def record_digest(data: dict) -> str:
    """SHA-256 of a record's content (keys sorted, so the file's key order and spacing do not matter)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fixed_fields(layer: Layer) -> frozenset[str]:
    """Fields no correction may change: the record's identity and document, its provenance (the verdict's to
    set), the fields the build derives, and a span's text (it follows the offsets: taken from the seed)."""
    return frozenset({layer.id_field, "doc_id", *PROVENANCE, *layer.derived, *(("text",) if layer.is_span else ())})


def _seed_text(seed: str, span: object) -> object:
    """A span (or nested span) with the text its offsets cover in the seed; anything else as it is."""
    if not isinstance(span, dict) or not all(type(span.get(k)) is int for k in ("start", "end")):
        return span
    return {**span, "text": seed[span["start"] : span["end"]]}


def verdict_schema(schemas: Schemas) -> dict:
    """The shape of one verdict, built from the dataset's schemas (agent ids, review outcomes, layer names)."""
    agent = schemas.field(DOCUMENT_LAYER, "reviewed_by")
    outcomes = [value for value in VERDICTS if value in schemas.enum(DOCUMENT_LAYER, "review_status")]
    plain = "[^\\u0000-\\u001f\\u007f-\\u009f]"  # no control characters (so: one line)
    text = f"^{plain}*$"
    said = f"^{plain}*[^\\s\\u0000-\\u001f\\u007f-\\u009f]{plain}*$"  # and something besides spaces
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "additionalProperties": False,
        "required": ["reviewer", "layer", "id", "verdict", "reason", "digest"],
        "properties": {
            "reviewer": {k: v for k, v in agent.items() if k != "description"},
            "layer": {"enum": [layer.name for layer in LAYERS]},
            "id": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": text},
            "verdict": {"enum": outcomes},
            "reason": {"type": "string", "minLength": 1, "maxLength": REASON_LIMIT, "pattern": said},
            "digest": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "changes": {"type": "object", "minProperties": 1, "maxProperties": MAX_CHANGES},
        },
        "if": {"required": ["verdict"], "properties": {"verdict": {"const": "corrected"}}},
        "then": {"required": ["changes"]},
        "else": {"not": {"required": ["changes"]}},
    }


@dataclass
class Target:
    """One layer file the verdicts change: its records as read, changed in place."""

    layer: Layer
    path: Path
    records: list[dict]
    position: dict[str, int]  # id -> index in records


def noted(old: object, reviewer: str, reason: str) -> str:
    """The record's note with the verdict's reason appended, marked with who gave it (the old note is kept)."""
    entry = f"[{reviewer}] {reason.strip()}"
    return f"{old} {entry}" if isinstance(old, str) and old else entry


class Applier:
    """Checks a verdict file against the dataset and, if every verdict holds, gives the files to write."""

    def __init__(self, repo: Repo, schemas: Schemas) -> None:
        self.repo, self.schemas = repo, schemas
        self.sink = Sink()
        schema = verdict_schema(schemas)
        import jsonschema_rs

        self.shape = ShapeChecker(jsonschema_rs.validator_for(schema), schema, schemas)
        self.targets: dict[Path, Target] = {}
        self.seen: dict[tuple[str, str], Record] = {}
        self.applied: list[tuple[Record, Target, dict]] = []

    def problem(self, rule: str, verdict: Record, message: str, expected: str | None = None, found=None) -> None:
        self.sink.add(Problem(verdict.path, verdict.line, rule, message, expected, found))

    def read(self, path: Path) -> list[Record]:
        """The verdicts of a file (reading problems, with their own rule ids, go to the sink)."""
        shown = path.as_posix()
        data, problem = SafeReader(path.parent).read(path)
        if problem is not None:
            self.sink.add(Problem(shown, problem.line, problem.rule, problem.message, problem.expected, problem.found))
            return []
        if data is None:
            self.sink.add(Problem(shown, 0, "io", "no such file", "a verdict file", "nothing"))
            return []
        text, problem = decode(data, shown)
        if text is None:
            self.sink.add(problem)  # type: ignore[arg-type]
            return []
        verdicts = parse_jsonl(text, shown, self.sink)
        if not verdicts and not self.sink.problems():
            self.sink.add(Problem(shown, 1, "verdict-shape", "the file holds no verdict", "one verdict a line", "none"))
        return verdicts

    def _target(self, layer: Layer, record_id: str) -> Target | None:
        if layer.is_span:
            doc_id = record_id.partition(":")[0]
            if not self.schemas.is_doc_id(doc_id) or not self.repo.seed(doc_id).is_file():
                return None
            path = self.repo.layer_file(layer, doc_id)
        else:
            path = self.repo.layer_file(layer)
        if path not in self.targets:
            records, problems = read_records(self.repo, path)
            self.sink.extend(problems)
            position = {str(r.get(layer.id_field)): index for index, r in enumerate(records)}
            self.targets[path] = Target(layer, path, records, position)
        return self.targets[path]

    def check(self, verdict: Record) -> None:
        findings = self.shape.check(verdict)
        for finding in findings:
            self.problem("verdict-shape", verdict, f"not a verdict: {finding.message}", finding.expected, finding.found)
        if findings:
            return
        data = verdict.data
        if not is_person(data["reviewer"]):
            message = "only a person's verdict is applied; a person's agent id starts with " + PERSON_PREFIX
            self.problem("verdict-reviewer", verdict, message, f"{PERSON_PREFIX}…", short(data["reviewer"]))
        layer = BY_NAME[data["layer"]]
        key = (layer.name, data["id"])
        if key in self.seen:
            first = self.seen[key]
            message = f"a second verdict for {layer.name} {data['id']} (the first is on line {first.line})"
            self.problem("verdict-duplicate", verdict, message, "one verdict per record", f"line {first.line}")
            return
        self.seen[key] = verdict
        target = self._target(layer, data["id"])
        index = target.position.get(data["id"]) if target is not None else None
        if target is None or index is None:
            self.problem("verdict-record", verdict, f"no {layer.name} record has the id {short(data['id'])}")
            return
        record = target.records[index]
        digest = record_digest(record)
        if digest != data["digest"]:
            message = f"{layer.name} {data['id']} changed since the report showed it; review it again"
            self.problem("verdict-stale", verdict, message, data["digest"][:16] + "…", digest[:16] + "…")
            return
        changes = data.get("changes") or {}
        if not self._changes_allowed(verdict, layer, record, changes):
            return
        reviewed = {
            **record,
            **self._spans(layer, record, changes),
            "reviewed_by": data["reviewer"],
            "review_status": data["verdict"],
            "note": noted(record.get("note"), data["reviewer"], data["reason"]),
        }
        variant = SOURCE if layer.is_document else STORED
        findings = self.schemas.checker(layer, variant).check(Record(verdict.path, verdict.line, reviewed))
        for finding in findings:
            self._result(verdict, layer, data["id"], finding)
        if not findings:
            self.applied.append((verdict, target, reviewed))

    def _changes_allowed(self, verdict: Record, layer: Layer, record: dict, changes: dict) -> bool:
        fields = set(self.schemas.properties(layer)) - fixed_fields(layer)
        refused = sorted(name for name in changes if name not in fields)
        if refused:
            message = f"a correction may change only the {layer.name} fields {', '.join(sorted(fields))}"
            self.problem("verdict-correction", verdict, message, "fields a reviewer may correct", ", ".join(refused))
            return False
        if changes and all(record.get(name) == value for name, value in changes.items()):
            message = f"the correction of {layer.name} {verdict.data['id']} changes nothing"
            self.problem("verdict-correction", verdict, message, "a new value", "the values the record has")
            return False
        return True

    def _spans(self, layer: Layer, record: dict, changes: dict) -> dict:
        """The changes, with the text of a span whose offsets they move (or of a nested span they set) taken
        from the seed, so a reviewer corrects a boundary by its offsets alone."""
        moved = {"start", "end"} & set(changes)
        nested = [name for name in layer.nested_spans if name in changes]
        if not layer.is_span or not (moved or nested):
            return changes
        seed, _ = SafeReader(self.repo.root).read_text(self.repo.seed(record["doc_id"]))
        if seed is None:
            return changes  # the validator reports the seed; the transaction refuses the change
        changes = {name: _seed_text(seed, value) if name in nested else value for name, value in changes.items()}
        if moved:
            changes["text"] = _seed_text(seed, {**record, **changes}).get("text")  # type: ignore[union-attr]
        return changes

    def _result(self, verdict: Record, layer: Layer, record_id: str, finding: Finding) -> None:
        message = f"{layer.name} {record_id} as the verdict leaves it does not match its schema: {finding.message}"
        self.problem("verdict-result", verdict, message, finding.expected, finding.found)

    def writes(self) -> dict[Path, tuple[Layer, list[dict]]]:
        """Each changed file with its records, the reviewed ones replaced."""
        for _, target, reviewed in self.applied:
            target.records[target.position[reviewed[target.layer.id_field]]] = reviewed
        changed = {id(target) for _, target, _ in self.applied}
        return {path: (target.layer, target.records) for path, target in self.targets.items() if id(target) in changed}


def check_verdicts(repo: Repo, paths: list[Path], schemas: Schemas | None = None) -> Applier:
    """Every verdict of the files checked against the dataset; `.sink` holds the problems, `.writes()` the files."""
    applier = Applier(repo, schemas or Schemas(repo))
    for path in paths:
        for verdict in applier.read(path):
            applier.check(verdict)
    return applier


def stage(applier: Applier, writes: dict[Path, str]) -> None:
    """Put the changed files, in canonical form, into a store transaction's writes."""
    for path, (layer, records) in applier.writes().items():
        write_layer(writes, layer, path, records, applier.schemas)
