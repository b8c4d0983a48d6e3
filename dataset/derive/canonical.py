"""The canonical form of a record and of a layer file, so that a pull request's diff shows only what changed.

A record is one line of JSON with its keys in schema order (nested objects too), non-ASCII kept as is, and
integral numbers written as integers; a file holds its records in the layer's canonical order. Every line is
checked by the reader's own parser before it is handed to a writer: no writer emits what the reader rejects.
"""

from __future__ import annotations

import json

from ..layers import Layer
from ..problems import Problem
from ..read.jsonl import parse_line
from ..schemas import Schemas


class UnwritableRecordError(ValueError):
    """A record the reader would reject (a non-finite number, a lone surrogate, ...): never written."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _ordered(value: object, node: dict, schemas: Schemas, base: str) -> object:
    node, base, _ = schemas.shape(node, base)
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


def json_line(value: dict, where: str = "<record to write>", *, generated: bool = False) -> str:
    """One JSONL line, checked by the reader's own line parser: no writer emits what the reader rejects.

    A generated line (a documents record with its seed's text) is exempt from the length limit on contributed
    lines, as its reader is (SafeReader.lines): a seed may be as long as the file size limit allows.
    """
    try:
        line = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except ValueError as err:  # NaN or infinity
        raise UnwritableRecordError(Problem(where, 0, "json-number", f"cannot be written as JSON: {err}")) from err
    try:
        line.encode("utf-8")  # what a file will hold; a lone surrogate cannot be encoded
    except UnicodeEncodeError as err:
        message = "a string holds a lone UTF-16 surrogate, which is not text"
        raise UnwritableRecordError(Problem(where, 0, "lone-surrogate", message)) from err
    parsed = parse_line(where, 0, line, limited=not generated)
    if isinstance(parsed, Problem):
        raise UnwritableRecordError(parsed)
    return line + "\n"


def canonical_line(layer: Layer, record: dict, schemas: Schemas, *, generated: bool = False) -> str:
    return json_line(canonical_record(layer, record, schemas), generated=generated)


def canonical_file(layer: Layer, records: list[dict], schemas: Schemas) -> str:
    """A whole layer file: records in canonical order, one canonical line each."""
    return "".join(canonical_line(layer, r, schemas) for r in sorted(records, key=layer.sort_key))
