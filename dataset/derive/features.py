"""Hugging Face features derived from the JSON Schemas, so the card never restates a field by hand.

`feature_yaml` writes the card's `features:` list (the form datasets' Features._to_yaml_list gives) straight
from the schema, without importing datasets: the validator's summary runs the build's check, and importing
datasets would cost it a second. `layer_features` reads that list back with datasets itself, so the two can
never disagree (and tests/test_dataset.py checks the round trip).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..layers import Layer
from ..schemas import Schemas

if TYPE_CHECKING:
    from datasets import Features

_SCALARS = {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool"}


def _type(schemas: Schemas, node: dict, base: str) -> str | list[dict] | dict:
    """A schema node as the YAML value of a feature: a dtype name, a struct's fields, or {'list': ...}."""
    node, base, _ = schemas.shape(node, base)
    if "enum" in node or "const" in node:
        return "string"
    kind = node.get("type")
    if isinstance(kind, list):
        raise ValueError(f"cannot map types {kind} to one feature")
    if kind in _SCALARS:
        return _SCALARS[kind]
    if kind == "array":
        return {"list": _type(schemas, node["items"], base)}
    if kind == "object":
        return [_entry(name, _type(schemas, sub, base)) for name, sub in node["properties"].items()]
    raise ValueError(f"no feature for schema node {node}")


def _entry(name: str, value: str | list | dict) -> dict:
    if isinstance(value, str):
        return {"name": name, "dtype": value}
    if isinstance(value, list):
        return {"name": name, "struct": value}
    return {"name": name, **value}


def feature_yaml(schemas: Schemas, layer: Layer) -> list[dict]:
    """The card's features list of a layer's config."""
    schema = schemas.schema(layer)
    return [_entry(name, _type(schemas, node, schema["$id"])) for name, node in schema["properties"].items()]


def layer_features(schemas: Schemas, layer: Layer) -> Features:
    from datasets import Features

    return Features._from_yaml_list(feature_yaml(schemas, layer))
