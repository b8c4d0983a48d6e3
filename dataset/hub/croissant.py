"""The Croissant (1.1 JSON-LD) description of a published folder, written and checked with mlcroissant.

Every record set is a config, keyed by its id field; every field is a feature derived from the schemas; the
Parquet files are listed with their SHA-256. Cross-layer references are not declared as Croissant references:
mlcroissant turns those into joins, which it cannot run on array fields (claims.source_ids).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import mlcroissant as mlc
from datasets import Features, List, Value

from ..derive.card import CARD_METADATA, SPLIT
from ..derive.features import layer_features
from ..layers import LAYERS, Layer
from ..schemas import Schemas
from .layout import parquet_file
from .provenance import Stamp

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
_DATA_TYPES = {
    "string": mlc.DataType.TEXT,
    "int64": mlc.DataType.INT64,
    "float64": mlc.DataType.FLOAT64,
    "bool": mlc.DataType.BOOL,
}


def _file_id(config: str) -> str:
    return f"{config}-parquet"


def _field(ctx: mlc.Context, layer: Layer, column: str, feature, path: tuple[str, ...] = ()) -> mlc.Field:
    """A Croissant field for a feature; nested objects become sub-fields read through a JSON path."""
    field_id = "/".join((layer.name, column, *path))
    name = path[-1] if path else column
    if isinstance(feature, List):
        field = _field(ctx, layer, column, feature.feature, path)
        field.is_array, field.array_shape = True, "-1"
        return field
    if isinstance(feature, dict):
        subs = [_field(ctx, layer, column, sub, (*path, key)) for key, sub in feature.items()]
        return mlc.Field(ctx=ctx, id=field_id, name=name, sub_fields=subs)
    if not isinstance(feature, Value) or feature.dtype not in _DATA_TYPES:
        raise ValueError(f"no Croissant data type for {layer.name}.{column}: {feature}")
    source = mlc.Source(
        ctx=ctx,
        file_object=_file_id(layer.name),
        extract=mlc.Extract(ctx=ctx, column=column),
        transforms=[mlc.Transform(ctx=ctx, json_path=key) for key in path],
    )
    return mlc.Field(ctx=ctx, id=field_id, name=name, data_types=[_DATA_TYPES[feature.dtype]], source=source)


def _record_set(ctx: mlc.Context, layer: Layer, features: Features) -> mlc.RecordSet:
    return mlc.RecordSet(
        ctx=ctx,
        id=layer.name,
        name=layer.name,
        description=layer.description,
        key=[f"{layer.name}/{layer.id_field}"],
        fields=[_field(ctx, layer, column, feature) for column, feature in features.items()],
    )


def _file_object(ctx: mlc.Context, folder: Path, layer: Layer) -> mlc.FileObject:
    path = folder / parquet_file(layer.name)
    data = path.read_bytes()
    return mlc.FileObject(
        ctx=ctx,
        id=_file_id(layer.name),
        name=_file_id(layer.name),
        description=f"The {layer.name} config ({SPLIT} split) as Parquet.",
        content_url=parquet_file(layer.name),
        content_size=f"{len(data)} B",
        encoding_formats=[mlc.EncodingFormat.PARQUET],
        sha256=hashlib.sha256(data).hexdigest(),
    )


@contextmanager
def quiet() -> Iterator[None]:
    """mlcroissant reports recommended-but-absent properties through absl logging; keep them off the console."""
    logger = logging.getLogger("absl")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def croissant_metadata(folder: Path, schemas: Schemas, stamp: Stamp, cite_as: str | None = None) -> mlc.Metadata:
    """The Croissant description of a published folder whose Parquet files are already written."""
    ctx = mlc.Context(conforms_to=CONFORMS_TO)
    name = CARD_METADATA["pretty_name"]
    with quiet():
        return mlc.Metadata(
            ctx=ctx,
            name=name,
            description=f"{name}. Version {stamp.version}, built from commit {stamp.commit}.",
            version=stamp.version,
            date_published=stamp.committed,
            license=[
                mlc.CreativeWork(
                    ctx=ctx, name=CARD_METADATA["license_name"], description=CARD_METADATA["license_details"]
                )
            ],
            in_language=list(CARD_METADATA["language"]),
            keywords=list(CARD_METADATA["tags"]),
            cite_as=cite_as,
            distribution=[_file_object(ctx, folder, layer) for layer in LAYERS],
            record_sets=[_record_set(ctx, layer, layer_features(schemas, layer)) for layer in LAYERS],
        )


def croissant_json(metadata: mlc.Metadata) -> str:
    return json.dumps(metadata.to_json(), ensure_ascii=False, indent=2) + "\n"


def _plain(value: object, prefix: str) -> object:
    """An mlcroissant value as datasets gives it: text decoded, numbers as Python numbers, keys unprefixed."""
    if isinstance(value, dict):
        return {key.removeprefix(prefix): _plain(sub, f"{key}/") for key, sub in value.items()}
    if isinstance(value, list):
        return [_plain(item, prefix) for item in value]
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value.item() if hasattr(value, "item") else value


def read_back(path: Path) -> dict[str, list[dict]]:
    """Every record set of a croissant.json as plain rows, read with mlcroissant (which validates it first).

    A null object comes back as an object whose fields are all null: that is how mlcroissant reads them.
    """
    with quiet():
        dataset = mlc.Dataset(jsonld=str(path))
        return {
            rs.name: [_plain(record, f"{rs.name}/") for record in dataset.records(record_set=rs.uuid)]
            for rs in dataset.metadata.record_sets
        }
