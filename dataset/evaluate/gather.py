"""What scoring needs from the corpus stream, kept in one pass: texts and the span records of the chosen stores.

The scoring core (tasks.py) works on plain dicts; `Gathered` is the stream consumer that collects them (every
document's text and, per store, layer and document, the records as parsed), and `scored_corpus` turns one store
into the core's `Corpus`. A layer counts as predicted when the store has its folder (span layers) or its file
(registries): a document without a file in a predicted layer has nothing predicted in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..layers import BY_NAME, SPAN_LAYERS
from ..read.corpus import Corpus as StreamCorpus
from ..read.corpus import Document
from ..repo import Store
from ..schemas import Schemas
from .tasks import Corpus, Labels

CLUSTERS = BY_NAME["clusters"]  # the registry the clustering task reads conflicts from


def labels(schemas: Schemas) -> Labels:
    """The closed label sets the scorer needs, as the schemas' enums give them."""
    claims, boilerplate = BY_NAME["claims"], BY_NAME["boilerplate"]
    return Labels(
        claim_types=tuple(schemas.enum(claims, "type")),
        modalities=tuple(schemas.enum(claims, "modality")),
        categories=tuple(schemas.enum(boilerplate, "category")),
    )


@dataclass
class Gathered:
    """A stream consumer: each document's text and the named stores' span records (store -> layer -> doc -> data).

    Flawed documents are skipped (the checker reported them, and nothing is scored from invalid data).
    """

    stores: tuple[str, ...]
    texts: dict[str, str] = field(default_factory=dict)
    records: dict[str, dict[str, dict[str, list[dict]]]] = field(default_factory=dict)

    def fresh(self) -> Gathered:
        return Gathered(self.stores)

    def document(self, doc: Document) -> None:
        if doc.flawed or doc.seed.text is None or not self.stores:
            return
        self.texts[doc.doc_id] = doc.seed.text
        for store in self.stores:
            for layer in SPAN_LAYERS:
                file = doc.files[store][layer.name]
                if file.present:
                    by_doc = self.records.setdefault(store, {}).setdefault(layer.name, {})
                    by_doc[doc.doc_id] = [record.data for record in file.records]

    def end_batch(self) -> None:
        pass

    def merge(self, other: Gathered) -> None:
        self.texts.update(other.texts)
        for store, layers in other.records.items():
            for name, docs in layers.items():
                self.records.setdefault(store, {}).setdefault(name, {}).update(docs)

    def layer(self, store: str, layer: str) -> dict[str, list[dict]]:
        return self.records.get(store, {}).get(layer, {})


def predicted_layers(store: Store) -> list[str]:
    """The span layers a store predicts: those whose folder it has."""
    return [layer.name for layer in SPAN_LAYERS if store.layer_folder(layer).is_dir()]


def scored_corpus(gathered: Gathered, corpus: StreamCorpus, store: Store, *, gold: bool = False) -> Corpus:
    """One store as the scoring core's Corpus: texts (gold only), predicted span layers, the cluster registry."""
    names = [layer.name for layer in SPAN_LAYERS] if gold else predicted_layers(store)
    layers = {name: gathered.layer(store.name, name) for name in names}
    registry = corpus.registries[store.name][CLUSTERS.name]
    clusters = [record.data for record in registry.records] if registry.present else None
    return Corpus(dict(gathered.texts) if gold else {}, layers, clusters)
