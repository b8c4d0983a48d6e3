"""What each page of the report shows, computed from the dataset; the templates only lay it out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..derive.card import CARD_METADATA
from ..layers import LAYERS, SPAN_LAYERS, Layer
from .changes import ADDED, CHANGED
from .charts import Chart, bar_chart, stacked_chart
from .model import ReportData
from .nesting import Span, nest
from .theme import CHART_COLOUR, LINE_STYLES, MODALITY_PALETTE, PALETTE, cycle, entity_colours

TITLE = CARD_METADATA["pretty_name"]
TOP_ENTITIES = 12
MAX_LEVEL = 4  # deeper nesting of claims is drawn at this depth (report.css has rules up to it)


@dataclass(frozen=True)
class Mark:
    """What one drawn span is: a record of a span layer, or a nested span (a cue) shared by the records naming it."""

    layer: str
    key: str
    record: dict
    level: int = 1
    change: str | None = None
    links: tuple[str, ...] = ()  # keys of the marks it points to: a claim's mentions and cue, a cue's claims


def document_path(doc_id: str) -> str:
    return f"documents/{doc_id}.html"


def _claim_levels(claims: list[dict]) -> dict[str, int]:
    """1 for a claim with no claim inside it, else one more than the highest claim inside: its underline's depth."""
    levels: dict[str, int] = {}
    done: list[dict] = []
    # Shortest first; of equal ranges the higher id first, as nest() draws it inside.
    by_id_descending = sorted(claims, key=lambda c: c["id"], reverse=True)
    for claim in sorted(by_id_descending, key=lambda c: c["end"] - c["start"]):
        inside = [
            levels[other["id"]] for other in done if claim["start"] <= other["start"] and other["end"] <= claim["end"]
        ]
        levels[claim["id"]] = 1 + max(inside, default=0)
        done.append(claim)
    return levels


def _same_document_links(layer: Layer, record: dict) -> list[str]:
    """Ids of the spans in the same document that the record references (a claim's source mentions)."""
    links: list[str] = []
    for reference in layer.references:
        if reference.same_document:
            value = record.get(reference.field)
            links.extend(value if reference.many else [value] if value else [])
    return links


def _nested_key(doc_id: str, name: str, span: dict) -> str:
    return f"{doc_id}:{name}@{span['start']}-{span['end']}"


def _marks(data: ReportData, doc_id: str) -> list[Span]:
    """Every span of the document to draw. Outer layers first on equal ranges: claims, then sources, boilerplate.

    A nested span (a claim's cue) is drawn once even where several records share it, and names them all.
    """
    spans: list[Span] = []
    levels = _claim_levels(data.spans("claims", doc_id))
    nested: dict[str, tuple[str, dict]] = {}
    owners: dict[str, list[str]] = {}
    for rank, layer in enumerate(reversed(SPAN_LAYERS)):
        for record in data.spans(layer.name, doc_id):
            links = _same_document_links(layer, record)
            for name in layer.nested_spans:
                if record.get(name):
                    key = _nested_key(doc_id, name, record[name])
                    nested[key] = (name, record[name])
                    owners.setdefault(key, []).append(record["id"])
                    links.append(key)
            level = min(levels.get(record["id"], 1), MAX_LEVEL)
            mark = Mark(layer.name, record["id"], record, level, data.change(layer.name, record["id"]), tuple(links))
            spans.append(Span(record["start"], record["end"], rank, record["id"], mark))
    for key, (name, span) in nested.items():
        mark = Mark(name, key, span, links=tuple(owners[key]))
        spans.append(Span(span["start"], span["end"], len(SPAN_LAYERS), key, mark))
    return spans


def _card(data: ReportData, claim: dict) -> dict:
    cluster = data.by_id["clusters"].get(claim["cluster_id"]) if claim["cluster_id"] else None
    conflicts = [data.by_id["clusters"][c] for c in cluster["conflicts_with"]] if cluster else []
    return {
        "claim": claim,
        "lang": data.by_id["documents"][claim["doc_id"]]["language"],
        "chain": data.chain(claim),
        "cluster": cluster,
        "conflicts": conflicts,
        "change": data.change("claims", claim["id"]),
    }


