"""Turn loaded configs back into the repository's annotation files, in canonical form.

The inverse of loading: wherever the data was loaded from (the Python API, a clone, a published folder or
the Hub), exporting it gives the repository's files byte for byte, so nothing is lost on the way.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..derive.canonical import canonical_file
from ..derive.card import SPLIT
from ..layers import DOCUMENT_LAYER, LAYERS
from ..repo import Repo
from ..schemas import Schemas
from .files import atomic_write

if TYPE_CHECKING:
    from datasets import DatasetDict


def annotation_files(loaded: Mapping[str, DatasetDict], schemas: Schemas, root: Path) -> dict[Path, str]:
    """Every annotation file under root (and the generated documents table) with its canonical content.

    Span layers get one file per document, empty where a document has no records, as the repository keeps them.
    """
    target = Repo(root)
    rows = {layer.name: loaded[layer.name][SPLIT].to_list() for layer in LAYERS}
    documents = rows[DOCUMENT_LAYER.name]
    doc_ids = sorted(row[DOCUMENT_LAYER.id_field] for row in documents)
    hand_written = [{k: v for k, v in row.items() if k not in DOCUMENT_LAYER.derived} for row in documents]
    files = {
        target.generated_documents: canonical_file(DOCUMENT_LAYER, documents, schemas),
        target.layer_file(DOCUMENT_LAYER): canonical_file(DOCUMENT_LAYER, hand_written, schemas),
    }
    for layer in LAYERS:
        if layer.is_registry:
            files[target.layer_file(layer)] = canonical_file(layer, rows[layer.name], schemas)
        elif layer.is_span:
            by_document: dict[str, list[dict]] = {doc_id: [] for doc_id in doc_ids}
            for row in rows[layer.name]:
                by_document.setdefault(row["doc_id"], []).append(row)
            for doc_id, records in by_document.items():
                files[target.layer_file(layer, doc_id)] = canonical_file(layer, records, schemas)
    return files


def export(loaded: Mapping[str, DatasetDict], schemas: Schemas, root: Path) -> list[Path]:
    """Write the annotation files of loaded configs under root (each write atomic); returns the files."""
    files = annotation_files(loaded, schemas, root)
    for path, content in files.items():
        atomic_write(path, content)
    return sorted(files)
