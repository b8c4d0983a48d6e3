"""Seed consistency of span records: quoted text, normalization, boundaries, ids and files."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from ..layers import Layer
from ..problems import Problem, short
from ..reading import Record


def _inside_word(text: str, at: int) -> bool:
    return 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()


def _splits_character(text: str, at: int) -> bool:
    return 0 < at < len(text) and (unicodedata.combining(text[at]) != 0 or text[at - 1 : at + 1] == "\r\n")


def _text_problem(record: Record, span: dict, actual: str, label: str) -> Problem | None:
    if span["text"] == actual:
        return None
    where = f"[{span['start']}, {span['end']})"
    if unicodedata.normalize("NFC", span["text"]) == unicodedata.normalize("NFC", actual):
        message = f"{label}text differs from the seed at {where} only in Unicode normalization; copy it from the seed"
        return Problem(record.path, record.line, "span-normalization", message, short(actual, 60), "another form")
    message = f"{label}text is not the seed's text at {where}"
    return Problem(record.path, record.line, "span-text", message, short(actual), short(span["text"]))


def _boundary_problems(record: Record, text: str, start: int, end: int, label: str) -> Iterator[Problem]:
    for at, side in ((start, "start"), (end, "end")):
        context = short(text[max(at - 6, 0) : at + 6])
        if _splits_character(text, at):
            message = f"{label}span {side} {at} separates a character from its combining mark or CR LF pair"
            yield Problem(
                record.path, record.line, "span-splits-character", message, "a boundary between characters", context
            )
        elif _inside_word(text, at):
            message = f"{label}span {side} {at} lies inside a word"
            yield Problem(record.path, record.line, "span-inside-word", message, "a word boundary", context)


def _span_problems(record: Record, span: dict, text: str, label: str) -> Iterator[Problem]:
    start, end = span["start"], span["end"]
    if not 0 <= start < end <= len(text):
        if label:  # a record's own offsets are pandera's table checks; nested spans (the cue) are checked here
            if start >= end:
                yield Problem(
                    record.path,
                    record.line,
                    "span-order",
                    f"{label}span must have start < end",
                    "start < end",
                    f"start={start}, end={end}",
                )
            else:
                yield Problem(
                    record.path,
                    record.line,
                    "span-bounds",
                    f"{label}span ends beyond the document's text",
                    f"end <= {len(text)}",
                    f"end={end}",
                )
        return
    actual = text[start:end]
    problem = _text_problem(record, span, actual, label)
    if problem is not None:
        yield problem
    if actual != actual.strip():
        message = f"{label}span starts or ends on whitespace"
        yield Problem(
            record.path, record.line, "span-whitespace", message, "no whitespace at either end", short(actual)
        )
    yield from _boundary_problems(record, text, start, end, label)


def check_spans(layer: Layer, record: Record, doc_id: str, text: str) -> Iterator[Problem]:
    data = record.data
    if data["doc_id"] != doc_id:
        yield Problem(
            record.path, record.line, "wrong-file", "record is in another document's file", doc_id, data["doc_id"]
        )
    if not data["id"].startswith(f"{data['doc_id']}:"):
        expected = f"{data['doc_id']}:{layer.id_kind}-NNN"
        yield Problem(
            record.path, record.line, "id-prefix", "id must start with its document's id", expected, data["id"]
        )
    yield from _span_problems(record, data, text, "")
    for field in layer.nested_spans:
        if data.get(field) is not None:
            yield from _span_problems(record, data[field], text, f"{field}: ")
