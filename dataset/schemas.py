"""Load the JSON Schemas (the only definition of record shape) and resolve their references."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

from jsonschema import Draft202012Validator, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .layers import LAYERS, Layer
from .repo import Repo


def _strict_integer(checker: object, instance: object) -> bool:
    """JSON Schema counts 5.0 as an integer; an offset must be a real integer (and never a boolean)."""
    return isinstance(instance, int) and not isinstance(instance, bool)


StrictValidator = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _strict_integer),
)


@dataclass(frozen=True)
class Schemas:
    """All schema files of a repository, with a validator per layer."""

    repo: Repo

    @cached_property
    def documents(self) -> dict[str, dict]:
        """Schema documents by file name (every *.schema.json in schema/)."""
        return {
            path.name: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(self.repo.schema_dir.glob("*.schema.json"))
        }

    @cached_property
    def registry(self) -> Registry:
        resources = [
            (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT202012))
            for schema in self.documents.values()
        ]
        return Registry().with_resources(resources)

    def schema(self, layer: Layer) -> dict:
        return self.documents[layer.schema_file]

    def validator(self, layer: Layer) -> Draft202012Validator:
        return StrictValidator(self.schema(layer), registry=self.registry)

    def resolve(self, node: dict, base: str) -> tuple[dict, str]:
        """Follow $ref chains; returns the target node and its base URI."""
        while "$ref" in node:
            resolved = self.registry.resolver(base_uri=base).lookup(node["$ref"])
            node, base = resolved.contents, resolved.resolver._base_uri
        return node, base

    def properties(self, layer: Layer) -> list[str]:
        """Field names in schema order: the canonical key order of a record."""
        return list(self.schema(layer)["properties"])

    def enum(self, layer: Layer, field: str) -> list[str]:
        schema = self.schema(layer)
        node, _ = self.resolve(schema["properties"][field], schema["$id"])
        return list(node["enum"])


def all_validators(schemas: Schemas) -> dict[str, Draft202012Validator]:
    return {layer.name: schemas.validator(layer) for layer in LAYERS}
