"""The JSON Schemas, the only definition of record shape: loaded once, compiled once, with their references.

Records are checked by a compiled validator built from the same schema files (jsonschema-rs), which is as fast as
parsing; only a record it refuses, or one whose line holds a float literal, goes through python-jsonschema, whose
messages are the ones users see. The two agree by construction:

- JSON Schema counts 5.0 as an integer; an offset must be a real integer, so python-jsonschema runs with a strict
  integer type, and every record holding an integral float (5.0) is judged by it (canonical files never hold one:
  fmt writes 5.0 as 5; a float like 1.5 is judged alike by both).
- A schema `pattern` is an ECMA-262 regular expression, where `$` matches only at the very end; Python's `$` also
  matches before a final newline, so python-jsonschema runs with a `pattern` keyword that translates `$` to `\\Z`.

python-jsonschema evaluates every keyword of a refused record (uniqueItems over a 10,000-item array is slow), so
it is given the record with every array cut just past the largest `maxItems` of any schema: the refusal and its
message stay the same, and the work per refused record is bounded by the schemas, not by the line.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import jsonschema_rs

from .layers import LAYERS, PROVENANCE, Layer
from .problems import Finding, Problem, short
from .read.files import SafeReader
from .read.jsonl import Record
from .repo import Repo

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from referencing import Registry

COMMON = "common.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
STORED, SOURCE, PREDICTION = "stored", "source", "prediction"  # the variants of a layer's schema (Schemas.checker)
_SHAPES_KEPT = 10_000  # walked schema nodes remembered (the schemas have a few hundred)


def _ecma_to_python(pattern: str) -> str:
    """ECMA-262 `$` (end of input) as Python's `\\Z`; escapes and character classes are copied as they are."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        out.append(char)
        i += 1
    return "".join(out)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(_ecma_to_python(pattern))


def _pattern(validator: Any, pattern: str, instance: object, schema: dict) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):  # type: ignore[arg-type]
        yield ValidationError(f"{short(instance, 60)} does not match {pattern!r}")


def _strict_integer(checker: object, instance: object) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


@cache
def strict_validator_class() -> type:
    """python-jsonschema's Draft 2020-12 validator with strict integers and ECMA-262 `$` (imported when needed:
    only a record the compiled validator refuses is ever given to it)."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(
        Draft202012Validator,
        validators={"pattern": _pattern},
        type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _strict_integer),
    )


@dataclass
class ShapeChecker:
    """One layer's record shape: fast verdict from the compiled validator, messages from python-jsonschema."""

    fast: Any  # a jsonschema_rs validator
    schema: dict
    schemas: Schemas

    @cached_property
    def slow(self) -> Draft202012Validator:
        return strict_validator_class()(self.schema, registry=self.schemas.registry)

    def valid(self, record: Record) -> bool:
        """The verdict, from the compiled validator alone unless the record has an integral float (5.0): only
        there do the two disagree (JSON Schema counts 5.0 as an integer), and canonical files never have one."""
        if record.floats and _integral_float(record.data):
            return not self.findings(record.data)
        return bool(self.fast.is_valid(record.data))  # type: ignore[attr-defined]

    def check(self, record: Record) -> list[Finding]:
        return [] if self.valid(record) else self.findings(record.data)

    def refusals(self, instance: object) -> int:
        """How many findings `findings` gives for a refused record (one per failing top-level field), counted by
        the compiled validator: what a report that leaves the record's messages out still counts."""
        errors = self.fast.iter_errors(instance)  # type: ignore[attr-defined]
        return max(len({str(e.instance_path[0]) if e.instance_path else "" for e in errors}), 1)

    def findings(self, instance: object) -> list[Finding]:
        """One finding per failing top-level field (its most relevant error), so a record's faults all show."""
        from jsonschema.exceptions import best_match

        by_field: dict[str, list[Any]] = {}
        for error in self.slow.iter_errors(_cut_arrays(instance, self.schemas.max_items + 1)):
            field = str(error.absolute_path[0]) if error.absolute_path else ""
            by_field.setdefault(field, []).append(error)
        findings = []
        for field in sorted(by_field):
            error = best_match(by_field[field])
            where = "/".join(str(part) for part in error.absolute_path) or "record"
            expected = f"{error.validator} {short(error.validator_value, 80)}"
            findings.append(Finding(f"{where}: {error.message}", expected, short(error.instance, 60)))
        if not findings:  # the compiled validator refused what python-jsonschema accepts: still never silent
            for error in self.fast.iter_errors(instance):  # type: ignore[attr-defined]
                findings.append(Finding(f"record: {error.message}", "a record matching the schema", "another shape"))
        return findings


