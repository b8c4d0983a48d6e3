"""Turn loaded configs back into the repository's annotation files, in canonical form.

The inverse of loading: wherever the data was loaded from (the Python API, a clone, a published folder or
the Hub), exporting it gives the repository's files byte for byte, so nothing is lost on the way.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from datasets import DatasetDict

from .build import atomic_write
from .canonical import canonical_file
from .layers import BY_NAME, LAYERS
from .loading import SPLIT
from .repo import Repo
from .schemas import Schemas


def annotation_files(loaded: Mapping[str, DatasetDict], schemas: Schemas, root: Path) -> dict[Path, str]:
    """Every annotation file under root (and the generated documents table) with its canonical content.

    Span layers get one file per document, empty where a document has no records, as the repository keeps them.
    """
    target = Repo(root)
    rows = {layer.name: loaded[layer.name][SPLIT].to_list() for layer in LAYERS}
    documents = BY_NAME["documents"]
    doc_ids = sorted(row[documents.id_field] for row in rows["documents"])
    files = {
        target.generated_documents: canonical_file(documents, rows["documents"], schemas),
        target.layer_file(documents): canonical_file(
            documents,
            [{k: v for k, v in row.items() if k not in documents.derived} for row in rows["documents"]],
            schemas,
        ),
    }
    for layer in LAYERS:
        if layer.name == "documents":
            continue
        if not layer.is_span:
            files[target.layer_file(layer)] = canonical_file(layer, rows[layer.name], schemas)
            continue
        for doc_id in doc_ids:
            records = [row for row in rows[layer.name] if row["doc_id"] == doc_id]
            files[target.layer_file(layer, doc_id)] = canonical_file(layer, records, schemas)
    return files


def export(loaded: Mapping[str, DatasetDict], schemas: Schemas, root: Path) -> list[Path]:
    """Write the annotation files of loaded configs under root (each write atomic); returns the files."""
    files = annotation_files(loaded, schemas, root)
    for path, content in files.items():
        atomic_write(path, content)
    return sorted(files)
