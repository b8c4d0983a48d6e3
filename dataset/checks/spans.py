"""Seed consistency of span records: quoted text, whitespace, ids and files."""

from __future__ import annotations

from collections.abc import Iterator

from ..layers import Layer
from ..problems import Problem, short
from ..reading import Record


def _span_problems(record: Record, span: dict, text: str, label: str) -> Iterator[Problem]:
    start, end = span["start"], span["end"]
    if not 0 <= start < end <= len(text):
        return  # span-order / span-bounds report these
    actual = text[start:end]
    if span["text"] != actual:
        yield Problem(
            record.path,
            record.line,
            "span-text",
            f"{label}text is not the seed's text at [{start}, {end})",
            short(actual),
            short(span["text"]),
        )
    if actual != actual.strip():
        yield Problem(
            record.path,
            record.line,
            "span-whitespace",
            f"{label}span starts or ends on whitespace",
            "no whitespace at either end",
            short(actual),
        )


def check_spans(layer: Layer, record: Record, doc_id: str, text: str) -> Iterator[Problem]:
    data = record.data
    if data["doc_id"] != doc_id:
        yield Problem(
            record.path, record.line, "wrong-file", "record is in another document's file", doc_id, data["doc_id"]
        )
    if not data["id"].startswith(f"{data['doc_id']}:"):
        yield Problem(
            record.path,
            record.line,
            "id-prefix",
            "id must start with its document's id",
            f"{data['doc_id']}:{layer.id_kind}-NNN",
            data["id"],
        )
    yield from _span_problems(record, data, text, "")
    for field in layer.nested_spans:
        if data.get(field) is not None:
            yield from _span_problems(record, data[field], text, f"{field}: ")
