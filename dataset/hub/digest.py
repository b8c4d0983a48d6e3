"""A digest of a config's rows that both sides of publish's proof compute the same way, one row at a time.

Each row is put in a canonical form by its features (fields in feature order, numbers as the feature's type,
nothing else allowed), written as one JSON line and hashed; the config's digest is the SHA-256 over the rows'
hashes in order, with their count. The repository's side hashes the records as read from the annotation files;
the folder's side hashes what `datasets.load_dataset` gives back from the published Parquet files. Equal digests
mean equal rows, without ever holding either side in memory.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from datasets import Features, List, Value

from ..derive.card import SPLIT
from .layout import ROW_GROUP_ROWS
from .progress import RowProgress

Plain = Callable[[object], object]


class RowShapeError(ValueError):
    """A row that does not fit its features (a field too many or missing, a value of another type)."""


def _scalar(dtype: str) -> Plain:
    kinds: dict[str, tuple[type, ...]] = {"string": (str,), "int64": (int,), "float64": (int, float), "bool": (bool,)}
    if dtype not in kinds:
        raise ValueError(f"no canonical form for the dtype {dtype}")
    allowed = kinds[dtype]
    as_float = dtype == "float64"

    def plain(value: object) -> object:
        if value is None:
            return None
        if not isinstance(value, allowed) or (isinstance(value, bool) and dtype != "bool"):
            raise RowShapeError(f"{value!r} is not a {dtype}")
        return float(value) if as_float else value  # type: ignore[arg-type]

    return plain


def _converter(feature: object) -> Plain:
    """A function putting a value of this feature in canonical form (compiled once per config)."""
    if isinstance(feature, dict):
        subs = [(name, _converter(sub)) for name, sub in feature.items()]
        names = {name for name, _ in subs}

        def struct(value: object) -> object:
            if value is None:
                return None
            if not isinstance(value, dict) or set(value) != names:
                found = sorted(value) if isinstance(value, dict) else type(value).__name__
                raise RowShapeError(f"fields {found} are not the features' {sorted(names)}")
            return [convert(value[name]) for name, convert in subs]

        return struct
    if isinstance(feature, List):
        inner = _converter(feature.feature)

        def items(value: object) -> object:
            if value is None:
                return None
            if not isinstance(value, list):
                raise RowShapeError(f"{type(value).__name__} is not a list")
            return [inner(item) for item in value]

        return items
    if isinstance(feature, Value):
        return _scalar(feature.dtype)
    raise ValueError(f"no canonical form for the feature {feature}")


def row_hasher(features: Features) -> Callable[[dict], bytes]:
    """row -> the SHA-256 of its canonical JSON line (raises RowShapeError for a row its features do not fit)."""
    convert = _converter(dict(features))

    def digest(row: dict) -> bytes:
        line = json.dumps(convert(row), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return hashlib.sha256(line.encode("utf-8")).digest()

    return digest


@dataclass
class Digest:
    """The running digest of a config's rows: their count and the hash over their hashes, in order."""

    rows: int = 0
    _hash: object = field(default_factory=hashlib.sha256)

    def update(self, row_digests: list[bytes]) -> None:
        for item in row_digests:
            self._hash.update(item)  # type: ignore[attr-defined]
        self.rows += len(row_digests)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()  # type: ignore[attr-defined]


def _rows(batch: dict[str, list]) -> Iterator[dict]:
    names = list(batch)
    for values in zip(*(batch[name] for name in names), strict=True):
        yield dict(zip(names, values, strict=True))


def read_back_digests(
    folder: Path, configs: list[str], progress: RowProgress | None = None
) -> Iterator[tuple[str, Features | None, Digest]]:
    """Each config as `datasets.load_dataset` reads it from the folder (a fresh cache): its features and digest.

    Rows are read in batches of a row group, as Python objects (the form users get), and hashed as they come.
    """
    import datasets

    was_disabled = datasets.are_progress_bars_disabled()
    datasets.disable_progress_bars()
    try:
        yield from _read_back(datasets, folder, configs, progress or RowProgress(0, "", False))
    finally:
        if not was_disabled:
            datasets.enable_progress_bars()


def _read_back(
    datasets, folder: Path, configs: list[str], progress: RowProgress
) -> Iterator[tuple[str, Features | None, Digest]]:
    with tempfile.TemporaryDirectory(prefix="publish-check-cache-") as cache:
        for config in configs:
            loaded = datasets.load_dataset(str(folder), config, cache_dir=cache)
            rows = loaded.get(SPLIT)
            digest = Digest()
            if rows is None:
                yield config, None, digest
                continue
            hasher = row_hasher(rows.features)
            for batch in rows.iter(batch_size=ROW_GROUP_ROWS):
                digest.update([hasher(row) for row in _rows(batch)])
                progress.update(len(next(iter(batch.values()), [])))
            yield config, rows.features, digest
