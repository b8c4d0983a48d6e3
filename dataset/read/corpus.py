"""The one corpus reader: the registries first, then one document at a time.

A Document holds its seed's text, read once, and every span file that points into it, parsed once, in every store
(the final annotation, the stored passes, the systems' predictions), each record with its file and line. Every
command and `load()` consume this stream; nothing else opens an annotation file or a seed. Reading problems
(bytes, JSON, limits, links) stay with the file they were found in, for the checker to report.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..layers import DOCUMENT_LAYER, LAYERS, SPAN_LAYERS, Layer
from ..problems import Problem, Sink
from ..repo import GOLD, Repo, Store
from ..schemas import Schemas
from .digests import read_digests, sha256_hex
from .files import SafeReader, decode
from .jsonl import Record, parse_jsonl

REGISTRY_LAYERS = tuple(layer for layer in LAYERS if layer.is_registry)


@dataclass
class LayerFile:
    """One layer file of one store as read: its records (every line that parsed) and its reading problems."""

    layer: Layer
    store: Store
    path: Path
    rel: str
    present: bool = False
    records: list[Record] = field(default_factory=list)
    sink: Sink = field(default_factory=Sink)
    digest: str | None = None  # SHA-256 of the file's bytes, for the card's data digests
    readable: bool = False  # read and decoded (a link, an oversized or undecodable file is not)


@dataclass
class Seed:
    """A document's seed: its bytes' digest and its text, or the problem that kept it from being read."""

    doc_id: str
    path: Path
    rel: str
    present: bool = False
    digest: str | None = None
    text: str | None = None
    problem: Problem | None = None


@dataclass(frozen=True)
class SeedEntry:
    """A file in seeds/: its path, whether it is a link, whether it is (or links to) a regular file."""

    path: Path
    link: bool
    file: bool

    @property
    def regular(self) -> bool:
        return self.file and not self.link


@dataclass
class Document:
    """One document of the stream: its metadata record, its seed and its span files in every store."""

    doc_id: str
    record: Record
    seed: Seed
    files: dict[str, dict[str, LayerFile]]  # store name -> layer name -> file
    flawed: bool = False  # set by the checker when it found a problem here: consumers after it skip the document

    def layer(self, layer: Layer, store: str = "annotations") -> LayerFile:
        return self.files[store][layer.name]

    @property
    def record_count(self) -> int:
        return sum(len(f.records) for layers in self.files.values() for f in layers.values())


_SHARED_UP_TO = 64  # characters: names, dates, enum values and ids repeat from record to record; prose does not


def _shared_strings(data: dict) -> dict:
    """A documents record with its keys and short values interned: the records of every document stay in memory
    for the whole run, and each line's parse made its own copies of the same dozen keys and repeated values."""
    return {
        sys.intern(key): sys.intern(value) if isinstance(value, str) and len(value) <= _SHARED_UP_TO else value
        for key, value in data.items()
    }


def read_layer_file(reader: SafeReader, layer: Layer, store: Store, path: Path, *, strict: bool = True) -> LayerFile:
    """Read and parse one JSONL file; an absent file is an empty, not-present LayerFile."""
    result = LayerFile(layer, store, path, reader.rel(path))
    data, problem = reader.read(path)
    result.present = data is not None or problem is not None
    if problem is not None:
        result.sink.add(problem)
    if data is None:
        return result
    result.digest = sha256_hex(data)
    text, problem = decode(data, result.rel)
    if text is None:
        result.sink.add(problem)  # type: ignore[arg-type]
        return result
    result.readable = True
    result.records = parse_jsonl(text, result.rel, result.sink, strict=strict)
    return result


class Corpus:
    """A repository as a stream: pinned digests, the documents file and the registries, then documents on demand.

    `stores` are the folders read for every document (the gold store first); `registries` is read for each of them.
    """

    def __init__(self, repo: Repo, schemas: Schemas, stores: list[Store] | None = None) -> None:
        self.repo = repo
        self.schemas = schemas
        self.reader = schemas.reader
        self.stores = stores if stores is not None else [repo.gold]
        # A store outside the repository (a prediction folder given to evaluate) is read under its own root.
        self.readers = {store.name: self._reader_for(store) for store in self.stores}
        self.pinned, self.digest_problems = read_digests(repo, self.reader, schemas.doc_id_pattern)
        gold = repo.gold
        self.documents = read_layer_file(self.reader, DOCUMENT_LAYER, gold, gold.layer_file(DOCUMENT_LAYER))
        self.registries: dict[str, dict[str, LayerFile]] = {
            store.name: {
                layer.name: read_layer_file(self.readers[store.name], layer, store, store.layer_file(layer))
                for layer in REGISTRY_LAYERS
            }
            for store in self.stores
        }
        self.records: dict[str, Record] = {}  # doc_id -> its (first) documents record with a well-formed id
        for record in self.documents.records:
            record.data = _shared_strings(record.data)
            doc_id = record.data.get(DOCUMENT_LAYER.id_field)
            if schemas.is_doc_id(doc_id) and doc_id not in self.records:
                self.records[doc_id] = record
        self.doc_ids: list[str] = sorted(self.records)
        self._seed_entries: dict[str, SeedEntry] | None = None

    def _reader_for(self, store: Store) -> SafeReader:
        try:
            store.path.resolve().relative_to(self.repo.root.resolve())
        except ValueError:
            return SafeReader(store.path, display=str(store.path))
        return self.reader

    def seed_files(self) -> dict[str, Path]:
        """Every *.txt under seeds/ by file name (links included, for the checker to refuse); listed once a run."""
        return {name: entry.path for name, entry in self.seed_entries().items()}

    def seed_entries(self) -> dict[str, SeedEntry]:
        """Every *.txt under seeds/ by file name, with what kind of file it is (from one listing of the folder:
        the seed rules ask about each of thousands of seeds)."""
        if self._seed_entries is None:
            folder = self.repo.seeds
            entries = []
            if folder.is_dir() and not folder.is_symlink():
                with os.scandir(folder) as listing:
                    # what glob("*.txt") lists: no hidden files
                    entries = [e for e in listing if e.name.endswith(".txt") and not e.name.startswith(".")]
            self._seed_entries = {
                entry.name: SeedEntry(folder / entry.name, entry.is_symlink(), entry.is_file())
                for entry in sorted(entries, key=lambda entry: entry.name)
            }
        return self._seed_entries

    def read_seed(self, doc_id: str) -> Seed:
        path = self.repo.seed(doc_id)
        seed = Seed(doc_id, path, self.reader.rel(path))
        data, seed.problem = self.reader.read(path)
        seed.present = data is not None or seed.problem is not None
        if data is not None:
            seed.digest = sha256_hex(data)  # the same bytes are hashed and decoded: read once
            seed.text, seed.problem = decode(data, seed.rel)
        return seed

    def document(self, doc_id: str) -> Document:
        files = {
            store.name: {
                layer.name: read_layer_file(self.readers[store.name], layer, store, store.layer_file(layer, doc_id))
                for layer in SPAN_LAYERS
            }
            for store in self.stores
        }
        return Document(doc_id, self.records[doc_id], self.read_seed(doc_id), files)

    def __iter__(self) -> Iterator[Document]:
        for doc_id in self.doc_ids:
            yield self.document(doc_id)

    def gold_store(self) -> Store:
        return next(store for store in self.stores if store.role == GOLD)
