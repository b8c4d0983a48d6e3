"""The published rows as a stream consumer: every config's rows, in the order `dataset.load()` gives them, turned
into Arrow tables and handed to the Parquet writers, with their digests and review counts.

Rows become Arrow tables a row group's worth at a time (compact, and converted on every core). In a worker the
consumer keeps only its batch (those tables, one hash per row, the unreviewed counts); the parent takes each batch
as the batches merge, in document order. On one process the parent takes the tables as soon as they are made, so
at most a row group per config is in memory; with several, a batch of tables per worker. In a text-free build the
seed-text fields are left out of every row (hub/texts.py) and the full rows' digest is kept as well, for hydrate
to prove it restored exactly the data a full build publishes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyarrow as pa
from datasets import Features

from ..derive.documents import document_row
from ..derive.features import layer_features
from ..layers import DOCUMENT_LAYER, LAYERS, SPAN_LAYERS, Layer
from ..read.corpus import Document
from ..read.jsonl import Record
from ..schemas import Schemas
from .digest import Digest, row_hasher
from .layout import ROW_GROUP_ROWS
from .parquet import ParquetSink
from .texts import TextField, text_fields, without_texts

REVIEW_STATUS = "review_status"  # a provenance field (layers.PROVENANCE)
UNREVIEWED = "unreviewed"  # the value of review_status before any review (common.schema.json#/$defs/review_status)
SAMPLE_ROWS = 200  # rows per config kept for the Croissant read-back (mlcroissant reads a few hundred rows a second)


@dataclass
class Unreviewed:
    """How many records of a layer are unreviewed, and where the first one is."""

    count: int = 0
    first: tuple[str, int] | None = None

    def add(self, other: Unreviewed) -> None:
        if other.count and self.first is None:
            self.first = other.first
        self.count += other.count


@dataclass
class Setup:
    """What every batch shares: the features, the Arrow schemas, the hashers and the seed-text fields per config."""

    schemas: Schemas
    gold: str
    text_free: bool
    features: dict[str, Features] = field(init=False)
    texts: dict[str, tuple[TextField, ...]] = field(init=False)

    def __post_init__(self) -> None:
        self.features = {layer.name: layer_features(self.schemas, layer) for layer in LAYERS}
        self.arrow = {name: features.arrow_schema for name, features in self.features.items()}
        self.hashers = {name: row_hasher(features) for name, features in self.features.items()}
        self.texts = {layer.name: text_fields(self.schemas, layer) for layer in LAYERS}


@dataclass
class Batch:
    """One batch of every config: Arrow tables of the published rows, their hashes, the full rows' hashes."""

    tables: dict[str, list[pa.Table]] = field(default_factory=dict)
    hashes: dict[str, list[bytes]] = field(default_factory=dict)
    full: dict[str, list[bytes]] = field(default_factory=dict)
    unreviewed: dict[str, Unreviewed] = field(default_factory=dict)
    rows: dict[str, list[dict]] = field(default_factory=dict)  # before end_batch turns them into a table

    def add(self, setup: Setup, layer: Layer, records: Iterable[tuple[dict, Record]]) -> None:
        rows = self.rows.setdefault(layer.name, [])
        hashes = self.hashes.setdefault(layer.name, [])
        full = self.full.setdefault(layer.name, [])
        unreviewed = self.unreviewed.setdefault(layer.name, Unreviewed())
        hasher, fields = setup.hashers[layer.name], setup.texts[layer.name]
        for row, record in records:
            if row.get(REVIEW_STATUS) == UNREVIEWED:
                unreviewed.add(Unreviewed(1, (record.path, record.line)))
            if setup.text_free:
                full.append(hasher(row))
                row = without_texts(row, fields)
            hashes.append(hasher(row))
            rows.append(row)
        if len(rows) >= ROW_GROUP_ROWS:
            self.seal(setup, layer.name)

    def seal(self, setup: Setup, name: str | None = None) -> None:
        """Turn the rows (of one config, or all) into Arrow tables: where they are read, so on every core."""
        for config in [name] if name else list(self.rows):
            rows = self.rows.pop(config, [])
            if rows:
                self.tables.setdefault(config, []).append(pa.Table.from_pylist(rows, schema=setup.arrow[config]))

    def handed_over(self) -> Batch:
        """What is done (tables, hashes, counts) as a batch of its own; the rows not yet in a table stay here."""
        done = Batch(self.tables, self.hashes, self.full, self.unreviewed)
        self.tables, self.hashes, self.full, self.unreviewed = {}, {}, {}, {}
        return done