def _changes_in(data: ReportData, doc_id: str) -> dict:
    if data.changes is None:
        return {"revision": None, "records": [], "removed": []}
    records = [
        {"layer": layer.name, "record": record, "status": data.change(layer.name, record["id"])}
        for layer in SPAN_LAYERS
        for record in data.spans(layer.name, doc_id)
        if data.change(layer.name, record["id"])
    ]
    removed = [
        {"layer": layer.name, "record": record}
        for layer in SPAN_LAYERS
        for record in data.changes.removed.get(layer.name, [])
        if record.get("doc_id") == doc_id
    ]
    return {"revision": data.changes.revision, "records": records, "removed": removed}


def document_page(data: ReportData, index: int) -> dict:
    doc = data.documents[index]
    doc_id = doc["doc_id"]
    claims = data.spans("claims", doc_id)
    mentions = data.spans("sources", doc_id)
    entity_counts = Counter(m["entity_id"] for m in mentions)
    toggles = [(layer.name, len(data.spans(layer.name, doc_id))) for layer in SPAN_LAYERS]
    toggles += [
        (name, sum(1 for r in data.spans(layer.name, doc_id) if r.get(name)))
        for layer in SPAN_LAYERS
        for name in layer.nested_spans
    ]
    return {
        "root": "../",
        "title": _doc_label(doc),
        "doc": doc,
        "previous": data.documents[index - 1] if index > 0 else None,
        "next": data.documents[index + 1] if index + 1 < len(data.documents) else None,
        "tree": nest(doc["text"], _marks(data, doc_id)),
        "cards": [_card(data, claim) for claim in claims],
        "toggles": toggles,
        "categories": Counter(r["category"] for r in data.spans("boilerplate", doc_id)),
        "types": Counter(c["type"] for c in claims),
        "modalities": Counter(c["modality"] for c in claims),
        "entities": data.by_id["entities"],
        "entity_counts": [(data.by_id["entities"][e], n) for e, n in entity_counts.most_common()],
        "changes": _changes_in(data, doc_id),
        "document_change": data.change("documents", doc_id),
    }


def _doc_label(doc: dict) -> str:
    return doc["outlet"] or "outlet not stated"


def _document_row(data: ReportData, doc: dict) -> dict:
    doc_id = doc["doc_id"]
    claims = data.spans("claims", doc_id)
    furniture = sum(r["end"] - r["start"] for r in data.spans("boilerplate", doc_id))
    changed = 0
    if data.changes is not None:
        changed = sum(
            1 for layer in SPAN_LAYERS for r in data.spans(layer.name, doc_id) if data.change(layer.name, r["id"])
        )
        changed += len(_changes_in(data, doc_id)["removed"])
    return {
        "doc": doc,
        "path": document_path(doc_id),
        "label": _doc_label(doc),
        "counts": {layer.name: len(data.spans(layer.name, doc_id)) for layer in SPAN_LAYERS},
        "furniture_share": furniture / doc["length"] if doc["length"] else 0.0,
        "clustered": sum(1 for c in claims if c["cluster_id"]),
        "attributed": sum(1 for c in claims if c["source_ids"]),
        "changed": changed,
        "document_change": data.change("documents", doc_id),
    }


def _charts(data: ReportData, colours: dict[str, dict[str, str]]) -> list[Chart]:
    claims_by_doc = [(d["doc_id"], data.spans("claims", d["doc_id"])) for d in data.documents]
    charts = []
    for field in ("modality", "type"):
        values = data.enums["claims"][field]
        rows = [
            (doc_id, [(v, sum(1 for c in claims if c[field] == v)) for v in values]) for doc_id, claims in claims_by_doc
        ]
        charts.append(stacked_chart(f"claims by {field}, per document", rows, colours[field]))
    for layer in LAYERS:
        for field, values in data.enums[layer.name].items():
            counts = Counter(r[field] for r in data.tables[layer.name])
            charts.append(bar_chart(f"{layer.name}: {field}", [(v, counts[v]) for v in values], CHART_COLOUR))
    mentions = Counter(m["entity_id"] for m in data.tables["sources"])
    entities = data.by_id["entities"]
    top = [(entities[e]["name"], n) for e, n in mentions.most_common(TOP_ENTITIES)]
    charts.append(bar_chart(f"source mentions per entity (top {len(top)})", top, CHART_COLOUR))
    documents_per_cluster = Counter(
        len({c["doc_id"] for c in data.tables["claims"] if c["cluster_id"] == cluster})
        for cluster in data.by_id["clusters"]
    )
    sizes = [(f"{n} document{'s' if n != 1 else ''}", documents_per_cluster[n]) for n in sorted(documents_per_cluster)]
    charts.append(bar_chart("clusters by number of documents", sizes, CHART_COLOUR))
    return charts


