"""The Python API: each config as a DatasetDict, built from the seeds and the annotation files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from datasets import Dataset, DatasetDict

from .build import document_rows
from .features import layer_features
from .layer_files import layer_paths
from .layers import BY_NAME, LAYERS, Layer
from .problems import format_text
from .reading import read_jsonl
from .repo import Repo
from .schemas import Schemas
from .validate import validate

SPLIT = "train"


class InvalidDatasetError(ValueError):
    """The repository does not validate; the message lists every problem."""


def _layer_rows(repo: Repo, schemas: Schemas, layer: Layer) -> Iterator[dict]:
    if layer.name == "documents":
        yield from document_rows(repo, schemas)
        return
    for path in layer_paths(repo, layer):
        records, _ = read_jsonl(path, repo.rel(path))
        yield from (r.data for r in sorted(records, key=lambda r: layer.sort_key(r.data)))


def load_config(name: str, root: str | Path | None = None, *, check: bool = True) -> DatasetDict:
    """One config (a layer) as a DatasetDict with a single 'train' split and the card's features."""
    if name not in BY_NAME:
        raise KeyError(f"unknown config {name!r}; expected one of {[layer.name for layer in LAYERS]}")
    return load(root, check=check, configs=(name,))[name]


def load(
    root: str | Path | None = None, *, check: bool = True, configs: tuple[str, ...] | None = None
) -> dict[str, DatasetDict]:
    """Every config (or the given ones) of the repository, refusing data that does not validate."""
    repo = Repo.find(root)
    if check:
        report = validate(repo)
        if not report.ok:
            raise InvalidDatasetError(f"{len(report.problems)} problem(s):\n{format_text(report.problems)}")
    schemas = Schemas(repo)
    result = {}
    for layer in LAYERS:
        if configs is not None and layer.name not in configs:
            continue
        features = layer_features(schemas, layer)
        rows = list(_layer_rows(repo, schemas, layer))
        result[layer.name] = DatasetDict({SPLIT: Dataset.from_list(rows, features=features)})
    return result