@dataclass
class Totals:
    """What the parent keeps: the writers, each config's digests, review counts and the first rows (a sample)."""

    sinks: dict[str, ParquetSink]
    digests: dict[str, Digest] = field(default_factory=dict)
    full: dict[str, Digest] = field(default_factory=dict)
    unreviewed: dict[str, Unreviewed] = field(default_factory=dict)
    sample: dict[str, list[dict]] = field(default_factory=dict)  # as rows: a slice would keep its table alive

    def take(self, batch: Batch) -> None:
        for name, tables in batch.tables.items():
            sample = self.sample.setdefault(name, [])
            for table in tables:
                self.sinks[name].add(table)
                if len(sample) < SAMPLE_ROWS:
                    sample.extend(table.slice(0, SAMPLE_ROWS - len(sample)).to_pylist())
        for name, hashes in batch.hashes.items():
            self.digests.setdefault(name, Digest()).update(hashes)
        for name, hashes in batch.full.items():
            self.full.setdefault(name, Digest()).update(hashes)
        for name, unreviewed in batch.unreviewed.items():
            self.unreviewed.setdefault(name, Unreviewed()).add(unreviewed)

    def sample_table(self, name: str, schema: pa.Schema) -> pa.Table:
        return pa.Table.from_pylist(self.sample.get(name, []), schema=schema)


class PublishRows:
    """A stream consumer: every config's published rows, written as they come (see the module docstring)."""

    def __init__(self, setup: Setup, totals: Totals | None) -> None:
        self.setup, self.totals = setup, totals
        self.batch = Batch()

    @classmethod
    def start(cls, setup: Setup, sinks: dict[str, ParquetSink], registries: dict[str, list[Record]]) -> PublishRows:
        """The parent's consumer, given the registries' records (read before the stream)."""
        rows = cls(setup, Totals(sinks))
        for layer in LAYERS:
            if layer.is_registry:
                rows.batch.add(setup, layer, ((record.data, record) for record in registries.get(layer.name, [])))
        rows.end_batch()
        return rows

    def fresh(self) -> PublishRows:
        return PublishRows(self.setup, None)

    def __getstate__(self) -> dict:
        return {"batch": self.batch}  # what a worker sends back; the set-up stays in the parent

    def __setstate__(self, state: dict) -> None:
        self.setup, self.totals, self.batch = None, None, state["batch"]  # type: ignore[assignment]

    def document(self, doc: Document) -> None:
        if doc.flawed or doc.seed.text is None:
            return  # the checker reported it; nothing is published from a flawed document
        setup = self.setup
        self.batch.add(setup, DOCUMENT_LAYER, [(document_row(doc, setup.schemas), doc.record)])
        for layer in SPAN_LAYERS:
            records = doc.files[setup.gold][layer.name].records
            self.batch.add(setup, layer, ((record.data, record) for record in records))
        if self.totals is not None:  # one process: the finished tables go to the writers at once
            self.totals.take(self.batch.handed_over())

    def end_batch(self) -> None:
        self.batch.seal(self.setup)
        if self.totals is not None:
            self.totals.take(self.batch)
            self.batch = Batch()

    def merge(self, other: PublishRows) -> None:
        assert self.totals is not None
        self.totals.take(other.batch)
