"""Which fields carry text of the seeds, read from the schemas, and how a text-free build leaves them out.

A field carries seed text when its shape is common.schema.json's `span_text` (a span's `text`, a claim's
`cue.text`, and any span field a schema adds later), or when it is the documents layer's derived `SEED_TEXT` (the
whole seed). Nothing here names a layer or a field by hand: the list follows the schemas. A span's text is
`seed[start:end]` with `start` and `end` beside it, which is how `hydrate` puts it back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

from ..derive.documents import SEED_TEXT
from ..layers import DOCUMENT_LAYER, Layer
from ..schemas import COMMON, Schemas

SPAN_TEXT = "#/$defs/span_text"  # in common.schema.json
START, END = "start", "end"  # a span's offsets, beside its text (common.schema.json#/$defs/span)
EACH = "*"  # in a path: every item of a list

Path = tuple[str, ...]


@dataclass(frozen=True)
class TextField:
    """A field holding seed text: the whole seed (a document's text) or a span's, with its offsets beside it."""

    path: Path
    whole: bool = False

    @property
    def start(self) -> Path:
        return (*self.path[:-1], START)

    @property
    def end(self) -> Path:
        return (*self.path[:-1], END)

    def describe(self) -> dict:
        if self.whole:
            return {"field": list(self.path), "whole_text": True}
        return {"field": list(self.path), "start": list(self.start), "end": list(self.end)}


def _span_text_uri(schemas: Schemas) -> str:
    return urljoin(schemas.documents[COMMON]["$id"], SPAN_TEXT)


def _walk(schemas: Schemas, node: dict, base: str, path: Path, target: str) -> Iterator[Path]:
    """The paths under a schema node whose shape is the target definition (references followed one by one)."""
    while "$ref" in node:
        if urljoin(base, node["$ref"]) == target:
            yield path
            return
        node, base = schemas.resolve({"$ref": node["$ref"]}, base)
    for alternative in node.get("oneOf") or node.get("anyOf") or ():
        yield from _walk(schemas, alternative, base, path, target)
    for name, sub in node.get("properties", {}).items():
        yield from _walk(schemas, sub, base, (*path, name), target)
    if isinstance(node.get("items"), dict):
        yield from _walk(schemas, node["items"], base, (*path, EACH), target)


def text_fields(schemas: Schemas, layer: Layer) -> tuple[TextField, ...]:
    """The layer's fields that carry seed text, in schema order."""
    schema = schemas.schema(layer)
    spans = dict.fromkeys(_walk(schemas, schema, schema["$id"], (), _span_text_uri(schemas)))
    whole = (TextField((SEED_TEXT,), whole=True),) if layer.is_document else ()
    return whole + tuple(TextField(path) for path in spans)


def _map(value: object, path: Path, change: Callable[[dict, str], object]) -> object:
    """A copy of value with the field at path replaced by change(parent, name); absent or null parents are kept."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if head == EACH:
        return [_map(item, rest, change) for item in value] if isinstance(value, list) else value
    if not isinstance(value, dict) or head not in value:
        return value
    if not rest:
        return {**value, head: change(value, head)}
    return {**value, head: _map(value[head], rest, change)}


def without_texts(row: dict, fields: tuple[TextField, ...]) -> dict:
    """The row of a text-free build: every seed-text field null, everything else as it is."""
    for field in fields:
        row = _map(row, field.path, lambda parent, name: None)  # type: ignore[assignment]
    return row


def with_texts(row: dict, fields: tuple[TextField, ...], text: str) -> dict:
    """The row with its seed-text fields restored from its document's text (offsets checked by the caller)."""
    for field in fields:
        if field.whole:
            row = _map(row, field.path, lambda parent, name: text)  # type: ignore[assignment]
        else:
            row = _map(row, field.path, lambda parent, name: text[parent[START] : parent[END]])  # type: ignore[assignment]
    return row


def offsets(row: dict, fields: tuple[TextField, ...]) -> Iterator[tuple[object, object]]:
    """Every (start, end) pair of the row's span-text fields that are present (for hydrate's bounds check)."""
    found: list[tuple[object, object]] = []

    def collect(parent: dict, name: str) -> object:
        found.append((parent.get(START), parent.get(END)))
        return parent[name]

    for field in fields:
        if not field.whole:
            _map(row, field.path, collect)
    yield from found


DOCUMENT_ID = DOCUMENT_LAYER.id_field  # the field that names a row's document, in the documents and span layers
