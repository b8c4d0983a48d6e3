"""Every committed system and every stored annotation pass, scored against the final data by the one scorer.

`Scoreboard` is a consumer of the build's single pass: it keeps the gold's and every other store's span records
(memory is a few times the annotation, which is small; with no other store it keeps nothing). After the pass,
`rows()` scores each stored pass and clustering (the annotator rows: the ceiling) and each committed prediction
folder (the systems) on its tasks and on the two claim slices, point estimates only (the intervals are
`evaluate`'s: a thousand resamples per system would make every `validate` slow). The README's results and
agreement tables are rendered from these rows (tables.py, derive/agreement.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..layers import BY_NAME
from ..read.corpus import Corpus as StreamCorpus
from ..read.corpus import Document
from ..repo import GOLD, PASS, PREDICTION, Store
from .gather import Gathered, labels, scored_corpus
from .slices import BLIND, FIRST, claim_slices
from .systems import read_system
from .tasks import TASKS, Corpus, Labels, covered, score, score_slice

CLAIMS = BY_NAME["claims"].name
CLUSTERING = "clustering"


@dataclass(frozen=True)
class Row:
    """One scored annotation: who made it, what it was given, its metrics per task and per slice."""

    name: str
    kind: str  # "annotators" or "system"
    description: str
    given: str | None
    command: str | None
    tasks: dict[str, dict[str, float]]
    slices: dict[str, dict[str, float]] = field(default_factory=dict)


def clustering_name(rel: str) -> str:
    """A stored clustering's row name: its file under annotations/, without the extension (review/clusters/k1)."""
    return rel.removeprefix("annotations/").removesuffix(".jsonl")


def restrict(corpus: Corpus, doc_ids: Iterable[str]) -> Corpus:
    """The corpus on some documents only (a stored pass covers the documents it annotated, not the corpus)."""
    keep = set(doc_ids)
    layers = {name: {d: r for d, r in by_doc.items() if d in keep} for name, by_doc in corpus.layers.items()}
    return Corpus({d: t for d, t in corpus.texts.items() if d in keep}, layers, corpus.clusters)


def with_clusters(gold: Corpus, assignment: Mapping[str, str]) -> Corpus:
    """The gold claims with another clustering (claim id -> cluster id; a claim it omits is a singleton)."""
    claims = {
        doc: [{**claim, "cluster_id": assignment.get(claim["id"])} for claim in records]
        for doc, records in gold.layers[CLAIMS].items()
    }
    return Corpus(gold.texts, {CLAIMS: claims}, None)


class Scoreboard:
    """A build consumer gathering every store, and the scores of each pass, clustering and system after the pass."""

    def __init__(self, corpus: StreamCorpus, gathered: Gathered | None = None) -> None:
        self.corpus = corpus
        others = [s for s in corpus.stores if s.role != GOLD]
        names = (corpus.gold_store().name, *(s.name for s in others)) if others else ()
        self.gathered = gathered if gathered is not None else Gathered(names)

    def fresh(self) -> Scoreboard:
        return Scoreboard(self.corpus, self.gathered.fresh())

    def document(self, doc: Document) -> None:
        self.gathered.document(doc)

    def end_batch(self) -> None:
        pass

    def merge(self, other: Scoreboard) -> None:
        self.gathered.merge(other.gathered)

    # -- after the pass ------------------------------------------------------------------------------------------

    @property
    def labels(self) -> Labels:
        return labels(self.corpus.schemas)

    @property
    def gold_name(self) -> str:
        return self.corpus.gold_store().name

    def store(self, name: str) -> Store | None:
        return next((s for s in self.corpus.stores if s.name == name), None)

    def gold(self) -> Corpus:
        return scored_corpus(self.gathered, self.corpus, self.corpus.gold_store(), gold=True)

    def annotated(self, store: Store) -> list[str]:
        """The documents a stored pass has files for."""
        return sorted({d for by_doc in self.gathered.records.get(store.name, {}).values() for d in by_doc})

    def as_gold(self, store: Store) -> Corpus:
        """A stored pass as the reference another annotation is scored against (agreement between passes)."""
        return restrict(scored_corpus(self.gathered, self.corpus, store, gold=True), self.annotated(store))

    def prediction(self, store: Store) -> Corpus:
        return scored_corpus(self.gathered, self.corpus, store)

    def slices(self) -> dict[str, list[str]]:
        """The agreed and adjudicated claims (slices.py), when both stored passes are there."""
        if self.store(FIRST) is None or self.store(BLIND) is None:
            return {}
        layer = self.gathered.layer
        return claim_slices(layer(self.gold_name, CLAIMS), layer(FIRST, CLAIMS), layer(BLIND, CLAIMS))

    def sizes(self) -> dict[str, int]:
        return {name: len(ids) for name, ids in self.slices().items() if ids}

    def scores(self, gold: Corpus, pred: Corpus, tasks: list[str]) -> dict[str, dict[str, float]]:
        return {name: result.metrics for name, result in score(gold, pred, tasks, labels=self.labels).items()}

    def slice_scores(self, gold: Corpus, pred: Corpus, slices: dict[str, list[str]]) -> dict[str, dict[str, float]]:
        wanted = {name: ids for name, ids in slices.items() if ids}
        gold_ids = {c["id"] for records in gold.layers.get(CLAIMS, {}).values() for c in records}
        return {
            name: score_slice(gold, pred, [i for i in ids if i in gold_ids], labels=self.labels, name=name).metrics
            for name, ids in wanted.items()
            if any(i in gold_ids for i in ids)
        }

    def rows(self, clusterings: Mapping[str, Mapping[str, str]]) -> list[Row]:
        """Annotator rows (stored passes, stored clusterings) then system rows (committed predictions, by name)."""
        if not self.gathered.stores:
            return []
        gold, slices, result = self.gold(), self.slices(), []
        for store in self.corpus.stores:
            if store.role != PASS:
                continue
            pred = self.prediction(store)
            tasks = [t for t in TASKS if covered(t, pred) and (t != CLUSTERING or pred.clusters is not None)]
            docs = self.annotated(store)
            scoped = restrict(gold, docs)
            who = {r.get("annotated_by") for by_doc in pred.layers.values() for rs in by_doc.values() for r in rs}
            by = ", ".join(sorted(map(str, who)))
            description = f"stored annotation pass, before adjudication and review; by {by}"
            result.append(
                Row(
                    store.name,
                    "annotators",
                    description,
                    None,
                    None,
                    self.scores(scoped, restrict(pred, docs), tasks),
                    self.slice_scores(scoped, restrict(pred, docs), slices) if CLAIMS in tasks else {},
                )
            )
        for rel, assignment in sorted(clusterings.items()):
            scores = self.scores(gold, with_clusters(gold, assignment), [CLUSTERING])
            description = "stored clustering of the final claims, blind to the other clustering"
            result.append(Row(clustering_name(rel), "annotators", description, "the final claims", None, scores))
        for store in sorted((s for s in self.corpus.stores if s.role == PREDICTION), key=lambda s: s.name):
            system = read_system(self.corpus.readers[store.name], store, required=True)
            if system is None or system.problems:
                continue  # validate reports it (prediction-metadata)
            pred = self.prediction(store)
            tasks = [t for t in TASKS if t in system.tasks] if system.tasks else [t for t in TASKS if covered(t, pred)]
            result.append(
                Row(
                    system.name,
                    "system",
                    system.description,
                    system.input,
                    system.command,
                    self.scores(gold, pred, tasks),
                    self.slice_scores(gold, pred, slices) if CLAIMS in tasks else {},
                )
            )
        return result
