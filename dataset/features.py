"""Derive Hugging Face features from the JSON Schemas, so the card never restates a field by hand."""

from __future__ import annotations

from datasets import Features, List, Value

from .layers import Layer
from .schemas import Schemas

_SCALARS = {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool"}


def _non_null(node: dict) -> list[dict] | None:
    alternatives = node.get("oneOf") or node.get("anyOf")
    if alternatives is None:
        return None
    return [alt for alt in alternatives if alt.get("type") != "null"]


def _feature(schemas: Schemas, node: dict, base: str):
    node, base = schemas.resolve(node, base)
    options = _non_null(node)
    if options is not None:
        if len(options) != 1:
            raise ValueError(f"cannot map a union of {len(options)} shapes to one feature: {node}")
        return _feature(schemas, options[0], base)
    if "enum" in node or "const" in node:
        return Value("string")
    kind = node.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        if len(kinds) != 1:
            raise ValueError(f"cannot map types {kind} to one feature")
        kind = kinds[0]
    if kind in _SCALARS:
        return Value(_SCALARS[kind])
    if kind == "array":
        return List(_feature(schemas, node["items"], base))
    if kind == "object":
        return {name: _feature(schemas, sub, base) for name, sub in node["properties"].items()}
    raise ValueError(f"no feature for schema node {node}")


def layer_features(schemas: Schemas, layer: Layer) -> Features:
    schema = schemas.schema(layer)
    return Features({name: _feature(schemas, node, schema["$id"]) for name, node in schema["properties"].items()})