def _integral_float(value: object) -> bool:
    """Whether a parsed value holds a float with an integral value (5.0) anywhere."""
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, dict):
        return any(_integral_float(item) for item in value.values())
    if isinstance(value, list):
        return any(_integral_float(item) for item in value)
    return False


def _cut_arrays(value: object, keep: int) -> object:
    """The value with every array (at any depth) cut to its first `keep` items."""
    if isinstance(value, list):
        return [_cut_arrays(item, keep) for item in value[:keep]]
    if isinstance(value, dict):
        return {key: _cut_arrays(item, keep) for key, item in value.items()}
    return value


def _max_items(node: object) -> int:
    """The largest maxItems anywhere in a schema document (0 if none)."""
    if isinstance(node, dict):
        own = node.get("maxItems")
        return max([own if isinstance(own, int) else 0, *(_max_items(v) for v in node.values())])
    if isinstance(node, list):
        return max((_max_items(v) for v in node), default=0)
    return 0


def _schema_problem(schema: object) -> str | None:
    """Why a parsed document is not a usable Draft 2020-12 schema (the metaschema, and an $id to refer to it by)."""
    if not isinstance(schema, dict) or not isinstance(schema.get("$id"), str):
        return "the schema is not an object with an $id"
    try:
        jsonschema_rs.meta.validate(schema)
    except jsonschema_rs.ValidationError as err:
        return str(err).split("\n", 1)[0]
    except jsonschema_rs.ReferencingError as err:
        return str(err).split("\n", 1)[0]
    return None


