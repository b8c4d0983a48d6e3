"""The canonical form of a record and of a layer file, so that a pull request's diff shows only what changed.

A record is one line of JSON with its keys in schema order (nested objects too), non-ASCII kept as is,
and integral numbers written as integers; a file holds its records in the layer's canonical order.
"""

from __future__ import annotations

import json

from .layers import Layer
from .schemas import Schemas


def _ordered(value: object, node: dict, schemas: Schemas, base: str) -> object:
    node, base = schemas.resolve(node, base)
    for alternative in node.get("oneOf", []):
        alternative, alt_base = schemas.resolve(alternative, base)
        if alternative.get("type") == "object" and isinstance(value, dict):
            return _ordered(value, alternative, schemas, alt_base)
    if isinstance(value, dict) and "properties" in node:
        known = [key for key in node["properties"] if key in value]
        extra = sorted(key for key in value if key not in node["properties"])  # kept, never dropped
        return {key: _ordered(value[key], node["properties"].get(key, {}), schemas, base) for key in known + extra}
    if isinstance(value, list) and "items" in node:
        return [_ordered(item, node["items"], schemas, base) for item in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def canonical_record(layer: Layer, record: dict, schemas: Schemas) -> dict:
    schema = schemas.schema(layer)
    return _ordered(record, schema, schemas, schema["$id"])  # type: ignore[return-value]


def canonical_line(layer: Layer, record: dict, schemas: Schemas) -> str:
    return json.dumps(canonical_record(layer, record, schemas), ensure_ascii=False) + "\n"


def canonical_file(layer: Layer, records: list[dict], schemas: Schemas) -> str:
    """A whole layer file: records in canonical order, one canonical line each."""
    return "".join(canonical_line(layer, r, schemas) for r in sorted(records, key=layer.sort_key))
