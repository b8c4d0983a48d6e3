"""The documents layer as published: each hand-written record with the fields the build derives from its seed."""

from __future__ import annotations

from collections.abc import Callable

from ..layers import DOCUMENT_LAYER
from ..read.corpus import Document
from ..schemas import Schemas
from .canonical import canonical_line

SEED_TEXT = "text"  # the derived field that holds the whole seed (left out of a text-free build, restored by hydrate)


def derived_fields(doc: Document) -> dict:
    """The derived fields (DOCUMENT_LAYER.derived) of a document whose seed was read."""
    assert doc.seed.text is not None and doc.seed.digest is not None
    values = {
        "seed_file": doc.seed.rel,
        "sha256": doc.seed.digest,
        "length": len(doc.seed.text),
        SEED_TEXT: doc.seed.text,
    }
    assert tuple(values) == DOCUMENT_LAYER.derived, "derived_fields and the layer declaration disagree"
    return values


def document_row(doc: Document, schemas: Schemas) -> dict:
    """A document's published row: its hand-written record plus the derived fields, in schema order."""
    merged = {**{k: v for k, v in doc.record.data.items() if k not in DOCUMENT_LAYER.derived}, **derived_fields(doc)}
    return {key: merged[key] for key in schemas.properties(DOCUMENT_LAYER) if key in merged}


class GeneratedDocuments:
    """A stream consumer: the generated documents file's lines in document order, handed to `out` batch by batch.

    In a worker the lines of its batch are kept and returned; the parent hands them on as batches merge, in order,
    so the file is written (or compared) as a stream, one batch in memory at a time.
    """

    def __init__(self, schemas: Schemas, out: Callable[[list[str]], None] | None) -> None:
        self.schemas = schemas
        self.out = out
        self.lines: list[str] = []

    def fresh(self) -> GeneratedDocuments:
        return GeneratedDocuments(self.schemas, None)

    def document(self, doc: Document) -> None:
        if doc.flawed:
            return  # the checker reported it; nothing is derived from a flawed document
        if doc.seed.text is not None:
            row = document_row(doc, self.schemas)
            self.lines.append(canonical_line(DOCUMENT_LAYER, row, self.schemas, generated=True))

    def end_batch(self) -> None:
        if self.out is not None:
            self.out(self.lines)
            self.lines = []

    def merge(self, other: GeneratedDocuments) -> None:
        if self.out is not None:
            self.out(other.lines)