class Schemas:
    """All schema files of a repository, checked, with a compiled checker per layer and variant."""

    def __init__(self, repo: Repo, reader: SafeReader | None = None) -> None:
        self.repo = repo
        self.reader = reader or SafeReader(repo.root)
        self._problems: list[Problem] = []
        self.documents: dict[str, dict] = self._load()
        self._shapes: dict[tuple[int, str], tuple[dict, tuple[dict, str, bool]]] = {}

    def _load(self) -> dict[str, dict]:
        folder = self.repo.schema_dir
        if folder.is_symlink() or not folder.is_dir():
            rel = self.repo.rel(folder)
            self._problems.append(
                Problem(rel, 1, "schema-file", "schema/ must be a real folder", "a folder", "missing or a link")
            )
            return {}
        documents = {}
        for name in sorted({layer.schema_file for layer in LAYERS} | {COMMON}):
            path = folder / name
            rel = self.repo.rel(path)
            text, problem = self.reader.read_text(path)
            if text is None:
                self._problems.append(
                    problem or Problem(rel, 1, "schema-file", "schema file is missing", "a regular file", "none")
                )
                continue
            try:
                schema = json.loads(text)
            except ValueError as err:
                line = getattr(err, "lineno", 1)
                message = f"not valid JSON: {err}"
                self._problems.append(Problem(rel, line, "schema-file", message, "a JSON Schema", "invalid JSON"))
                continue
            invalid = _schema_problem(schema)
            if invalid is not None:
                message = f"not a valid Draft 2020-12 schema: {invalid}"
                self._problems.append(Problem(rel, 1, "schema-file", message, "a JSON Schema", short(schema, 60)))
                continue
            documents[name] = schema
        return documents

    @cached_property
    def max_items(self) -> int:
        """The largest maxItems of any schema: python-jsonschema never needs to see more items than one past it."""
        return max((_max_items(schema) for schema in self.documents.values()), default=0)

    def problems(self) -> list[Problem]:
        """Unreadable, invalid or missing schema files: nothing else can be checked without them."""
        return list(self._problems)

    @cached_property
    def registry(self) -> Registry:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        resources = [
            (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT202012))
            for schema in self.documents.values()
        ]
        return Registry().with_resources(resources)

    @cached_property
    def _fast_registry(self) -> object:
        return jsonschema_rs.Registry([(schema["$id"], schema) for schema in self.documents.values()])

    def schema(self, layer: Layer) -> dict:
        return self.documents[layer.schema_file]

    def variant(self, layer: Layer, variant: str = STORED) -> dict:
        """The layer's schema as stored; as hand-written (SOURCE: without the derived fields); or as a system's
        prediction (PREDICTION: provenance optional). Generated from the schema file, never restated."""
        schema = self.schema(layer)
        if variant == STORED:
            return schema
        dropped = set(layer.derived) if variant == SOURCE else set(PROVENANCE)
        schema = copy.deepcopy(schema)
        schema["required"] = [name for name in schema.get("required", []) if name not in dropped]
        if variant == SOURCE:
            schema["properties"] = {k: v for k, v in schema["properties"].items() if k not in dropped}
        schema["$id"] = schema["$id"].replace(".schema.json", f".{variant}.schema.json")
        return schema

    @cache  # noqa: B019  (one Schemas per run; the checkers live as long as it)
    def checker(self, layer: Layer, variant: str = STORED) -> ShapeChecker:
        schema = self.variant(layer, variant)
        fast = jsonschema_rs.validator_for(schema, registry=self._fast_registry)
        return ShapeChecker(fast, schema, self)

    def validator(self, layer: Layer) -> Draft202012Validator:
        """python-jsonschema's validator of the stored shape (for callers that want its error objects)."""
        return self.checker(layer).slow

    def resolve(self, node: dict, base: str) -> tuple[dict, str]:
        """Follow $ref chains; returns the target node and the base URI its own references are relative to."""
        while "$ref" in node:
            ref = node["$ref"]
            node = self.registry.resolver(base_uri=base).lookup(ref).contents
            base = urljoin(base, ref).split("#", 1)[0] or base
        return node, base

    def shape(self, node: dict, base: str) -> tuple[dict, str, bool]:
        """A node with its references followed and a null alternative unwrapped: (node, base, nullable).

        The one schema walker every derived view uses (canonical form, features, add's options, enums). Walked
        once per node: the canonical form of every record asks again. The result is shared, as the schema's own
        nodes are: never change it.
        """
        key = (id(node), base)
        cached = self._shapes.get(key)
        if cached is not None and cached[0] is node:  # the node is kept alive with its entry: its id stays its own
            return cached[1]
        result = self._shape(node, base)
        if len(self._shapes) >= _SHAPES_KEPT:  # a caller walking nodes of its own making: keep memory bounded
            self._shapes.clear()
        self._shapes[key] = (node, result)
        return result

    def _shape(self, node: dict, base: str) -> tuple[dict, str, bool]:
        node, base = self.resolve(node, base)
        alternatives = node.get("oneOf") or node.get("anyOf")
        if alternatives is not None:
            others = [alt for alt in alternatives if alt.get("type") != "null"]
            if len(others) == 1:
                inner, base, _ = self.shape(others[0], base)
                merged = {**inner, "description": node.get("description", inner.get("description", ""))}
                return merged, base, len(others) < len(alternatives)
            return node, base, False
        kind = node.get("type")
        if isinstance(kind, list) and "null" in kind:
            kinds = [k for k in kind if k != "null"]
            return {**node, "type": kinds[0] if len(kinds) == 1 else kinds}, base, True
        return node, base, False

    def field(self, layer: Layer, name: str) -> dict:
        """A top-level field's shape (references followed, null alternative unwrapped)."""
        schema = self.schema(layer)
        node, _, _ = self.shape(schema["properties"][name], schema["$id"])
        return node

    def properties(self, layer: Layer) -> list[str]:
        """Field names in schema order: the canonical key order of a record."""
        return list(self.schema(layer)["properties"])

    def enum(self, layer: Layer, field: str) -> list[str]:
        return list(self.field(layer, field)["enum"])

    def enums(self, layer: Layer) -> dict[str, list[str]]:
        """Top-level fields with a closed set of values, with the values in schema order."""
        return {
            name: list(node["enum"]) for name in self.properties(layer) if "enum" in (node := self.field(layer, name))
        }

    @cached_property
    def doc_id_pattern(self) -> str:
        """The document id pattern, as common.schema.json defines it (also what makes a safe file name)."""
        return self.documents[COMMON]["$defs"]["doc_id"]["pattern"]

    def is_doc_id(self, value: object) -> bool:
        return isinstance(value, str) and _compiled(self.doc_id_pattern).search(value) is not None

    @cache  # noqa: B019  (one Schemas per run)
    def _field_validator(self, layer: Layer, name: str) -> Any:
        pointer = {"$schema": DRAFT, "$ref": f"{self.schema(layer)['$id']}#/properties/{name}"}
        return jsonschema_rs.validator_for(pointer, registry=self._fast_registry)

    def is_valid_field(self, layer: Layer, name: str, value: object) -> bool:
        """Whether one top-level field's value is valid by the layer's schema, whatever the rest of its record is.

        A record whose id is well formed exists as a reference target even when another of its fields is wrong:
        that field is its own problem, and references to the record are not also reported as dangling.
        """
        return bool(self._field_validator(layer, name).is_valid(value))


def schema_files(repo: Repo) -> list[Path]:
    return sorted(repo.schema_dir.glob("*.schema.json"))
