"""The document as a tool sees it, the offset conversions, and the tool-independent half of export and import.

Dataset offsets are Unicode code points into the decoded seed. Each tool module converts its own convention to
code points *before* it builds a ``Region``, with an ``OffsetMap``:

- INCEpTION / UIMA Java: UTF-16 code units (``OffsetMap.utf16``; dkpro-cassis converts on load and save);
- Label Studio: code points in current versions (UTF-16 units before the fix, recognised by the stated text);
- brat: code points of the ``.txt`` after newline normalisation (``brat.py`` builds that map);
- UTF-8 bytes (``OffsetMap.utf8``) for byte-oriented consumers.

A tool module parses its format into ``Region`` objects (span, flat fields, links to other regions by the
tool's own keys); ``assemble`` checks them against the text and the label sets and turns them into records,
keeping every unchanged record exactly as it was.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from dataset.layers import BY_NAME
from dataset.problems import Problem, short

from . import MAX_TOOL_FILE_BYTES
from .labels import HIDDEN, Field, Labels, SpanSpec


@dataclass
class ToolDocument:
    """One document's span records per layer (``layers[name]`` in canonical order), with its text."""

    doc_id: str
    text: str
    layers: dict[str, list[dict]]


# ---------------------------------------------------------------- offsets


class OffsetMap:
    """Code point offsets <-> a tool's offsets, from a prefix table (``prefix[i]`` = tool offset of code point i)."""

    def __init__(self, prefix: list[int]) -> None:
        self.prefix = prefix
        self._back: dict[int, int] | None = None

    @classmethod
    def utf16(cls, text: str) -> OffsetMap:
        """UTF-16 code units, as Java (UIMA, INCEpTION) and JavaScript string indices count."""
        return cls.widths(2 if ord(ch) > 0xFFFF else 1 for ch in text)

    @classmethod
    def utf8(cls, text: str) -> OffsetMap:
        """UTF-8 bytes of the encoded text."""
        return cls.widths(
            1 if ord(ch) < 0x80 else 2 if ord(ch) < 0x800 else 3 if ord(ch) < 0x10000 else 4 for ch in text
        )

    @classmethod
    def widths(cls, widths) -> OffsetMap:
        prefix = [0]
        for width in widths:
            prefix.append(prefix[-1] + width)
        return cls(prefix)

    def to_tool(self, cp: int) -> int:
        return self.prefix[cp]

    def from_tool(self, offset: int) -> int | None:
        """The code point offset at a tool offset; None inside a character or outside the text.

        Where code points have width 0 (a brat ``\\r`` before ``\\n``), the smallest code point wins: a span
        never starts on whitespace, and one that ends before a line break ends before its ``\\r``.
        """
        if self._back is None:
            back: dict[int, int] = {}
            for index in range(len(self.prefix) - 1, -1, -1):
                back[self.prefix[index]] = index
            self._back = back
        return self._back.get(offset)


def is_offset(value: object) -> bool:
    """A JSON integer (not a boolean, not 5.0)."""
    return isinstance(value, int) and not isinstance(value, bool)


def number_text(value: int | float) -> str:
    """A number as JSON text: lossless for ints and floats (repr round-trips), so tools can carry it as a string."""
    return json.dumps(value)


def parse_number(text: str) -> int | float | None:
    """JSON number text back to a number; None if the text is not one finite JSON number."""
    try:
        value = json.loads(text, parse_constant=lambda name: None)
    except (ValueError, RecursionError):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value if not isinstance(value, float) or math.isfinite(value) else None


def pick_file(files: dict[str, bytes], preferred: str, suffix: str) -> tuple[str, bytes, Problem | None]:
    """The tool file to read: ``preferred`` if present, else the only file ending in ``suffix``; size-checked."""
    candidates = [name for name in sorted(files) if name.endswith(suffix)]
    path = preferred if preferred in files else candidates[0] if len(candidates) == 1 else preferred
    if path not in files:
        return path, b"", Problem(path, 1, "tool-file", "the export has no such file", preferred, short(candidates))
    data = files[path]
    if len(data) > MAX_TOOL_FILE_BYTES:
        found = f"{len(data)} bytes"
        return (
            path,
            b"",
            Problem(
                path, 1, "tool-too-large", "file over the size limit", f"at most {MAX_TOOL_FILE_BYTES} bytes", found
            ),
        )
    return path, data, None


