"""The loaded, validated dataset with the look-ups the report's pages need."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from ..derive.card import SPLIT
from ..layers import LAYERS, SPAN_LAYERS
from ..loading import load
from ..repo import Repo
from ..schemas import Schemas
from .changes import Changes


@dataclass
class ReportData:
    """Every layer's rows (as load() returns them), plus indexes by id and by document."""

    repo: Repo
    tables: dict[str, list[dict]]
    enums: dict[str, dict[str, list[str]]]
    changes: Changes | None = None

    @classmethod
    def read(cls, repo: Repo, changes: Changes | None = None) -> ReportData:
        """Validate and load (load() refuses an invalid dataset with InvalidDatasetError)."""
        loaded = load(repo.root)
        schemas = Schemas(repo)
        tables = {name: configs[SPLIT].to_list() for name, configs in loaded.items()}
        enums = {layer.name: schemas.enums(layer) for layer in LAYERS}
        return cls(repo, tables, enums, changes)

    @cached_property
    def by_id(self) -> dict[str, dict[str, dict]]:
        return {layer.name: {r[layer.id_field]: r for r in self.tables[layer.name]} for layer in LAYERS}

    @cached_property
    def documents(self) -> list[dict]:
        return sorted(self.tables["documents"], key=lambda d: d["doc_id"])

    @cached_property
    def spans_of(self) -> dict[str, dict[str, list[dict]]]:
        """Span records by layer name and document, in canonical order."""
        spans: dict[str, dict[str, list[dict]]] = {}
        for layer in SPAN_LAYERS:
            per_doc: dict[str, list[dict]] = defaultdict(list)
            for record in sorted(self.tables[layer.name], key=layer.sort_key):
                per_doc[record["doc_id"]].append(record)
            spans[layer.name] = dict(per_doc)
        return spans

    def spans(self, layer: str, doc_id: str) -> list[dict]:
        return self.spans_of[layer].get(doc_id, [])

    @cached_property
    def entities_by_document(self) -> list[set[str]]:
        """The entities each document's source mentions link to."""
        return [{m["entity_id"] for m in self.spans("sources", d["doc_id"])} for d in self.documents]

    def change(self, layer: str, record_id: str) -> str | None:
        return self.changes.of(layer, record_id) if self.changes else None

    def chain(self, claim: dict) -> list[dict]:
        """The claim's attribution, outermost reporter first: each mention with its entity."""
        links = []
        for mention_id in claim["source_ids"]:
            mention = self.by_id["sources"][mention_id]
            entity = self.by_id["entities"][mention["entity_id"]]
            links.append({"mention": mention, "entity": entity})
        return links
