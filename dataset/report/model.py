"""What the report's pages are made from: the registries (read once, before the stream) and one document at a
time as the corpus stream hands it over, with the look-ups its page needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..derive.documents import document_row
from ..layers import BY_NAME, DOCUMENT_LAYER, LAYERS, SPAN_LAYERS, Layer
from ..read.corpus import Corpus, Document
from ..read.jsonl import Record
from ..schemas import Schemas


@dataclass
class Registries:
    """What is read before the stream (every worker shares it): the registry layers and the documents file's
    records, by id, and the schemas' closed values."""

    records: dict[str, list[Record]]  # layer name -> its records (registries in file order, documents by id)
    enums: dict[str, dict[str, list[str]]]  # layer name -> closed-value field -> values in schema order
    by_id: dict[str, dict[str, dict]] = field(default_factory=dict)

    @classmethod
    def read(cls, corpus: Corpus) -> Registries:
        files = corpus.registries[corpus.gold_store().name]
        records = {name: file.records for name, file in files.items()}
        records[DOCUMENT_LAYER.name] = [corpus.records[doc_id] for doc_id in corpus.doc_ids]
        enums = {layer.name: corpus.schemas.enums(layer) for layer in LAYERS}
        by_id = {
            name: {str(r.data.get(BY_NAME[name].id_field)): r.data for r in found} for name, found in records.items()
        }
        return cls(records, enums, by_id)

    @property
    def entities(self) -> dict[str, dict]:
        return self.by_id["entities"]

    @property
    def clusters(self) -> dict[str, dict]:
        return self.by_id["clusters"]

    @property
    def documents(self) -> list[dict]:
        """Every document's hand-written record, in the corpus's order."""
        return [record.data for record in self.records[DOCUMENT_LAYER.name]]


class DocumentView:
    """One document of the stream: its published row and its span records, each layer in canonical order."""

    def __init__(self, doc: Document, gold: str, schemas: Schemas) -> None:
        self.doc_id = doc.doc_id
        self.source = doc.record  # the hand-written documents record, as the review mode shows it
        self.row = document_row(doc, schemas)
        self.spans: dict[str, list[Record]] = {
            layer.name: sorted(doc.files[gold][layer.name].records, key=lambda r, k=layer.sort_key: k(r.data))
            for layer in SPAN_LAYERS
        }

    def records(self, layer: Layer | str) -> list[dict]:
        return [r.data for r in self.spans[layer if isinstance(layer, str) else layer.name]]

    @cached_property
    def mentions(self) -> dict[str, dict]:
        return {str(m["id"]): m for m in self.records("sources")}

    def chain(self, claim: dict, registries: Registries) -> list[dict]:
        """The claim's attribution, outermost reporter first: each mention with its entity."""
        links = []
        for mention_id in claim["source_ids"]:
            mention = self.mentions[mention_id]
            links.append({"mention": mention, "entity": registries.entities[mention["entity_id"]]})
        return links