# ---------------------------------------------------------------- which file is which document's

Read = Callable[[str], tuple[bytes | None, Problem | None]]  # a tool folder's file by its relative path


def document_of(path: str, doc_ids: Collection[str]) -> str | None:
    """The document a tool file is about: its own name, else its nearest folder's, without extensions.

    Tools name files after the document they imported (``<doc_id>.ann``) or keep one folder per document
    (INCEpTION's project export: ``annotation/<doc_id>.xmi/<user>.xmi``).
    """
    for part in reversed(path.split("/")):
        stem = part.split(".", 1)[0]
        if stem in doc_ids:
            return stem
    return None


def route_by_name(
    paths: Collection[str],
    read: Read,
    doc_ids: Collection[str],
    suffix: str,
    companions: Callable[[str], list[str]],
) -> tuple[dict[str, dict[str, bytes]], list[Problem]]:
    """Each document's files: its one main file (``suffix``) with the ``companions`` the tool keeps beside it."""
    routed: dict[str, dict[str, bytes]] = {}
    first: dict[str, str] = {}
    problems: list[Problem] = []
    for path in sorted(p for p in paths if p.endswith(suffix)):
        doc_id = document_of(path, doc_ids)
        if doc_id is None:
            expected = f"<doc_id>{suffix}, or a folder so named, for a doc_id of annotations/documents.jsonl"
            problems.append(Problem(path, 1, "tool-file", "a file of no document of the dataset", expected, path))
            continue
        if doc_id in first:
            message = f"a second export of {doc_id}: keep only the one to import"
            problems.append(Problem(path, 1, "tool-file", message, "one file per document", first[doc_id]))
            continue
        first[doc_id] = path
        files: dict[str, bytes] = {}
        for name in [path, *companions(path)]:
            data, problem = read(name)
            if problem is not None:
                problems.append(problem)
            elif data is not None:
                files[name] = data
        if path in files:  # the main file first: problems about the document are located at it
            routed[doc_id] = files
    return routed, problems


def nearest(paths: Collection[str], path: str, name: str) -> list[str]:
    """The file ``name`` in the folder of ``path`` or the nearest folder above it, if any."""
    parts = path.split("/")[:-1]
    while True:
        candidate = "/".join([*parts, name])
        if candidate in paths:
            return [candidate]
        if not parts:
            return []
        parts.pop()


# ---------------------------------------------------------------- regions


@dataclass
class Region:
    """One span as a tool holds it: code point offsets, flat field values, and links by the tool's region keys."""

    key: str
    layer: str
    start: int
    end: int
    stated: str | None = None  # the text the tool says the span covers, where it says
    fields: dict[str, object] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=dict)
    path: str = ""
    line: int = 1
    suggestion: bool = False  # a pre-annotation not (yet) confirmed by the annotator


def nested_key(layer: str, span: dict) -> str:
    return f"{layer}@{span['start']}-{span['end']}"


def _registry_index(entities: list[dict], clusters: list[dict]) -> dict[str, dict[str, dict]]:
    return {"entities": {e["id"]: e for e in entities}, "clusters": {c["id"]: c for c in clusters}}


def _value(record: dict, spec: SpanSpec, f: Field, registries: dict[str, dict[str, dict]]) -> object:
    if f.group is None:
        return record.get(f.path)
    sub = f.path.split(".", 1)[1]
    if f.group in spec.groups:
        group = record.get(f.group)
        return group.get(sub) if isinstance(group, dict) else None
    ref = next(r for r in spec.refs if r.prefix == f.group)
    target = registries.get(ref.registry, {}).get(record.get(ref.field))  # type: ignore[arg-type]
    return target.get(sub) if target else None


