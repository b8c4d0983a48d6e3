"""What each page of the report shows, computed from the data; the templates only lay it out.

A document's page is computed from that document alone (and the registries), as the stream hands it over. The
index, clusters and entities pages are computed at the end from what every document left behind: counts, and
fragments rendered on the way (spool.py). Every look-up is by key: nothing scans all records per record.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from ..derive.card import CARD_METADATA
from ..derive.figures import PER_DOCUMENT_UP_TO
from ..derive.tally import Tally
from ..layers import LAYERS, SPAN_LAYERS, Layer
from .changes import ADDED, CHANGED, Changes
from .charts import Chart, bar_chart, stacked_chart
from .model import DocumentView, Registries
from .nesting import Span, nest
from .spool import Spool
from .theme import CHART_COLOUR

TITLE = CARD_METADATA["pretty_name"]
TOP_ENTITIES = 12
TOP_LABELS = PER_DOCUMENT_UP_TO  # bars of a per-document (or per-outlet) chart; the rest are summed up as one
MAX_LEVEL = 4  # deeper nesting of claims is drawn at this depth (report.css has rules up to it)
MATRIX_COLUMNS = 12  # more documents than this: the clusters page lists each cluster's reports, no empty cells
OUTLET_NOT_STATED = "outlet not stated"


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


def doc_label(doc: dict) -> str:
    return doc.get("outlet") or OUTLET_NOT_STATED


def _change(changes: Changes | None, layer: str, record_id: str) -> str | None:
    return changes.of(layer, record_id) if changes else None


def claim_levels(claims: list[dict]) -> dict[str, int]:
    """1 for a claim with no claim inside it, else one more than the highest claim inside: its underline's depth.

    Of two claims with the same range the one with the higher id is inside (as nest() draws it). One pass in
    order of end (and, on equal ends, of start from the back), with a Fenwick tree of the highest level so far
    by start: n log n.
    """
    order = sorted(claims, key=lambda c: c["id"], reverse=True)
    order.sort(key=lambda c: (c["end"], -c["start"]))
    starts = sorted({c["start"] for c in claims})
    rank = {start: len(starts) - index for index, start in enumerate(starts)}  # later starts come first
    tree = [0] * (len(starts) + 1)
    levels: dict[str, int] = {}
    for claim in order:
        best, position = 0, rank[claim["start"]]
        while position > 0:  # the highest level among the claims done that start at or after this one
            best = max(best, tree[position])
            position -= position & -position
        level = levels[claim["id"]] = best + 1
        position = rank[claim["start"]]
        while position < len(tree):
            tree[position] = max(tree[position], level)
            position += position & -position
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


def _marks(view: DocumentView, changes: Changes | None) -> list[Span]:
    """Every span of the document to draw. Outer layers first on equal ranges: claims, then sources, boilerplate.

    A nested span (a claim's cue) is drawn once even where several records share it, and names them all.
    """
    spans: list[Span] = []
    levels = claim_levels(view.records("claims"))
    nested: dict[str, tuple[str, dict]] = {}
    owners: dict[str, list[str]] = {}
    for rank, layer in enumerate(reversed(SPAN_LAYERS)):
        for record in view.records(layer):
            links = _same_document_links(layer, record)
            for name in layer.nested_spans:
                if record.get(name):
                    key = _nested_key(view.doc_id, name, record[name])
                    nested[key] = (name, record[name])
                    owners.setdefault(key, []).append(record["id"])
                    links.append(key)
            level = min(levels.get(record["id"], 1), MAX_LEVEL)
            change = _change(changes, layer.name, record["id"])
            mark = Mark(layer.name, record["id"], record, level, change, tuple(links))
            spans.append(Span(record["start"], record["end"], rank, record["id"], mark))
    for key, (name, span) in nested.items():
        mark = Mark(name, key, span, links=tuple(owners[key]))
        spans.append(Span(span["start"], span["end"], len(SPAN_LAYERS), key, mark))
    return spans


def card(view: DocumentView, registries: Registries, changes: Changes | None, claim: dict) -> dict:
    cluster = registries.clusters.get(claim["cluster_id"]) if claim["cluster_id"] else None
    conflicts = [registries.clusters[c] for c in cluster["conflicts_with"]] if cluster else []
    return {
        "claim": claim,
        "lang": view.row["language"],
        "chain": view.chain(claim, registries),
        "cluster": cluster,
        "conflicts": conflicts,
        "change": _change(changes, "claims", claim["id"]),
        "path": document_path(view.doc_id),
    }


def _changes_in(view: DocumentView, changes: Changes | None) -> dict:
    if changes is None:
        return {"revision": None, "records": [], "removed": []}
    records = [
        {"layer": layer.name, "record": record, "status": status}
        for layer in SPAN_LAYERS
        for record in view.records(layer)
        if (status := changes.of(layer.name, record["id"]))
    ]
    removed = [{"layer": name, "record": record} for name, record in changes.removed_in.get(view.doc_id, [])]
    return {"revision": changes.revision, "records": records, "removed": removed}


def document_page(
    view: DocumentView,
    registries: Registries,
    changes: Changes | None,
    previous: str | None,
    following: str | None,
) -> dict:
    claims = view.records("claims")
    mentions = view.records("sources")
    toggles = [(layer.name, len(view.spans[layer.name])) for layer in SPAN_LAYERS]
    for layer in SPAN_LAYERS:
        toggles += [(name, sum(1 for r in view.records(layer) if r.get(name))) for name in layer.nested_spans]
    entity_counts = Counter(m["entity_id"] for m in mentions)
    return {
        "root": "../",
        "title": doc_label(view.row),
        "doc": view.row,
        "previous": previous,
        "next": following,
        "tree": nest(view.row["text"], _marks(view, changes)),
        "cards": [card(view, registries, changes, claim) for claim in claims],
        "toggles": toggles,
        "categories": Counter(r["category"] for r in view.records("boilerplate")),
        "types": Counter(c["type"] for c in claims),
        "modalities": Counter(c["modality"] for c in claims),
        "entities": registries.entities,
        "entity_counts": [(registries.entities[e], n) for e, n in entity_counts.most_common()],
        "changes": _changes_in(view, changes),
        "document_change": _change(changes, "documents", view.doc_id),
    }


def document_row(view: DocumentView, changes: Changes | None, warnings: int | None) -> dict:
    """The document's row in the index's table."""
    doc = view.row
    claims = view.records("claims")
    furniture = sum(r["end"] - r["start"] for r in view.records("boilerplate"))
    changed = 0
    if changes is not None:
        changed = sum(1 for layer in SPAN_LAYERS for r in view.records(layer) if changes.of(layer.name, r["id"]))
        changed += len(changes.removed_in.get(view.doc_id, []))
    return {
        "doc": doc,
        "path": document_path(view.doc_id),
        "label": doc_label(doc),
        "counts": {layer.name: len(view.spans[layer.name]) for layer in SPAN_LAYERS},
        "furniture_share": furniture / doc["length"] if doc["length"] else 0.0,
        "clustered": sum(1 for c in claims if c["cluster_id"]),
        "attributed": sum(1 for c in claims if c["source_ids"]),
        "changed": changed,
        "warnings": warnings,
        "document_change": _change(changes, "documents", view.doc_id),
    }


# -- the pages built at the end --------------------------------------------------------------------------------


@dataclass
class Totals:
    """What the charts count beyond the figures' tally, gathered document by document (merged across workers)."""

    by_label: dict[str, dict[str, Counter]]  # claims field -> row label (document or outlet) -> value counts
    mentions: Counter  # entity -> source mentions
    warnings: int = 0  # lint warnings about records the pages show

    @classmethod
    def empty(cls) -> Totals:
        return cls({"modality": {}, "type": {}}, Counter())

    def add(self, label: str, claims: list[dict], mentions: list[dict]) -> None:
        for field, rows in self.by_label.items():
            rows.setdefault(label, Counter()).update(c[field] for c in claims)
        self.mentions.update(m["entity_id"] for m in mentions)

    def merge(self, other: Totals) -> None:
        for field, rows in other.by_label.items():
            for label, counts in rows.items():
                self.by_label[field].setdefault(label, Counter()).update(counts)
        self.mentions.update(other.mentions)
        self.warnings += other.warnings


def _top(rows: dict[str, Counter], values: list[str]) -> list[tuple[str, list[tuple[str, int]]]]:
    """Rows in label order; beyond TOP_LABELS, the largest ones and one row that sums up the rest."""
    labels = sorted(rows)
    shown = [(label, rows[label]) for label in labels]
    if len(labels) > TOP_LABELS:
        keep = set(sorted(labels, key=lambda label: (-sum(rows[label].values()), label))[: TOP_LABELS - 1])
        rest: Counter = Counter()
        for label in labels:
            if label not in keep:
                rest.update(rows[label])
        shown = [(label, rows[label]) for label in labels if label in keep]
        shown.append((f"{len(labels) - len(keep)} more", rest))
    return [(label, [(value, counts[value]) for value in values]) for label, counts in shown]


def charts(tally: Tally, totals: Totals, registries: Registries, colours: dict, per_document: bool) -> list[Chart]:
    charts = []
    unit = "document" if per_document else "outlet"
    for field in ("modality", "type"):
        values = registries.enums["claims"][field]
        rows = _top(totals.by_label[field], values)
        charts.append(stacked_chart(f"claims by {field}, per {unit}", rows, colours[field]))
    for layer in LAYERS:
        for field, values in registries.enums[layer.name].items():
            counts = tally.review[layer.name] if field == "review_status" else tally.values[(layer.name, field)]
            charts.append(bar_chart(f"{layer.name}: {field}", [(v, counts[v]) for v in values], CHART_COLOUR))
    entities = registries.entities
    top = [(entities[e]["name"], n) for e, n in totals.mentions.most_common(TOP_ENTITIES)]
    charts.append(bar_chart(f"source mentions per entity (top {len(top)})", top, CHART_COLOUR))
    per_cluster = Counter(tally.cluster_documents[cluster] for cluster in registries.clusters)
    sizes = [(f"{n} document{'s' if n != 1 else ''}", per_cluster[n]) for n in sorted(per_cluster)]
    charts.append(bar_chart("clusters by number of documents", sizes, CHART_COLOUR))
    return charts


def _change_summary(registries: Registries, changes: Changes | None) -> dict | None:
    """Per layer: how many records were added, changed, removed; registry records listed (spans: on their page)."""
    if changes is None:
        return None
    layers = []
    for layer in LAYERS:
        records = [r.data for r in registries.records.get(layer.name, [])]
        listed = [(r, changes.of(layer.name, str(r.get(layer.id_field)))) for r in records]
        listed = [(r, status) for r, status in listed if status]
        removed = changes.removed.get(layer.name, [])
        layers.append(
            {
                "layer": layer.name,
                "id_field": layer.id_field,
                "added": changes.count(layer.name, ADDED),
                "changed": changes.count(layer.name, CHANGED),
                "records": listed,
                "removed": removed,
                "listed": len(listed) + len(removed),
            }
        )
    return {"revision": changes.revision, "layers": layers}


def index_page(
    tally: Tally,
    totals: Totals,
    registries: Registries,
    changes: Changes | None,
    spool: Spool,
    colours: dict,
    *,
    per_document: bool,
    lint: bool,
) -> dict:
    """per_document: a bar per document in the per-document charts (else per outlet)."""
    checked = sum(tally.checked.values())
    return {
        "root": "",
        "title": TITLE,
        "counts": [(layer.name, tally.layer_total(layer.name)) for layer in LAYERS],
        "checked": checked,
        "records": sum(tally.layer_total(layer.name) for layer in LAYERS),
        "span_layers": [layer.name for layer in SPAN_LAYERS],
        "rows": spool.rows(),
        "charts": charts(tally, totals, registries, colours, per_document),
        "changes": _change_summary(registries, changes),
        "lint": lint,
        "warnings": totals.warnings,
    }


def conflict_groups(clusters: dict[str, dict], documents: Counter) -> list[list[dict]]:
    """Clusters grouped with those they contradict (connected by conflicts_with), contradictions first; each
    group and the groups by how many documents report them."""
    seen: set[str] = set()
    groups = []
    for cid in sorted(clusters, key=lambda c: (-documents[c], c)):
        if cid in seen:
            continue
        group, todo = [], [cid]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            group.append(clusters[current])
            todo.extend(c for c in clusters[current]["conflicts_with"] if c in clusters)
        groups.append(sorted(group, key=lambda c: (-documents[c["id"]], c["id"])))
    return sorted(groups, key=lambda g: (len(g) == 1, -max(documents[c["id"]] for c in g)))


def _cells(spool: Spool, cluster: str) -> Iterator[tuple[int, list]]:
    """The cluster's claims, grouped by the number of the document that reports them."""
    for doc, entries in groupby(spool.entries(cluster), key=itemgetter(0)):
        yield doc, [entry for _, entry in entries]


def _matrix_cells(spool: Spool, cluster: str, columns: int) -> list[list]:
    """One cell per document, empty where the document does not report the cluster."""
    cells: list[list] = [[] for _ in range(columns)]
    for doc, cell in _cells(spool, cluster):
        cells[doc] = cell
    return cells


def cluster_page(
    registries: Registries, tally: Tally, spool: Spool, documents: list[dict], changes: Changes | None
) -> dict:
    """documents: every document's hand-written record, in corpus order (only used by number, or as columns)."""
    matrix = len(documents) <= MATRIX_COLUMNS
    clusters = registries.clusters

    def rows(group: list[dict]) -> Iterator[dict]:
        for cluster in group:
            cid = cluster["id"]
            if matrix:
                cells = [(documents[n], cell) for n, cell in enumerate(_matrix_cells(spool, cid, len(documents)))]
            else:
                cells = ((documents[n], cell) for n, cell in _cells(spool, cid))
            yield {
                "cluster": cluster,
                "conflicts": [clusters[c] for c in cluster["conflicts_with"] if c in clusters],
                "cells": cells,
                "documents": tally.cluster_documents[cid],
                "change": _change(changes, "clusters", cid),
            }

    groups = conflict_groups(clusters, tally.cluster_documents)
    return {
        "root": "",
        "title": "Clusters by outlet",
        "matrix": matrix,
        "columns": [{"doc": doc, "label": doc_label(doc), "path": document_path(doc["doc_id"])} for doc in documents]
        if matrix
        else [],
        "groups": ((len(group) > 1, rows(group)) for group in groups),
        "clusters": len(clusters),
        "clustered": sum(tally.cluster_claims.values()),
        "conflict_pairs": sum(len(c["conflicts_with"]) for c in clusters.values()) // 2,
    }


def entity_page(registries: Registries, totals: Totals, spool: Spool, changes: Changes | None) -> dict:
    documents = spool.documents_per_entity()
    rows = [
        {
            "entity": record.data,
            "mentions": totals.mentions[record.data["id"]],
            "documents": documents.get(record.data["id"], 0),
            "change": _change(changes, "entities", record.data["id"]),
        }
        for record in registries.records["entities"]
    ]
    return {"root": "", "title": "Entities", "rows": rows}
