"""brat standoff: ``annotation.conf``/``visual.conf``, ``<doc>.txt`` + ``<doc>.ann``, and the ``.ann`` read back.

Where each field lives: span layers without links are entities (``T``), a layer with links (claims) is an event
(``E``) whose trigger is its span, its chain the numbered roles ``SourceIds``, ``SourceIds2``, ... (the number
is the position; brat's own convention for repeated roles) and its cue the role ``Cue`` to a ``ClaimCue``
entity. Enum fields are attributes (``A``: ``ClaimType``, ``ClaimModality``, ``ClaimQuantityQualifier``,
``BoilerplateSpanCategory``, ``SourceMentionEntityType``). Every other field (record id, provenance, note,
quantity value and unit, the referenced entity or cluster and its registry fields) is one JSON object in the
annotation's ``AnnotatorNotes`` (``#``), brat's one free-text place per annotation.

Offsets: brat counts code points of the ``.txt`` as its server decodes it. Its reader asks for universal
newlines (``codecs.open(..., 'rU')``), which Python 2 honours and Python 3 does not, so we write the ``.txt``
with ``\\r\\n`` and ``\\r`` as ``\\n``: both read the same text, and ``brat_offsets`` maps it to the seed's code
points. A span is written as brat writes a selection over line breaks: fragments split at line breaks (any
character ``str.splitlines`` breaks on, since brat reads the ``.ann`` with ``readlines``), their texts joined
by a space; fragments whose gaps are whitespace are read back as one span.

Suggestions are a clearly marked set in the same ``.ann``: each carries the binary attribute ``Suggestion``;
the annotator removes the attribute to accept one, deletes the annotation to reject it, and anything still
marked is not imported. brat records no user and no curation state: ``user`` is the author.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from itertools import pairwise

from dataset.problems import Problem, short

from .labels import Labels, SpanSpec, camel
from .model import OffsetMap, Read, Region, ToolDocument, assemble, pick_file, route_by_name, to_regions

SUGGESTION = "Suggestion"
NOTES = "AnnotatorNotes"
_BREAK = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # where str.splitlines, and so brat's readlines, breaks a line
_GAP = re.compile(rf"\s*[{_BREAK}]\s*")
_ROLE = re.compile(r"^([A-Za-z][A-Za-z_-]*?)([0-9]*)$")
_COLOURS = ("#d9d9d9", "#ffcc99", "#99ccff", "#ccff99", "#ffb3d9", "#e0ccff", "#fff099")


def brat_text(text: str) -> str:
    """The ``.txt`` we write: line breaks as ``\\n`` only, so universal-newline reading changes nothing."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def brat_offsets(text: str) -> OffsetMap:
    """Seed code points <-> code points of ``brat_text(text)`` (a ``\\r`` before ``\\n`` has width 0)."""
    return OffsetMap.widths(0 if ch == "\r" and text[i + 1 : i + 2] == "\n" else 1 for i, ch in enumerate(text))


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut at line breaks (with the whitespace around them), as brat stores a selection over lines."""
    pieces, position = [], start
    for gap in _GAP.finditer(text, start, end):
        pieces.append((position, gap.start()))
        position = gap.end()
    pieces.append((position, end))
    return [(a, b) for a, b in pieces if a < b]


class _Names:
    """brat names of types, attributes and roles, derived from the span specs."""

    def __init__(self, labels: Labels):
        self.labels = labels
        self.type = {s.layer: camel(s.title) for s in labels.spans}
        self.layer = {name: layer for layer, name in self.type.items()}
        self.events = {s.layer for s in labels.spans if s.links}
        self.attribute = {
            (s.layer, f.path): camel(s.title) + camel(f.path)
            for s in labels.spans
            for f in s.fields
            if f.kind == "enum" and not f.hidden
        }
        self.field = {name: key for key, name in self.attribute.items()}
        self.role = {(s.layer, link.field): camel(link.field) for s in labels.spans for link in s.links}
        self.link = {(layer, role): name for (layer, name), role in self.role.items()}


def project_config(labels: Labels) -> dict[str, bytes]:
    """``annotation.conf`` and ``visual.conf`` for a brat collection holding the exported documents."""
    names = _Names(labels)
    entities = [names.type[s.layer] for s in labels.spans if s.layer not in names.events]
    events = []
    for s in labels.spans:
        if s.layer in names.events:
            roles = []
            for link in s.links:
                mark = "*" if link.many else "?"
                roles.append(f"{names.role[(s.layer, link.field)]}{mark}:{names.type[link.target]}")
            events.append(f"{names.type[s.layer]}\t{', '.join(roles)}")
    attributes = []
    for (layer, path), name in names.attribute.items():
        spec = labels.spec(layer)
        values = spec.field(path).values  # type: ignore[union-attr]
        for value in values:
            if not re.fullmatch(r"[^\s|,]+", value):
                raise ValueError(f"brat cannot show the value {value!r} of {layer} {path}")
        attributes.append(f"{name}\tArg:{names.type[layer]}, Value:{'|'.join(values)}")
    attributes.append(f"{SUGGESTION}\tArg:{'|'.join(names.type.values())}")
    annotation = [
        "# Generated from the dataset's schemas by dataset.tools.brat; do not edit by hand.",
        "[entities]",
        *entities,
        "",
        "[relations]",
        "<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>",
        "",
        "[events]",
        *events,
        "",
        "[attributes]",
        *attributes,
        "",
    ]
    visual = ["[labels]"]
    visual += [f"{name} | {labels.spec(layer).title}" for layer, name in names.type.items()]  # type: ignore[union-attr]
    visual += ["", "[drawing]"]
    visual += [f"{name}\tbgColor:{_COLOURS[i % len(_COLOURS)]}" for i, name in enumerate(names.type.values())]
    visual += [f"{role}\tcolor:#3355aa, arrowHead:triangle-5" for role in sorted(set(names.role.values()))]
    visual += [f"{SUGGESTION}\tglyph:?", "ATTRIBUTE_DEFAULT\tglyph:*", ""]
    return {"annotation.conf": "\n".join(annotation).encode("utf-8"), "visual.conf": "\n".join(visual).encode("utf-8")}


def _note(values: dict[str, object]) -> str:
    """Fields as one line of JSON: non-ASCII kept readable, line-break characters escaped so the line stays whole."""
    text = json.dumps(values, ensure_ascii=False)
    for ch in "\x85\u2028\u2029":
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return text


def _ann(regions: list[Region], labels: Labels, text: str) -> str:
    names = _Names(labels)
    offsets = brat_offsets(text)
    shown = brat_text(text)
    lines: list[str] = []
    tail: list[str] = []
    ids: dict[str, str] = {}
    for number, r in enumerate(regions, start=1):
        pieces = [(offsets.to_tool(a), offsets.to_tool(b)) for a, b in fragments(text, r.start, r.end)]
        spans = ";".join(f"{a} {b}" for a, b in pieces)
        lines.append(f"T{number}\t{names.type[r.layer]} {spans}\t{' '.join(shown[a:b] for a, b in pieces)}")
        ids[r.key] = f"T{number}"
    events = 0
    for r in regions:
        if r.layer in names.events:
            events += 1
            args = [f"{names.type[r.layer]}:{ids[r.key]}"]
            for name, keys in r.links.items():
                role = names.role[(r.layer, name)]
                args += [f"{role}{'' if i == 1 else i}:{ids[key]}" for i, key in enumerate(keys, start=1)]
            tail.append(f"E{events}\t{' '.join(args)}")
            ids[r.key] = f"E{events}"
    attributes = notes = 0
    for r in regions:
        target = ids[r.key]
        rest = {}
        for path, value in r.fields.items():
            name = names.attribute.get((r.layer, path))
            if name is None:
                rest[path] = value
            else:
                attributes += 1
                tail.append(f"A{attributes}\t{name} {target} {value}")
        if r.suggestion:
            attributes += 1
            tail.append(f"A{attributes}\t{SUGGESTION} {target}")
        if rest:
            notes += 1
            tail.append(f"#{notes}\t{NOTES} {target}\t{_note(rest)}")
    return "".join(line + "\n" for line in lines + tail)


def export_document(
    doc: ToolDocument,
    entities: list[dict],
    clusters: list[dict],
    labels: Labels,
    suggestions: ToolDocument | None = None,
) -> dict[str, bytes]:
    """``<doc>.txt`` and ``<doc>.ann`` for a brat collection configured with ``project_config``."""
    regions = to_regions(doc, entities, clusters, labels)
    if suggestions is not None:
        regions += to_regions(suggestions, entities, clusters, labels, suggestion=True)
    return {
        f"{doc.doc_id}.txt": brat_text(doc.text).encode("utf-8"),
        f"{doc.doc_id}.ann": _ann(regions, labels, doc.text).encode("utf-8"),
    }


class _Reader:
    """``.ann`` lines -> regions; every bad line is a problem, the good ones are kept."""

    def __init__(self, labels: Labels, text: str, path: str):
        self.labels = labels
        self.names = _Names(labels)
        self.text = text
        self.shown = brat_text(text)
        self.offsets = brat_offsets(text)
        self.path = path
        self.problems: list[Problem] = []
        self.regions: dict[str, Region] = {}  # by T id, then by E id for events
        self.triggers: dict[str, str] = {}  # trigger T id -> its event's E id
        self.line = 1

    def report(self, rule: str, message: str, expected: str | None = None, found: str | None = None) -> None:
        self.problems.append(Problem(self.path, self.line, rule, message, expected, found))

    def read(self, content: str) -> list[Region]:
        later: list[tuple[int, str, str]] = []
        for number, line in enumerate(content.splitlines(), start=1):
            self.line = number
            if not line.strip():
                continue
            ident, sep, rest = line.partition("\t")
            if not sep:
                self.report("tool-standoff", "no tab after the annotation id", "ID<TAB>...", short(line))
            elif ident.startswith("T"):
                self.textbound(ident, rest)
            elif ident[:1] in ("E", "A", "M", "#"):
                later.append((number, ident, rest))
            else:
                self.report(
                    "tool-label", "annotation kind this configuration does not use", "T, E, A or #", short(ident)
                )
        for number, ident, rest in later:
            self.line = number
            if ident.startswith("E"):
                self.event(ident, rest)
        for number, ident, rest in later:
            self.line = number
            if ident[:1] in ("A", "M"):
                self.attribute(rest)
            elif ident.startswith("#"):
                self.note(rest)
        return [r for key, r in self.regions.items() if key not in self.triggers]

    def textbound(self, ident: str, rest: str) -> None:
        head, sep, stated = rest.partition("\t")
        kind, _, spans = head.partition(" ")
        layer = self.names.layer.get(kind)
        try:
            pieces = [tuple(int(x) for x in part.split(" ")) for part in spans.split(";")]
            if any(len(p) != 2 or p[0] > p[1] for p in pieces):
                raise ValueError(spans)
        except ValueError:
            self.report("tool-standoff", "text-bound offsets are not 'START END[;START END]'", "integers", short(spans))
            return
        if layer is None:
            self.report("tool-label", "unknown annotation type", "a type of annotation.conf", short(kind))
            return
        cps = [(self.offsets.from_tool(a), self.offsets.from_tool(b)) for a, b in pieces]  # type: ignore[misc]
        if any(a is None or b is None for a, b in cps):
            self.report("tool-offset", "offsets outside the text", f"0..{len(self.shown)}", short(spans))
            return
        shown = " ".join(self.shown[a:b] for a, b in pieces)  # type: ignore[misc]
        if sep and stated[: len(shown)] != shown:
            self.report("tool-text", "the annotation's text differs from the document", short(shown), short(stated))
            return
        for (_, b), (a, _) in pairwise(cps):
            if b > a or self.text[b:a].strip():  # type: ignore[operator,index]
                self.report("tool-offset", "a discontinuous span", "fragments separated by whitespace", short(spans))
                return
        start, end = cps[0][0], cps[-1][1]
        self.regions[ident] = Region(ident, layer, start, end, None, path=self.path, line=self.line)  # type: ignore[arg-type]

    def event(self, ident: str, rest: str) -> None:
        args = rest.split()
        kind, _, trigger = args[0].partition(":") if args else ("", "", "")
        region = self.regions.get(trigger)
        if region is None or self.names.type.get(region.layer) != kind or region.layer not in self.names.events:
            self.report("tool-reference", "event without a trigger of its type", "TYPE:T<n>", short(rest))
            return
        self.triggers[trigger] = ident  # two events may share a trigger: two records with the same span
        event = Region(ident, region.layer, region.start, region.end, None, path=self.path, line=self.line)
        positions: dict[str, list[tuple[int, str]]] = {}
        for arg in args[1:]:
            role, _, target = arg.partition(":")
            match = _ROLE.match(role)
            name = self.names.link.get((region.layer, match.group(1))) if match else None
            if name is None or match is None:
                self.report("tool-label", "unknown role", "a role of annotation.conf", short(role))
                continue
            positions.setdefault(name, []).append((int(match.group(2) or 1), target))
        event.links = {name: [t for _, t in sorted(items)] for name, items in positions.items()}
        self.regions[ident] = event

    def target(self, ident: str) -> Region | None:
        """The region an attribute or note is about; a trigger stands for nothing on its own (use its event)."""
        return None if ident in self.triggers else self.regions.get(ident)

    def attribute(self, rest: str) -> None:
        parts = rest.split(" ")
        name, target = parts[0], parts[1] if len(parts) > 1 else ""
        region = self.target(target)
        if region is None:
            self.report("tool-reference", "attribute of an unknown annotation", "an annotation id", short(target))
        elif name == SUGGESTION and len(parts) == 2:
            region.suggestion = True
        elif name in self.names.field and len(parts) == 3 and self.names.field[name][0] == region.layer:
            region.fields[self.names.field[name][1]] = parts[2]
        else:
            self.report("tool-label", "unknown attribute, or an attribute of another type", None, short(rest))

    def note(self, rest: str) -> None:
        head, _, body = rest.partition("\t")
        kind, _, target = head.partition(" ")
        region = self.target(target)
        if kind != NOTES or region is None:
            self.report("tool-reference", "note of an unknown annotation", f"{NOTES} <id>", short(head))
            return
        try:
            values = json.loads(body, parse_constant=lambda name: None)
        except (ValueError, RecursionError) as err:
            self.report("tool-json", f"the note is not a JSON object of fields: {err}", "a JSON object", short(body))
            return
        if not isinstance(values, dict):
            self.report("tool-json", "the note is not a JSON object of fields", "a JSON object", short(body))
            return
        spec: SpanSpec = self.labels.spec(region.layer)  # type: ignore[assignment]
        for path, value in values.items():
            if (spec.layer, path) in self.names.attribute:
                self.report("tool-label", f"{path} belongs in an attribute, not in the note", "an attribute", path)
            region.fields[path] = value


def route(
    paths: Collection[str], read: Read, doc_ids: Collection[str]
) -> tuple[dict[str, dict[str, bytes]], list[Problem]]:
    """A collection's ``<doc_id>.ann`` files, each with the ``.txt`` beside it (checked against the seed)."""
    return route_by_name(paths, read, doc_ids, ".ann", lambda ann: [txt] if (txt := ann[:-4] + ".txt") in paths else [])


