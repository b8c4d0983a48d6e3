"""Load the JSON Schemas (the only definition of record shape) and resolve their references."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urljoin

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import SchemaError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .layers import LAYERS, Layer
from .problems import Problem, short
from .repo import Repo

COMMON = "common.schema.json"


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

    def problems(self) -> list[Problem]:
        """Unreadable, invalid or missing schema files: nothing else can be checked without them."""
        problems = []
        folder = self.repo.schema_dir
        if folder.is_symlink() or not folder.is_dir():
            return [
                Problem(
                    self.repo.rel(folder),
                    1,
                    "schema-file",
                    "schema/ must be a real folder",
                    "a folder",
                    "missing or a link",
                )
            ]
        for name in sorted({layer.schema_file for layer in LAYERS} | {COMMON}):
            path = folder / name
            rel = self.repo.rel(path)
            if path.is_symlink() or not path.is_file():
                problems.append(Problem(rel, 1, "schema-file", "schema file is missing", "a regular file", "none"))
                continue
            try:
                schema = json.loads(path.read_text(encoding="utf-8"))
                Draft202012Validator.check_schema(schema)
                if not isinstance(schema.get("$id"), str):
                    raise SchemaError("the schema has no $id")
            except (UnicodeDecodeError, ValueError) as err:
                line = getattr(err, "lineno", 1)
                problems.append(
                    Problem(rel, line, "schema-file", f"not valid JSON: {err}", "a JSON Schema", "invalid JSON")
                )
            except SchemaError as err:
                problems.append(
                    Problem(
                        rel,
                        1,
                        "schema-file",
                        f"not a valid Draft 2020-12 schema: {err.message}",
                        "a JSON Schema",
                        short(err.instance),
                    )
                )
        return problems

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
        """Follow $ref chains; returns the target node and the base URI its own references are relative to."""
        while "$ref" in node:
            ref = node["$ref"]
            node = self.registry.resolver(base_uri=base).lookup(ref).contents
            base = urljoin(base, ref).split("#", 1)[0] or base
        return node, base

    def properties(self, layer: Layer) -> list[str]:
        """Field names in schema order: the canonical key order of a record."""
        return list(self.schema(layer)["properties"])

    def enum(self, layer: Layer, field: str) -> list[str]:
        schema = self.schema(layer)
        node, _ = self.resolve(schema["properties"][field], schema["$id"])
        return list(node["enum"])

    @cached_property
    def doc_id_pattern(self) -> str:
        """The document id pattern, as common.schema.json defines it (also what makes a safe file name)."""
        return self.documents[COMMON]["$defs"]["doc_id"]["pattern"]
