"""The Python API: each config as a DatasetDict, from the seeds and the annotation files, in one pass.

The same stream feeds the checker and the row collector, so every file is read once; data that does not
validate is refused (InvalidDatasetError lists every problem). Rows come in file order, as load_dataset gives them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .check.run import Checker
from .derive.card import SPLIT
from .derive.documents import document_row
from .derive.features import layer_features
from .layers import BY_NAME, DOCUMENT_LAYER, LAYERS, SPAN_LAYERS
from .problems import format_text
from .read import stream
from .read.corpus import Corpus, Document
from .repo import Repo
from .schemas import Schemas

if TYPE_CHECKING:
    from datasets import DatasetDict


class InvalidDatasetError(ValueError):
    """The repository does not validate; the message lists every problem."""


class Rows:
    """A stream consumer: every gold row of every layer, documents in order, records in file order."""

    def __init__(self, schemas: Schemas, gold: str) -> None:
        self.schemas, self.gold = schemas, gold
        self.rows: dict[str, list[dict]] = {layer.name: [] for layer in LAYERS}

    def fresh(self) -> Rows:
        return Rows(self.schemas, self.gold)

    def document(self, doc: Document) -> None:
        if doc.flawed:
            return  # the checker reported it; nothing is derived from a flawed document
        if doc.seed.text is not None:
            self.rows[DOCUMENT_LAYER.name].append(document_row(doc, self.schemas))
        for layer in SPAN_LAYERS:
            self.rows[layer.name].extend(r.data for r in doc.files[self.gold][layer.name].records)

    def end_batch(self) -> None:
        pass

    def merge(self, other: Rows) -> None:
        for name, rows in other.rows.items():
            self.rows[name].extend(rows)


def load_config(name: str, root: str | Path | None = None, *, check: bool = True) -> DatasetDict:
    """One config (a layer) as a DatasetDict with a single split and the card's features."""
    if name not in BY_NAME:
        raise KeyError(f"unknown config {name!r}; expected one of {[layer.name for layer in LAYERS]}")
    return load(root, check=check, configs=(name,))[name]


def load(
    root: str | Path | None = None, *, check: bool = True, configs: tuple[str, ...] | None = None
) -> dict[str, DatasetDict]:
    """Every config (or the given ones) of the repository, refusing data that does not validate."""
    from datasets import Dataset, DatasetDict

    repo = Repo.find(root)
    schemas = Schemas(repo)
    if schemas.problems():
        raise InvalidDatasetError(f"{len(schemas.problems())} problem(s):\n{format_text(schemas.problems())}")
    corpus = Corpus(repo, schemas)
    checker = Checker(corpus).start()
    rows = Rows(schemas, corpus.gold_store().name)
    for name, file in corpus.registries[rows.gold].items():
        rows.rows[name] = [r.data for r in file.records]
    stream.run(corpus, [checker, rows] if check else [rows], label="load")
    if check:
        report = checker.finish()
        if not report.ok:
            raise InvalidDatasetError(f"{len(report.problems)} problem(s):\n{format_text(report.problems)}")
    return {
        layer.name: DatasetDict(
            {SPLIT: Dataset.from_list(rows.rows[layer.name], features=layer_features(schemas, layer))}
        )
        for layer in LAYERS
        if configs is None or layer.name in configs
    }