def to_regions(
    doc: ToolDocument, entities: list[dict], clusters: list[dict], labels: Labels, *, suggestion: bool = False
) -> list[Region]:
    """Records as regions; registry records travel with the regions that reference them.

    Suggestions carry no record id (they are not records yet) and get keys of their own, so they can sit
    beside the document's records in one tool file.
    """
    registries = _registry_index(entities, clusters)
    prefix = "suggestion:" if suggestion else ""
    regions: list[Region] = []
    nested: dict[str, Region] = {}
    for spec in labels.records:
        for record in doc.layers.get(spec.layer, []):
            values = {}
            for f in spec.fields:
                value = _value(record, spec, f, registries)
                if value is not None and not (suggestion and f.path == "id"):
                    values[f.path] = value
            links: dict[str, list[str]] = {}
            for link in spec.links:
                value = record.get(link.field)
                if link.many:
                    links[link.field] = [prefix + key for key in value or []]
                elif isinstance(value, dict):
                    key = prefix + nested_key(link.target, value)
                    links[link.field] = [key]
                    cue = Region(key, link.target, value["start"], value["end"], value["text"], suggestion=suggestion)
                    nested.setdefault(key, cue)
            span = (record["start"], record["end"], record["text"])
            regions.append(Region(prefix + record["id"], spec.layer, *span, values, links, suggestion=suggestion))
    return regions + sorted(nested.values(), key=lambda r: (r.start, r.end, r.key))


# ---------------------------------------------------------------- import


def _field_error(f: Field, value: object) -> str | None:
    if f.kind == "enum":
        return None if isinstance(value, str) and value in f.values else f"one of {', '.join(f.values)}"
    if f.kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        return None if ok else "a number"
    if f.kind == "strings":
        return None if isinstance(value, list) and all(isinstance(v, str) for v in value) else "a list of strings"
    return None if isinstance(value, str) else "a string"