def theme(data: ReportData) -> dict[str, dict[str, str]]:
    """Colour or line style per closed value, in schema order; entity backgrounds by registry position."""
    claims = data.enums["claims"]
    return {
        "type": cycle(claims["type"], PALETTE),
        "modality": cycle(claims["modality"], MODALITY_PALETTE),
        "line": cycle(claims["modality"], LINE_STYLES),
        "entity": entity_colours(data.entities_by_document),
    }


def _change_summary(data: ReportData) -> dict | None:
    """Per layer: how many records were added, changed, removed; registry records listed (spans: on their page)."""
    if data.changes is None:
        return None
    layers = []
    for layer in LAYERS:
        records = [] if layer.is_span else data.tables[layer.name]
        listed = [(r, data.change(layer.name, r[layer.id_field])) for r in records]
        listed = [(r, status) for r, status in listed if status]
        removed = data.changes.removed.get(layer.name, [])
        layers.append(
            {
                "layer": layer.name,
                "id_field": layer.id_field,
                "added": data.changes.count(layer.name, ADDED),
                "changed": data.changes.count(layer.name, CHANGED),
                "records": listed,
                "removed": removed,
                "listed": len(listed) + len(removed),
            }
        )
    return {"revision": data.changes.revision, "layers": layers}


def index_page(data: ReportData, colours: dict[str, dict[str, str]]) -> dict:
    return {
        "root": "",
        "title": TITLE,
        "counts": [(layer.name, len(data.tables[layer.name])) for layer in LAYERS],
        "span_layers": [layer.name for layer in SPAN_LAYERS],
        "rows": [_document_row(data, doc) for doc in data.documents],
        "charts": _charts(data, colours),
        "changes": _change_summary(data),
    }


def _conflict_groups(data: ReportData) -> list[list[dict]]:
    """Clusters grouped with those they contradict (connected by conflicts_with), contradictions first."""
    clusters = data.by_id["clusters"]
    docs = {cid: {c["doc_id"] for c in data.tables["claims"] if c["cluster_id"] == cid} for cid in clusters}
    seen: set[str] = set()
    groups = []
    for cid in sorted(clusters, key=lambda c: (-len(docs[c]), c)):
        if cid in seen:
            continue
        group, todo = [], [cid]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            group.append(clusters[current])
            todo.extend(clusters[current]["conflicts_with"])
        groups.append(sorted(group, key=lambda c: (-len(docs[c["id"]]), c["id"])))
    return sorted(groups, key=lambda g: (len(g) == 1, -max(len(docs[c["id"]]) for c in g)))


def cluster_page(data: ReportData) -> dict:
    claims_in: dict[tuple[str, str], list[dict]] = {}
    for claim in data.tables["claims"]:
        if claim["cluster_id"]:
            claims_in.setdefault((claim["cluster_id"], claim["doc_id"]), []).append(claim)
    groups = []
    for group in _conflict_groups(data):
        rows = []
        for cluster in group:
            cells = []
            for doc in data.documents:
                found = sorted(claims_in.get((cluster["id"], doc["doc_id"]), []), key=lambda c: c["start"])
                cells.append([{**_card(data, claim), "path": document_path(doc["doc_id"])} for claim in found])
            rows.append(
                {
                    "cluster": cluster,
                    "conflicts": [data.by_id["clusters"][c] for c in cluster["conflicts_with"]],
                    "cells": cells,
                    "documents": sum(1 for cell in cells if cell),
                    "change": data.change("clusters", cluster["id"]),
                }
            )
        groups.append(rows)
    return {
        "root": "",
        "title": "Clusters by outlet",
        "columns": [
            {"doc": doc, "label": _doc_label(doc), "path": document_path(doc["doc_id"])} for doc in data.documents
        ],
        "groups": groups,
        "clustered": sum(len(v) for v in claims_in.values()),
        "conflict_pairs": sum(len(c["conflicts_with"]) for c in data.tables["clusters"]) // 2,
    }
