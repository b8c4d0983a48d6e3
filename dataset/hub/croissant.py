"""The Croissant (1.1 JSON-LD) description of a published folder, written and checked with mlcroissant.

Every record set is a config, keyed by its id field; every field is a feature derived from the schemas; the
Parquet files are listed with their SHA-256. Cross-layer references are not declared as Croissant references:
mlcroissant turns those into joins, which it cannot run on array fields (claims.source_ids).

A text-free build says so in the description and on every seed-text field; `full_croissant` takes exactly those
additions out again (hydrate), so a hydrated folder's croissant.json is the full build's.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import mlcroissant as mlc
from datasets import Features, List, Value

from ..derive.card import CARD_METADATA, SPLIT
from ..derive.features import layer_features
from ..layers import LAYERS, Layer
from ..schemas import Schemas
from .layout import HYDRATE, parquet_file
from .provenance import Stamp
from .texts import EACH, text_fields

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
_DATA_TYPES = {
    "string": mlc.DataType.TEXT,
    "int64": mlc.DataType.INT64,
    "float64": mlc.DataType.FLOAT64,
    "bool": mlc.DataType.BOOL,
}


TEXT_FREE_DESCRIPTION = (
    " Text-free build: the texts of the news articles are left out (each article is pinned by its SHA-256 in the "
    f"documents record set); `python -m dataset hydrate` restores them from your own copies ({HYDRATE})."
)
TEXT_FREE_FIELD = "Seed text, left out of this text-free build (null); `python -m dataset hydrate` restores it."


@dataclass(frozen=True)
class FileFacts:
    """What Croissant records of a file: its size and SHA-256."""

    size: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> FileFacts:
        digest, size = hashlib.sha256(), 0
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
        return cls(size, digest.hexdigest())


def file_facts(folder: Path) -> dict[str, FileFacts]:
    return {layer.name: FileFacts.of(folder / parquet_file(layer.name)) for layer in LAYERS}


def _file_id(config: str) -> str:
    return f"{config}-parquet"


def _field(
    ctx: mlc.Context, layer: Layer, column: str, feature, texts: set[tuple[str, ...]], path: tuple[str, ...] = ()
) -> mlc.Field:
    """A Croissant field for a feature; nested objects become sub-fields read through a JSON path."""
    field_id = "/".join((layer.name, column, *path))
    name = path[-1] if path else column
    if isinstance(feature, List):
        field = _field(ctx, layer, column, feature.feature, texts, path)
        field.is_array, field.array_shape = True, "-1"
        return field
    if isinstance(feature, dict):
        subs = [_field(ctx, layer, column, sub, texts, (*path, key)) for key, sub in feature.items()]
        return mlc.Field(ctx=ctx, id=field_id, name=name, sub_fields=subs)
    if not isinstance(feature, Value) or feature.dtype not in _DATA_TYPES:
        raise ValueError(f"no Croissant data type for {layer.name}.{column}: {feature}")
    source = mlc.Source(
        ctx=ctx,
        file_object=_file_id(layer.name),
        extract=mlc.Extract(ctx=ctx, column=column),
        transforms=[mlc.Transform(ctx=ctx, json_path=key) for key in path],
    )
    description = TEXT_FREE_FIELD if (column, *path) in texts else None
    return mlc.Field(
        ctx=ctx,
        id=field_id,
        name=name,
        description=description,
        data_types=[_DATA_TYPES[feature.dtype]],
        source=source,
    )


def _record_set(ctx: mlc.Context, layer: Layer, features: Features, texts: set[tuple[str, ...]]) -> mlc.RecordSet:
    return mlc.RecordSet(
        ctx=ctx,
        id=layer.name,
        name=layer.name,
        description=layer.description,
        key=[f"{layer.name}/{layer.id_field}"],
        fields=[_field(ctx, layer, column, feature, texts) for column, feature in features.items()],
    )


def _file_object(ctx: mlc.Context, layer: Layer, facts: FileFacts) -> mlc.FileObject:
    return mlc.FileObject(
        ctx=ctx,
        id=_file_id(layer.name),
        name=_file_id(layer.name),
        description=f"The {layer.name} config ({SPLIT} split) as Parquet.",
        content_url=parquet_file(layer.name),
        content_size=f"{facts.size} B",
        encoding_formats=[mlc.EncodingFormat.PARQUET],
        sha256=facts.sha256,
    )


def _text_paths(schemas: Schemas, layer: Layer) -> set[tuple[str, ...]]:
    """The seed-text fields as Croissant addresses them (a list's items are the list's field)."""
    return {tuple(key for key in field.path if key != EACH) for field in text_fields(schemas, layer)}


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


def croissant_metadata(
    files: Mapping[str, FileFacts],
    schemas: Schemas,
    stamp: Stamp,
    cite_as: str | None = None,
    *,
    text_free: bool = False,
) -> mlc.Metadata:
    """The Croissant description of a published folder, given its Parquet files' facts."""
    ctx = mlc.Context(conforms_to=CONFORMS_TO)
    name = CARD_METADATA["pretty_name"]
    description = f"{name}. Version {stamp.version}, built from commit {stamp.commit}."
    texts = {layer.name: _text_paths(schemas, layer) if text_free else set() for layer in LAYERS}
    with quiet():
        return mlc.Metadata(
            ctx=ctx,
            name=name,
            description=description + (TEXT_FREE_DESCRIPTION if text_free else ""),
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
            distribution=[_file_object(ctx, layer, files[layer.name]) for layer in LAYERS],
            record_sets=[
                _record_set(ctx, layer, layer_features(schemas, layer), texts[layer.name]) for layer in LAYERS
            ],
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


def read_back(path: Path, limit: int | None = None) -> dict[str, list[dict]]:
    """Every record set of a croissant.json as plain rows (at most `limit` each), read with mlcroissant, which
    validates the file first and checks each file's SHA-256 before reading it.

    A null object comes back as an object whose fields are all null: that is how mlcroissant reads them.
    """
    with quiet():
        dataset = mlc.Dataset(jsonld=str(path))
        return {
            rs.name: [
                _plain(record, f"{rs.name}/") for record in itertools.islice(dataset.records(record_set=rs.uuid), limit)
            ]
            for rs in dataset.metadata.record_sets
        }


def validate(path: Path) -> None:
    """mlcroissant's validation of a croissant.json, without reading any data (raises mlc.ValidationError)."""
    with quiet():
        mlc.Dataset(jsonld=str(path))


def _fields(node: object) -> Iterator[dict]:
    if isinstance(node, dict):
        if "dataType" in node or "subField" in node:
            yield node
        for value in node.values():
            yield from _fields(value)
    elif isinstance(node, list):
        for item in node:
            yield from _fields(item)


def full_croissant(text_free: str, files: Mapping[str, FileFacts]) -> str | None:
    """The full build's croissant.json from a text-free build's, given the full Parquet files' facts (hydrate);
    None if the text is not a text-free build's croissant.json."""
    try:
        document = json.loads(text_free)
    except ValueError:
        return None
    description = document.get("description") if isinstance(document, dict) else None
    if not isinstance(description, str) or not description.endswith(TEXT_FREE_DESCRIPTION):
        return None
    document["description"] = description.removesuffix(TEXT_FREE_DESCRIPTION)
    for field in _fields(document.get("recordSet")):
        if field.get("description") == TEXT_FREE_FIELD:
            del field["description"]
    by_url = {parquet_file(config): facts for config, facts in files.items()}
    for item in document.get("distribution", []):
        facts = by_url.get(item.get("contentUrl"))
        if facts is not None:
            item["contentSize"], item["sha256"] = f"{facts.size} B", facts.sha256
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