def import_document(
    files: dict[str, bytes],
    doc_id: str,
    text: str,
    existing: ToolDocument,
    entities: list[dict],
    clusters: list[dict],
    labels: Labels,
    user: str | None,
    reviewer: str | None = None,
) -> tuple[ToolDocument, list[dict], list[dict], list[Problem]]:
    """``<doc>.ann`` (and ``<doc>.txt`` when given, which must be the seed as written) read back into records."""
    empty = ToolDocument(doc_id, text, {})
    if any(name.endswith(".txt") for name in files):
        txt_path, txt, problem = pick_file(files, f"{doc_id}.txt", ".txt")
        if problem is not None:
            return empty, [], [], [problem]
        if txt != brat_text(text).encode("utf-8"):
            return (
                empty,
                [],
                [],
                [Problem(txt_path, 1, "tool-text", "the .txt differs from the seed", "the seed", "other text")],
            )
    path, data, problem = pick_file(files, f"{doc_id}.ann", ".ann")
    if problem is not None:
        return empty, [], [], [problem]
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return (
            empty,
            [],
            [],
            [Problem(path, data[: err.start].count(b"\n") + 1, "tool-standoff", "not UTF-8", "UTF-8", "bytes")],
        )
    reader = _Reader(labels, text, path)
    regions = reader.read(content)
    doc, ents, cls, problems = assemble(
        regions,
        doc_id=doc_id,
        text=text,
        existing=existing,
        entities=entities,
        clusters=clusters,
        labels=labels,
        author=user,
        reviewer=reviewer,
        where=(path, 1),
    )
    return doc, ents, cls, reader.problems + problems
