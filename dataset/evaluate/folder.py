"""A prediction folder's files from a system's output (layer -> records): the dataset's own layout and canonical
form, so a committed prediction diffs as cleanly as an annotation."""

from __future__ import annotations

from pathlib import Path

from ..derive.canonical import canonical_file, json_line
from ..layers import BY_NAME
from ..schemas import Schemas
from .systems import SYSTEM_FILE


def folder_files(result: dict, doc_ids: list[str], metadata: dict, schemas: Schemas) -> dict[str, str]:
    """Relative path -> content: a file per document for every span layer (empty where nothing was predicted), a
    file per registry, and system.jsonl."""
    files = {}
    for name, value in result.items():
        layer = BY_NAME[name]
        if layer.is_span:
            for doc_id in doc_ids:
                files[f"{name}/{doc_id}.jsonl"] = canonical_file(layer, value.get(doc_id, []), schemas)
        else:
            files[f"{name}.jsonl"] = canonical_file(layer, value, schemas)
    files[SYSTEM_FILE] = json_line(metadata)
    return files


def write_folder(folder: Path, result: dict, doc_ids: list[str], metadata: dict, schemas: Schemas) -> None:
    """Write the files into an empty folder (a staging folder: the caller checks it, then swaps it in)."""
    for rel, content in folder_files(result, doc_ids, metadata, schemas).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