class _Assembler:
    """Builds records from checked regions; one instance per import."""

    def __init__(self, doc_id: str, text: str, labels: Labels, author: str | None, reviewer: str | None, curated: bool):
        self.doc_id = doc_id
        self.text = text
        self.labels = labels
        self.author = author
        self.reviewer = reviewer
        self.curated = curated
        self.problems: list[Problem] = []
        self.valid: dict[str, Region] = {}
        self.final: dict[str, str] = {}  # region key -> record id
        self.needs_author = False  # a record was made whose annotated_by is the author
        self.needs_reviewer = False

    def report(self, region: Region, rule: str, message: str, expected: str | None = None, found: str | None = None):
        self.problems.append(Problem(region.path, region.line, rule, message, expected, found))

    # -- spans and values

    def check(self, regions: list[Region]) -> None:
        for region in regions:
            spec = self.labels.spec(region.layer)
            if spec is None:
                self.report(region, "tool-label", "unknown layer", "a layer of the configuration", short(region.layer))
            elif self._span_ok(region) and self._fields_ok(region, spec):
                if region.key in self.valid:
                    self.report(region, "tool-reference", "two spans have the same key", "unique keys", region.key)
                self.valid[region.key] = region

    def _span_ok(self, r: Region) -> bool:
        if not (is_offset(r.start) and is_offset(r.end) and 0 <= r.start < r.end <= len(self.text)):
            found = f"{r.start}-{r.end}"
            self.report(
                r, "tool-offset", "span offsets outside the text", f"0 <= start < end <= {len(self.text)}", found
            )
            return False
        covered = self.text[r.start : r.end]
        if r.stated is not None and r.stated != covered:
            self.report(r, "tool-text", "the span's text differs from the seed", short(covered), short(r.stated))
            return False
        if covered != covered.strip():
            self.report(r, "tool-whitespace", "span begins or ends with whitespace", "no whitespace", short(covered))
            return False
        return True

    def _fields_ok(self, r: Region, spec: SpanSpec) -> bool:
        ok = True
        for path, value in r.fields.items():
            f = spec.field(path)
            if f is None:
                self.report(r, "tool-label", f"unknown field of {spec.layer}", "a field of the layer", short(path))
                ok = False
            elif value is not None and (expected := _field_error(f, value)) is not None:
                self.report(r, "tool-label", f"bad value of {spec.layer} {path}", expected, short(value))
                ok = False
        for name in r.links:
            if spec.link(name) is None:
                self.report(r, "tool-reference", f"unknown link of {spec.layer}", "a link of the layer", short(name))
                ok = False
        return ok

    # -- records

    def _target(self, r: Region, key: str, layer: str) -> Region | None:
        target = self.valid.get(key)
        if target is None or target.layer != layer:
            self.report(r, "tool-reference", f"link to an unknown span or a span of another layer than {layer}")
            return None
        if target.suggestion:
            self.report(r, "tool-reference", "link to a suggestion that was not confirmed", "a confirmed span", key)
            return None
        return target

    def record(self, r: Region, spec: SpanSpec) -> dict:
        rec: dict = {}
        for prop in spec.properties:
            if prop in HIDDEN:
                rec[prop] = None  # filled in by the caller, in this key order
            elif prop == "doc_id":
                rec[prop] = self.doc_id
            elif prop in ("start", "end"):
                rec[prop] = getattr(r, prop)
            elif prop == "text":
                rec[prop] = self.text[r.start : r.end]
            elif (link := spec.link(prop)) is not None:
                rec[prop] = self._link_value(r, link.field, link.target, link.many)
            elif prop in spec.groups:
                subs = [f for f in spec.fields if f.group == prop]
                values = {f.path.split(".", 1)[1]: r.fields.get(f.path) for f in subs}
                if all(v is None for v in values.values()):
                    rec[prop] = None
                else:
                    for f in subs:
                        if f.required and r.fields.get(f.path) is None:
                            self.report(r, "tool-label", f"{prop} without {f.path}", "a value", "none")
                    rec[prop] = values
            else:
                f = spec.field(prop)
                value = r.fields.get(prop)
                if value is None and f is not None and f.required:
                    if f.kind == "strings":
                        value = []
                    else:
                        self.report(r, "tool-label", f"{spec.layer} without {prop}", "a value", "none")
                rec[prop] = value
        return rec

    def _link_value(self, r: Region, name: str, layer: str, many: bool) -> object:
        keys = r.links.get(name, [])
        if many:
            ids = []
            for key in keys:
                if (target := self._target(r, key, layer)) is not None and target.key in self.final:
                    ids.append(self.final[target.key])
            if len(set(ids)) != len(ids):
                self.report(r, "tool-reference", f"the same span twice in {name}", "each span once", short(ids))
            return ids
        if len(keys) > 1:
            self.report(r, "tool-reference", f"more than one {name}", "at most one", str(len(keys)))
        target = self._target(r, keys[0], layer) if keys else None
        if target is None:
            return None
        return {"start": target.start, "end": target.end, "text": self.text[target.start : target.end]}

    def provenance(self, old: dict | None) -> dict:
        self.needs_reviewer = self.needs_reviewer or self.curated
        if self.curated and old is not None:
            return {"annotated_by": old["annotated_by"], "reviewed_by": self.reviewer, "review_status": "corrected"}
        self.needs_author = True
        if self.curated:
            status = "added-in-review" if self.author == self.reviewer else "accepted"
            return {"annotated_by": self.author, "reviewed_by": self.reviewer, "review_status": status}
        return {"annotated_by": self.author, "reviewed_by": None, "review_status": "unreviewed"}

    def layer(self, spec: SpanSpec, existing: list[dict]) -> list[dict]:
        kind = BY_NAME[spec.layer].id_kind
        pattern = re.compile(rf"^{re.escape(self.doc_id)}:{kind}-([0-9]+)$")
        old_by_id = {rec["id"]: rec for rec in existing}
        regions = sorted(
            (r for r in self.valid.values() if r.layer == spec.layer and not r.suggestion),
            key=lambda r: (r.start, r.end, str(r.fields.get("id")), r.key),
        )
        numbers = [
            int(m.group(1))
            for i in [*old_by_id, *(r.fields.get("id") for r in regions)]
            if (m := pattern.match(str(i)))
        ]
        kept: list[dict] = []
        new: list[tuple[Region, dict, dict | None]] = []
        taken: set[object] = set()
        for region in regions:
            rec = self.record(region, spec)
            carried = region.fields.get("id")
            old = old_by_id.get(carried) if isinstance(carried, str) and carried not in taken else None  # type: ignore[arg-type]
            taken.add(carried)
            if old is not None and editable(old) == editable(rec):
                self.final[region.key] = old["id"]
                kept.append(old)
            else:
                new.append((region, rec, old))
        number = max(numbers, default=0)
        for region, rec, old in new:
            number += 1
            rec["id"] = f"{self.doc_id}:{kind}-{number:03d}"
            rec.update(self.provenance(old))
            self.final[region.key] = rec["id"]
            kept.append(rec)
        return sorted(kept, key=BY_NAME[spec.layer].sort_key)

    def nested_unused(self) -> None:
        used = {key for r in self.valid.values() if not r.suggestion for keys in r.links.values() for key in keys}
        for r in self.valid.values():
            spec = self.labels.spec(r.layer)
            if spec is not None and spec.nested and not r.suggestion and r.key not in used:
                self.report(
                    r, "tool-reference", f"{spec.title} span linked by no record", "a link from a record", r.key
                )

    def registries(self, existing: dict[str, dict[str, dict]]) -> dict[str, list[dict]]:
        described: dict[tuple[str, str], list[tuple[Region, dict]]] = {}
        referenced: dict[tuple[str, str], Region] = {}
        refs = {}
        for spec in self.labels.records:
            for ref in spec.refs:
                for r in self.valid.values():
                    value = r.fields.get(ref.field)
                    if r.layer != spec.layer or r.suggestion or not isinstance(value, str):
                        continue
                    key = (ref.registry, value)
                    refs[ref.registry] = (ref, spec)
                    content = {c: r.fields.get(f"{ref.prefix}.{c}") for c in ref.content}
                    if all(v is None for v in content.values()):
                        referenced.setdefault(key, r)
                    else:
                        described.setdefault(key, []).append((r, content))
        changed: dict[str, list[dict]] = {}
        for (registry, ident), items in sorted(described.items()):
            region, content = items[0]
            ref, spec = refs[registry]
            for other, other_content in items[1:]:
                if other_content != content:
                    self.report(
                        other,
                        "tool-reference",
                        f"{ident} is described differently by two spans",
                        short(content),
                        short(other_content),
                    )
            for c in ref.content:
                f = spec.field(f"{ref.prefix}.{c}")
                if content[c] is None and f is not None and f.required:
                    if f.kind == "strings":
                        content[c] = []
                    else:
                        self.report(region, "tool-label", f"{registry} record {ident} without {c}", "a value", "none")
            old = existing.get(registry, {}).get(ident)
            if old is not None and all(old.get(c) == content[c] for c in ref.content):
                continue
            record = {p: ident if p == "id" else content.get(p) for p in ref.properties}
            record.update(self.provenance(old))
            changed.setdefault(registry, []).append(record)
        for (registry, ident), region in referenced.items():
            if ident not in existing.get(registry, {}) and (registry, ident) not in described:
                self.report(
                    region, "tool-reference", f"unknown {registry} record", "an id of the registry", short(ident)
                )
        return changed


