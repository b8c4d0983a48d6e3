"""Label Studio: labeling config, tasks with annotations and predictions, and the JSON export read back.

Where each field lives: a record is a region of the ``<Labels name="<layer>">`` control whose region id is the
record id; enum fields are per-region ``<Choices>``, every other field (note, quantity value as JSON text,
unit, entity and cluster registry fields, and the hidden id and provenance in a collapsed panel) a per-region
``<TextArea>``; the claim -> mention chain is relations labelled ``source_ids 1``, ``source_ids 2``, ... (the
number is the position in the chain), the cue a relation labelled ``cue`` to a ``<layer>.cue`` region.

Offsets: ``value.start``/``value.end`` of a Text region count code points in current Label Studio (the
frontend converts DOM offsets with ``[...text].length``); Label Studio 1.1 and older counted UTF-16 units. We
write code points and read code points; a region whose stated text only matches when its offsets are read as
UTF-16 units (an old frontend) is converted explicitly.

Suggestions are written as the task's ``predictions``. A document counts as curated when the chosen
annotation has a review with ``accepted: true`` (Label Studio Enterprise).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Collection

from dataset.problems import Problem, short

from .labels import Labels, SpanSpec
from .model import (
    OffsetMap,
    Read,
    Region,
    ToolDocument,
    assemble,
    is_offset,
    number_text,
    parse_number,
    pick_file,
    to_regions,
)

TEXT = "text"  # the name of the <Text> object tag
CONFIG_FILE = "label_config.xml"


def _name(value: object) -> str:
    """A name from untrusted JSON: strings only (a list or object must not reach a dict lookup)."""
    return value if isinstance(value, str) else ""


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _control(spec: SpanSpec, path: str) -> str:
    return f"{spec.layer}.{path}"


def _relation(field: str, position: int, many: bool) -> str:
    return f"{field} {position}" if many else field


def _max_items(max_items: int | None) -> int:
    return max_items if max_items is not None else 20


def project_config(labels: Labels) -> dict[str, bytes]:
    """The labeling config: Labels per layer, per-region Choices and TextAreas per field, Relations for links."""
    view = ET.Element("View")
    ET.SubElement(view, "Header", value="$doc_id")
    for spec in labels.spans:
        control = ET.SubElement(view, "Labels", name=spec.layer, toName=TEXT, choice="single")
        ET.SubElement(control, "Label", value=spec.title, hint=spec.description[:200])
    ET.SubElement(view, "Text", name=TEXT, value="$text", granularity="symbol")
    relations = ET.SubElement(view, "Relations")
    for spec in labels.spans:
        for link in spec.links:
            count = _max_items(link.max_items) if link.many else 1
            for position in range(1, count + 1):
                ET.SubElement(relations, "Relation", value=_relation(link.field, position, link.many))
    for spec in labels.spans:
        if not spec.fields:
            continue
        panel = ET.SubElement(view, "View", visibleWhen="region-selected", whenTagName=spec.layer)
        ET.SubElement(panel, "Header", value=spec.title)
        hidden = ET.Element("Panel", value="Record (kept by the converter; do not edit)")
        for f in spec.fields:
            parent = hidden if f.hidden else panel
            ET.SubElement(parent, "Header", value=f.path, size="6")
            name = _control(spec, f.path)
            if f.kind == "enum":
                choices = ET.SubElement(parent, "Choices", name=name, toName=TEXT, perRegion="true", choice="single")
                for value in f.values:
                    ET.SubElement(choices, "Choice", value=value)
            else:
                attrs = {"name": name, "toName": TEXT, "perRegion": "true", "editable": "true", "rows": "2"}
                if f.kind != "strings":
                    attrs["maxSubmissions"] = "1"
                attrs["placeholder"] = f.description[:120] or f.path
                ET.SubElement(parent, "TextArea", attrs)
        ET.SubElement(ET.SubElement(panel, "Collapse"), hidden.tag, hidden.attrib).extend(list(hidden))
    ET.indent(view)
    return {CONFIG_FILE: ET.tostring(view, encoding="unicode").encode("utf-8") + b"\n"}


def _results(regions: list[Region], labels: Labels) -> list[dict]:
    results: list[dict] = []
    for r in regions:
        spec = labels.spec(r.layer)
        assert spec is not None, r.layer
        span = {"start": r.start, "end": r.end}
        value = {**span, "text": r.stated, "labels": [spec.title]}
        results.append({"id": r.key, "from_name": r.layer, "to_name": TEXT, "type": "labels", "value": value})
        for path, field_value in r.fields.items():
            f = spec.field(path)
            assert f is not None, path
            base = {"id": r.key, "from_name": _control(spec, path), "to_name": TEXT}
            if f.kind == "enum":
                results.append({**base, "type": "choices", "value": {**span, "choices": [field_value]}})
                continue
            if f.kind == "strings":
                texts = list(field_value)  # type: ignore[call-overload]
            else:
                texts = [number_text(field_value) if f.kind == "number" else field_value]  # type: ignore[arg-type]
            if texts:
                results.append({**base, "type": "textarea", "value": {**span, "text": texts}})
        for name, keys in r.links.items():
            link = spec.link(name)
            assert link is not None, name
            for position, key in enumerate(keys, start=1):
                label = _relation(name, position, link.many)
                relation = {"from_id": r.key, "to_id": key, "type": "relation", "direction": "right", "labels": [label]}
                results.append(relation)
    return results


def export_document(
    doc: ToolDocument,
    entities: list[dict],
    clusters: list[dict],
    labels: Labels,
    suggestions: ToolDocument | None = None,
) -> dict[str, bytes]:
    """One task file (a JSON list with one task) to import into a project with ``label_config.xml``."""
    task: dict = {"data": {TEXT: doc.text, "doc_id": doc.doc_id}}
    has_records = any(doc.layers.get(spec.layer) for spec in labels.records)
    if has_records or suggestions is None:
        task["annotations"] = [{"result": _results(to_regions(doc, entities, clusters, labels), labels)}]
    if suggestions is not None:
        regions = to_regions(suggestions, entities, clusters, labels, suggestion=True)
        agents = {rec.get("annotated_by") for spec in labels.records for rec in suggestions.layers.get(spec.layer, [])}
        version = agents.pop() if len(agents) == 1 else "suggestions"
        task["predictions"] = [{"model_version": version, "result": _results(regions, labels)}]
    return {f"{doc.doc_id}.json": (json.dumps([task], ensure_ascii=False, indent=1) + "\n").encode("utf-8")}


class _Reader:
    """Label Studio results -> regions, with problems located at the export file."""

    def __init__(self, labels: Labels, text: str, path: str):
        self.labels = labels
        self.text = text
        self.path = path
        self.problems: list[Problem] = []
        self.utf16 = OffsetMap.utf16(text)
        self.controls = {_control(s, f.path): (s, f) for s in labels.spans for f in s.fields}
        self.relations = {
            _relation(link.field, position, link.many): (link.field, position)
            for s in labels.spans
            for link in s.links
            for position in range(1, (_max_items(link.max_items) if link.many else 1) + 1)
        }

    def report(self, rule: str, message: str, expected: str | None = None, found: str | None = None) -> None:
        self.problems.append(Problem(self.path, 1, rule, message, expected, found))

    def span(self, value: dict) -> tuple[int, int] | None:
        start, end, stated = value.get("start"), value.get("end"), value.get("text")
        if not (is_offset(start) and is_offset(end)):
            self.report("tool-offset", "region offsets are not integers", "integers", short([start, end]))
            return None
        if isinstance(stated, str) and self.text[start:end] != stated:  # type: ignore[misc]
            cp_start, cp_end = self.utf16.from_tool(start), self.utf16.from_tool(end)  # type: ignore[arg-type]
            if cp_start is not None and cp_end is not None and self.text[cp_start:cp_end] == stated:
                return cp_start, cp_end  # an old frontend's UTF-16 offsets
        return start, end  # type: ignore[return-value]

    def regions(self, results: object) -> list[Region]:
        if not isinstance(results, list) or not all(isinstance(item, dict) for item in results):
            self.report("tool-json", "an annotation's result must be a list of objects", "a list", short(results))
            return []
        regions: dict[str, Region] = {}
        specs = {s.layer: s for s in self.labels.spans}
        for item in results:
            if item.get("type") != "labels":
                continue
            spec, value = specs.get(_name(item.get("from_name"))), item.get("value")
            if spec is None or not isinstance(value, dict) or value.get("labels") != [spec.title]:
                self.report("tool-label", "unknown labels control or label", "a layer of the config", short(item)[:80])
                continue
            span = self.span(value)
            stated = value.get("text") if isinstance(value.get("text"), str) else None
            if span is not None:
                regions[str(item.get("id"))] = Region(str(item.get("id")), spec.layer, *span, stated, path=self.path)
        positions: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for item in results:
            kind = item.get("type")
            if kind in ("choices", "textarea"):
                self.field(item, regions)
            elif kind == "relation":
                label = _list(item.get("labels"))
                link = self.relations.get(_name(label[0])) if len(label) == 1 else None
                region = regions.get(str(item.get("from_id")))
                if link is None or region is None:
                    self.report("tool-reference", "relation with an unknown label or source", None, short(item))
                    continue
                positions.setdefault((region.key, link[0]), []).append((link[1], str(item.get("to_id"))))
            elif kind != "labels":
                self.report("tool-label", "result of a control the config does not have", None, short(kind))
        for (key, name), items in positions.items():
            regions[key].links[name] = [to for _, to in sorted(items, key=lambda item: item[0])]
        return list(regions.values())

    def field(self, item: dict, regions: dict[str, Region]) -> None:
        control = self.controls.get(_name(item.get("from_name")))
        region = regions.get(str(item.get("id")))
        value = item.get("value") if isinstance(item.get("value"), dict) else {}
        if control is None:
            self.report(
                "tool-label", "result of an unknown control", "a control of the config", short(item.get("from_name"))
            )
            return
        spec, f = control
        if region is None or region.layer != spec.layer:
            self.report("tool-reference", f"{f.path} of no {spec.title} region", "a region id", short(item.get("id")))
            return
        values = value.get("choices" if f.kind == "enum" else "text")  # type: ignore[union-attr]
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            self.report("tool-json", f"{f.path} is not a list of strings", "a list of strings", short(values))
            return
        if f.kind == "strings":
            region.fields[f.path] = values
            return
        if len(values) != 1:
            self.report("tool-label", f"{f.path} needs exactly one value", "one value", short(values))
            return
        parsed = parse_number(values[0]) if f.kind == "number" else values[0]
        if parsed is None:
            self.report("tool-label", f"{f.path} is not a number", "a JSON number", short(values[0]))
            return
        region.fields[f.path] = parsed


def _select(data: object, doc_id: str) -> tuple[dict | None, dict | None, str]:
    """The task of the document and its one submitted annotation (or the ground truth among several)."""
    tasks = [
        t
        for t in (data if isinstance(data, list) else [data])
        if isinstance(t, dict) and isinstance(t.get("data"), dict)
    ]
    chosen = [t for t in tasks if t["data"].get("doc_id") == doc_id]
    if len(chosen) != 1:
        return None, None, f"{len(chosen)} tasks with data.doc_id {doc_id}"
    task = chosen[0]
    annotations = [a for a in _list(task.get("annotations")) if isinstance(a, dict) and not a.get("was_cancelled")]
    if len(annotations) > 1:
        annotations = [a for a in annotations if a.get("ground_truth") is True]
    if len(annotations) > 1:
        return None, None, "several submitted annotations (mark one as ground truth)"
    if not annotations:
        return task, None, "no submitted annotation"
    return task, annotations[0], ""


def _parse(data: bytes, path: str) -> tuple[object, Problem | None]:
    try:
        return json.loads(data.decode("utf-8"), parse_constant=lambda name: None), None
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        line = getattr(err, "lineno", 1)
        return None, Problem(path, line, "tool-json", f"not valid JSON: {err}", "JSON", "invalid")


def route(
    paths: Collection[str], read: Read, doc_ids: Collection[str]
) -> tuple[dict[str, dict[str, bytes]], list[Problem]]:
    """Each document's task, from every ``.json`` export in the folder (a list of tasks, or one task).

    A project's export holds every task in one file, so tasks are told apart by ``data.doc_id``, which the
    exported tasks carry; each document's task goes on as a file of its own, under the export's path.
    """
    routed: dict[str, dict[str, bytes]] = {}
    first: dict[str, str] = {}
    problems: list[Problem] = []
    for path in sorted(p for p in paths if p.endswith(".json")):
        data, problem = read(path)
        parsed, problem = (None, problem) if data is None else _parse(data, path)
        if problem is not None:
            problems.append(problem)
            continue
        for number, task in enumerate(parsed if isinstance(parsed, list) else [parsed], start=1):
            task_data = task.get("data") if isinstance(task, dict) else None
            doc_id = task_data.get("doc_id") if isinstance(task_data, dict) else None
            if not isinstance(doc_id, str) or doc_id not in doc_ids:
                expected = "data.doc_id of a document in annotations/documents.jsonl"
                message = f"task {number} is of no document of the dataset"
                problems.append(Problem(path, 1, "tool-file", message, expected, short(doc_id)))
            elif doc_id in first:
                message = f"a second task of {doc_id} (task {number}): keep only the one to import"
                problems.append(Problem(path, 1, "tool-file", message, "one task per document", first[doc_id]))
            else:
                first[doc_id] = path
                routed[doc_id] = {path: json.dumps([task], ensure_ascii=False).encode("utf-8")}
    return routed, problems


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
    """A Label Studio JSON export (a list of tasks, or one task) read back into the document's records.

    Label Studio records a numeric user id, not an agent id, so ``user`` is the author of changed records.
    """
    empty = ToolDocument(doc_id, text, {})
    path, data, problem = pick_file(files, f"{doc_id}.json", ".json")
    if problem is not None:
        return empty, [], [], [problem]
    parsed, problem = _parse(data, path)
    if problem is not None:
        return empty, [], [], [problem]
    task, annotation, why = _select(parsed, doc_id)
    has_records = any(existing.layers.get(spec.layer) for spec in labels.records)
    if task is None or (annotation is None and has_records):  # no annotation is no reason to delete records
        return empty, [], [], [Problem(path, 1, "tool-file", why, "one task with one annotation", "none")]
    annotation = annotation or {"result": []}  # a task not annotated yet, of a document without records
    if task["data"].get(TEXT) != text:
        return (
            empty,
            [],
            [],
            [
                Problem(
                    path,
                    1,
                    "tool-text",
                    "the task's text differs from the seed",
                    "the seed text",
                    short(task["data"].get(TEXT)),
                )
            ],
        )
    reader = _Reader(labels, text, path)
    regions = reader.regions(annotation.get("result"))
    curated = any(isinstance(r, dict) and r.get("accepted") is True for r in _list(annotation.get("reviews")))
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
        curated=curated,
        where=(path, 1),
    )
    return doc, ents, cls, reader.problems + problems
