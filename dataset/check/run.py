"""validate(): the corpus stream through every rule, into problems. Checking only: no derived file is looked at
(their staleness is `build --check`), so `load()` never refuses data over README prose.

The Checker is a consumer of the stream (read/stream.py): it checks the registries once, then each document as
it comes (seed, then every store's span files), tables per batch of documents, and the corpus-level rules last.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl

from ..layers import BY_NAME, DOCUMENT_LAYER, LAYERS, SPAN_LAYERS
from ..problems import Problem, Sink
from ..read import stream
from ..read.corpus import Corpus, LayerFile
from ..read.jsonl import Record
from ..repo import GOLD, PASS, PREDICTION, PREDICTIONS, REVIEW, Repo, Store
from ..schemas import PREDICTION as PREDICTION_VARIANT
from ..schemas import SOURCE, STORED, Schemas, ShapeChecker
from . import overlap, predictions, registries, review, seeds, spans  # noqa: F401  (importing registers the rules)
from .engine import CORPUS, DOCUMENT, SEED, run_rules, stamp
from .review import read_clusterings
from .tables import Table, Targets, check_table
from .views import CorpusView, SeedView, SpanView, Uses

# Span layers that other layers refer to within a document (a claim's source mentions): their ids are collected.
SAME_DOCUMENT_TARGETS = frozenset(ref.target for layer in LAYERS for ref in layer.references if ref.same_document)
VARIANT = {GOLD: STORED, PASS: STORED, PREDICTION: PREDICTION_VARIANT}


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return "valid: " + ", ".join(f"{self.counts[layer.name]} {layer.name}" for layer in LAYERS)


def _unreachable(path: str, line: int) -> Problem:
    raise AssertionError("a problem the Sink does not keep is never built")


def _missing(rel: str, what: str) -> Problem:
    return Problem(rel, 1, "annotations-missing", f"{what} file is missing", rel, "no such file")


class Checker:
    """The validator as a consumer of the corpus stream."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.sink = Sink()
        self.counts: Counter = Counter()
        self.uses = Uses()
        self.tables: dict[tuple[str, str], Table] = {}
        # (store, span layer) -> (doc_id, id) of the batch's records with a well-formed id: the reference targets
        # (store, layer) -> the batch's (doc_id, id) of same-document targets, as two columns
        self.known: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
        self.registries: dict[str, dict[str, list[Record]]] = {}
        self.targets: dict[str, dict[str, frozenset[str] | None]] = {}
        self.readable = True
        # The documents file's and the registries' tables, checked in finish(): the parent computes nothing with
        # polars before the stream forks its workers (a forked polars thread pool deadlocks).
        self.deferred: list[tuple[Table, Targets]] = []

    # -- set-up, once, in the parent ------------------------------------------------------------------------------

    def start(self) -> Checker:
        corpus = self.corpus
        self.sink.extend(corpus.schemas.problems())
        if not corpus.schemas.documents or not self._folders_real():
            self.readable = False  # nothing can be read safely without the schemas and real folders
            return self
        self.sink.extend(corpus.digest_problems)
        self._documents_file()
        for store in corpus.stores:
            self._registries(store)
        self._unknown_files()
        return self

    def _folders_real(self) -> bool:
        repo = self.corpus.repo
        folders = [
            repo.seeds,
            repo.annotations,
            repo.generated,
            repo.annotations / REVIEW,
            repo.annotations / PREDICTIONS,
        ]
        for store in self.corpus.stores:
            folders += [store.path, *(store.layer_folder(layer) for layer in SPAN_LAYERS)]
        links = sorted({f for f in folders if f.is_symlink()})
        for folder in links:
            rel = self.corpus.reader.rel(folder)
            self.sink.add(
                Problem(rel, 1, "symlink", "folder is a link; links are never followed", "a real folder", "a link")
            )
        return not links

    def _shape(self, file: LayerFile, variant: str) -> list[Record]:
        checker = self.corpus.schemas.checker(file.layer, variant)
        valid = []
        for record in file.records:
            if checker.valid(record):
                valid.append(record)
            else:
                self._refused(checker, record, record)
        return valid

    def _refused(self, checker: ShapeChecker, record: Record, shown: Record) -> None:
        """A refused record's schema problems; once the report holds enough of them for this file, they are only
        counted (wording them costs python-jsonschema's time, and a hostile file has 100,000 such records)."""
        if self.sink.keeps(record.path, "schema"):
            for finding in checker.findings(shown.data):
                self.sink.add(stamp("schema", finding, record))
        else:
            self.sink.note(record.path, record.line, "schema", _unreachable, checker.refusals(shown.data))

    def _documents_file(self) -> None:
        file = self.corpus.documents
        self.sink.merge(file.sink)
        if not file.present:
            self.sink.add(_missing(file.rel, "documents"))
            return
        valid = []
        checker = self.corpus.schemas.checker(DOCUMENT_LAYER, SOURCE)
        for record in file.records:
            derived = [name for name in DOCUMENT_LAYER.derived if name in record.data]
            for name in derived:
                message = f"{name} is derived from the seed and must not be written by hand"
                self.sink.add(Problem(record.path, record.line, "derived-field", message, "no such key", name))
            hand_written = Record(
                record.path, record.line, {k: v for k, v in record.data.items() if k not in derived}, record.floats
            )
            if checker.valid(hand_written):
                valid.append(record)
            else:
                self._refused(checker, record, hand_written)
        table = Table(DOCUMENT_LAYER, "annotations")
        table.add(valid)
        self.deferred.append((table, Targets({})))
        self.counts[DOCUMENT_LAYER.name] = len({r.data["doc_id"] for r in valid})

    def _registries(self, store: Store) -> None:
        files = self.corpus.registries[store.name]
        mine: dict[str, list[Record]] = {}
        for name, file in files.items():
            self.sink.merge(file.sink)
            if not file.present:
                if store.role == GOLD:
                    self.sink.add(_missing(file.rel, name))
                continue
            mine[name] = self._shape(file, VARIANT[store.role])
        # A store checks its references against its own registries; a stored pass, or a prediction without a
        # registry file, has nothing to check them against (its ids are labels).
        targets: dict[str, frozenset[str] | None] = {
            layer.name: frozenset(self._known_ids(files[layer.name], mine[layer.name])) if layer.name in mine else None
            for layer in LAYERS
            if layer.is_registry
        }
        if store.role == PASS:
            targets = {name: None for name in targets}
        for name, records in mine.items():
            table = Table(BY_NAME[name], store.name)
            table.add(records)
            self.deferred.append((table, Targets(targets)))
        self.registries[store.name] = mine
        self.targets[store.name] = targets
        if store.role == GOLD:
            for name, records in mine.items():
                self.counts[name] = len(records)

    def _known_ids(self, file: LayerFile, valid: list[Record]) -> list[str]:
        """The ids of a file's records whose id is well formed, whether or not another field is wrong: such a
        record exists as a reference target (its own fault is reported once, not again as dangling references).
        A valid record's id is well formed: only the refused ones are asked."""
        layer, schemas = file.layer, self.corpus.schemas
        ids = [r.data[layer.id_field] for r in valid]
        if len(valid) < len(file.records):
            kept = {id(r) for r in valid}
            ids += [
                r.data[layer.id_field]
                for r in file.records
                if id(r) not in kept and schemas.is_valid_field(layer, layer.id_field, r.data.get(layer.id_field))
            ]
        return ids

    def _unknown_files(self) -> None:
        """Span files named for no document (listed by name: a folder holds a file per document)."""
        known = set(self.corpus.doc_ids)
        for store in self.corpus.stores:
            for layer in SPAN_LAYERS:
                folder = store.layer_folder(layer)
                if not folder.is_dir() or folder.is_symlink():
                    continue
                with os.scandir(folder) as listing:
                    names = [entry.name for entry in listing]
                for name in names:  # Path(name).suffix and .stem, as strings
                    if not (name.endswith(".jsonl") and name[: -len(".jsonl")] in known and name != ".jsonl"):
                        expected = f"<store>/{layer.name}/<doc_id>.jsonl for a doc_id in annotations/documents.jsonl"
                        rel = self.corpus.reader.rel(folder / name)
                        message = "annotation file for no known document"
                        self.sink.add(Problem(rel, 1, "document-unknown", message, expected, name))

    # -- the stream ----------------------------------------------------------------------------------------------

    def fresh(self) -> Checker:
        copy = Checker(self.corpus)
        copy.registries, copy.targets, copy.readable = self.registries, self.targets, self.readable
        return copy

    def document(self, doc) -> None:
        if not self.readable:
            return
        before = len(self.sink)
        self._document(doc)
        doc.flawed = len(self.sink) > before

    def _document(self, doc) -> None:
        corpus = self.corpus
        if doc.seed.problem is not None:
            self.sink.add(doc.seed.problem)
        seed_view = SeedView(doc.seed, corpus.pinned.get(doc.seed.path.name), corpus.repo.rel(corpus.repo.digests))
        self.sink.extend(run_rules(SEED, GOLD, seed_view))
        text = seed_view.good_text
        for store in corpus.stores:
            view = SpanView(doc.doc_id, text or "", store.role, {}, BY_NAME)
            for layer in SPAN_LAYERS:
                file = doc.files[store.name][layer.name]
                if store.role == GOLD:
                    self.uses.count(layer, doc.doc_id, file.records)
                    if not file.present:
                        what = f"{layer.name} ({doc.doc_id}; create it empty if the layer has nothing)"
                        self.sink.add(_missing(file.rel, what))
                if text is None:
                    continue  # its records are checked once the seed is fixed: no cascade from one bad seed
                self.sink.merge(file.sink)
                valid = self._shape(file, VARIANT[store.role])
                if store.role == GOLD:
                    self.counts[layer.name] += len(valid)
                view.layers[layer.name] = valid
                table = self.tables.setdefault((store.name, layer.name), Table(layer, store.name))
                table.add(valid, len(text))
                if layer.name in SAME_DOCUMENT_TARGETS:
                    docs, ids = self.known.setdefault((store.name, layer.name), ([], []))
                    found = self._known_ids(file, valid)
                    docs.extend([doc.doc_id] * len(found))
                    ids.extend(found)
            if text is not None:
                self.sink.extend(run_rules(DOCUMENT, store.role, view))

    def end_batch(self) -> None:
        for (store, _), table in sorted(self.tables.items()):
            targets = [ref.target for ref in table.layer.references if ref.same_document]
            docs, ids = self.known.get((store, targets[0]), ([], [])) if targets else ([], [])
            columns = {"doc_id": docs, "id": ids}
            frame = pl.DataFrame(columns, schema={"doc_id": pl.Utf8, "id": pl.Utf8}) if ids else None
            self.sink.extend(check_table(table, Targets(self.targets.get(store, {}), frame)))
        self.tables, self.known = {}, {}

    def merge(self, other: Checker) -> None:
        self.sink.merge(other.sink)
        self.counts.update(other.counts)
        self.uses.merge(other.uses)

    # -- after every document ------------------------------------------------------------------------------------

    def finish(self) -> Report:
        for table, targets in self.deferred:
            self.sink.extend(check_table(table, targets))
        self.deferred = []
        if self.readable:
            clusterings = read_clusterings(self.corpus, self.sink)
            view = CorpusView(self.corpus, self.registries.get("annotations", {}), self.uses, clusterings)
            self.sink.extend(run_rules(CORPUS, GOLD, view))
        return Report(self.sink.problems(), self.counts)


def all_stores(repo: Repo) -> list[Store]:
    """The final annotation, the stored passes and the committed predictions: everything validate checks."""
    return repo.span_stores()


def validate(
    repo: Repo, *, jobs: int | None = None, progress: bool | None = None, extra: Iterable[stream.Consumer] = ()
) -> Report:
    """Check the whole repository in one pass; `extra` consumers (e.g. the build's) ride along on the same stream."""
    schemas = Schemas(repo)
    if schemas.problems():  # commands derive options and checks from the schemas: nothing works without them
        return Report(schemas.problems())
    corpus = Corpus(repo, schemas, all_stores(repo))
    checker = Checker(corpus).start()
    if checker.readable:
        stream.run(corpus, [checker, *extra], jobs=jobs, label="validate", progress=progress)
    return checker.finish()