def editable(record: dict) -> dict:
    """What an annotator can change: everything but the id and the provenance."""
    return {k: v for k, v in record.items() if k not in HIDDEN}


def assemble(
    regions: list[Region],
    *,
    doc_id: str,
    text: str,
    existing: ToolDocument,
    entities: list[dict],
    clusters: list[dict],
    labels: Labels,
    author: str | None,
    reviewer: str | None = None,
    curated: bool = False,
    where: tuple[str, int] = ("", 1),
) -> tuple[ToolDocument, list[dict], list[dict], list[Problem]]:
    """Checked records from a tool's regions: unchanged records are the existing ones, new ones get new ids.

    ``author`` annotated what the tool adds or changes; in a curated export (``curated``) ``reviewer`` reviewed
    it: a changed record is ``corrected`` (keeping its first annotator), a new one ``accepted`` or, when the
    reviewer made it, ``added-in-review``. Suggestions still marked as such are not records.
    """
    work = _Assembler(doc_id, text, labels, author, reviewer, curated)
    work.check(regions)
    work.nested_unused()
    layers = {spec.layer: work.layer(spec, existing.layers.get(spec.layer, [])) for spec in labels.records}
    changed = work.registries(_registry_index(entities, clusters))
    pattern = re.compile(labels.agent_pattern)
    path, line = where
    if work.needs_author and (author is None or not pattern.match(author)):
        message = "no agent id for the records the tool added or changed"
        work.problems.append(Problem(path, line, "tool-user", message, "an agent id", short(author)))
    if work.needs_reviewer and (reviewer is None or not pattern.match(reviewer)):
        message = "a curated export needs the reviewer's agent id"
        work.problems.append(Problem(path, line, "tool-user", message, "an agent id", short(reviewer)))
    document = ToolDocument(doc_id, text, layers)
    return document, changed.get("entities", []), changed.get("clusters", []), work.problems
