"""Everything the figures count, gathered as a consumer of the corpus stream (one pass, flat memory)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..agents import is_person
from ..layers import DOCUMENT_LAYER, LAYERS, SPAN_LAYERS
from ..read.corpus import Corpus, Document
from ..read.jsonl import Record

REVIEW_FIELDS = ("review_status", "reviewed_by")


@dataclass
class Tally:
    """Counts per document and layer, closed-value distributions, review outcomes, cluster sizes."""

    gold: str = "annotations"  # the store counted
    enum_fields: dict[str, list[str]] = field(default_factory=dict)  # layer -> its closed-value fields
    per_document: dict[str, Counter] = field(default_factory=dict)
    outlets: dict[str, str | None] = field(default_factory=dict)
    documents: dict[str, dict] = field(default_factory=dict)  # doc_id -> its hand-written metadata record
    values: dict[tuple[str, str], Counter] = field(default_factory=lambda: defaultdict(Counter))
    review: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    reviewers: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    checked: Counter = field(default_factory=Counter)  # layer -> records a person reviewed (dataset/agents.py)
    cluster_claims: Counter = field(default_factory=Counter)
    cluster_documents: Counter = field(default_factory=Counter)  # documents with a claim in the cluster
    clusters: list[tuple[str, list[str]]] = field(default_factory=list)  # (id, conflicts_with) in registry order

    @classmethod
    def start(cls, corpus: Corpus) -> Tally:
        """A tally with the registries counted (the documents file and the gold registries)."""
        tally = cls(corpus.gold_store().name, {layer.name: list(corpus.schemas.enums(layer)) for layer in LAYERS})
        for record in corpus.records.values():
            tally._record(DOCUMENT_LAYER.name, record.data)
            tally.outlets[record.data["doc_id"]] = record.data.get("outlet")
            tally.documents[record.data["doc_id"]] = record.data
            tally.per_document[record.data["doc_id"]] = Counter()
        for name, file in corpus.registries[tally.gold].items():
            for record in file.records:
                tally._record(name, record.data)
                if name == "clusters":
                    tally.clusters.append((str(record.data.get("id")), list(record.data.get("conflicts_with") or [])))
        return tally

    def _record(self, layer: str, data: dict) -> None:
        self.review[layer][str(data.get("review_status"))] += 1
        if data.get("reviewed_by"):
            self.reviewers[layer][str(data["reviewed_by"])] += 1
            if is_person(data["reviewed_by"]):
                self.checked[layer] += 1
        for name in self.enum_fields.get(layer, []):
            if name not in REVIEW_FIELDS:
                self.values[(layer, name)][str(data.get(name))] += 1

    def fresh(self) -> Tally:
        return Tally(self.gold, self.enum_fields)

    def document(self, doc: Document) -> None:
        if doc.flawed:
            return  # the checker reported it; nothing is derived from a flawed document
        counts = Counter()
        used: set[str] = set()
        for layer in SPAN_LAYERS:
            records: list[Record] = doc.files[self.gold][layer.name].records
            counts[layer.name] = len(records)
            for record in records:
                self._record(layer.name, record.data)
                for ref in layer.references:
                    if ref.target == "clusters" and isinstance(cluster := record.data.get(ref.field), str):
                        counts["clustered"] += 1
                        self.cluster_claims[cluster] += 1
                        used.add(cluster)
        self.cluster_documents.update(used)
        self.per_document[doc.doc_id] = counts

    def end_batch(self) -> None:
        pass

    def merge(self, other: Tally) -> None:
        self.per_document.update(other.per_document)
        for key, counter in other.values.items():
            self.values[key].update(counter)
        for layer, counter in other.review.items():
            self.review[layer].update(counter)
        for layer, counter in other.reviewers.items():
            self.reviewers[layer].update(counter)
        self.checked.update(other.checked)
        self.cluster_claims.update(other.cluster_claims)
        self.cluster_documents.update(other.cluster_documents)

    def layer_total(self, layer: str) -> int:
        return sum(self.review[layer].values())
