"""Seed consistency of span records: quoted text, normalization, boundaries, ids and files.

Character boundaries are extended grapheme clusters (Unicode UAX #29, as the `regex` module's \\X implements
them), so a span never splits an emoji modifier sequence, a flag, a ZWJ sequence, a variation selector, an
Indic vowel sign, a combining mark or a CR LF pair.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import regex

from ..problems import Finding, short
from .engine import DOCUMENT, rule
from .views import SpanView

_CLUSTER = regex.compile(r"\X")
_LOOK_BACK = 256  # how far back a safe place to start segmenting is looked for


def _safe_start(text: str, at: int) -> int:
    """A position before `at` that is certainly a cluster boundary: between two ASCII characters (not CR LF)."""
    for i in range(at - 1, max(at - _LOOK_BACK, 0), -1):
        if text[i] < "\x80" and text[i - 1] < "\x80" and text[i - 1 : i + 1] != "\r\n":
            return i
    return 0


def splits_cluster(text: str, at: int) -> bool:
    """Whether offset `at` falls inside an extended grapheme cluster."""
    if not 0 < at < len(text):
        return False
    before, after = text[at - 1], text[at]
    if before == "\r" and after == "\n":
        return True
    if before < "\u0300" and after < "\u0300":
        return False  # below U+0300 there are no marks, joiners, selectors, prepends or jamo: every pair breaks
    start = _safe_start(text, at)
    for match in _CLUSTER.finditer(text, start, min(len(text), at + _LOOK_BACK)):
        if match.start() < at < match.end():
            return True
        if match.end() >= at:
            return False
    return False


def _inside_word(text: str, at: int) -> bool:
    return 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()


def _where(span: dict) -> str:
    return f"[{span['start']}, {span['end']})"


def _may_split(text: str, at: int) -> bool:
    """Cheap and sure: False means splits_cluster(text, at) is False (no mark, joiner or CR LF can be there)."""
    return 0 < at < len(text) and (text[at - 1] >= "\u0300" or text[at] >= "\u0300" or text[at - 1] == "\r")


@rule("span-text", DOCUMENT)
def span_text(view: SpanView) -> Iterator[Finding]:
    for record, span, label, actual in view.covered():
        if span["text"] != actual and unicodedata.normalize("NFC", span["text"]) != unicodedata.normalize(
            "NFC", actual
        ):
            message = f"{label}text is not the seed's text at {_where(span)}"
            yield Finding(message, short(actual), short(span["text"]), record)


@rule("span-normalization", DOCUMENT)
def span_normalization(view: SpanView) -> Iterator[Finding]:
    for record, span, label, actual in view.covered():
        if span["text"] != actual and unicodedata.normalize("NFC", span["text"]) == unicodedata.normalize(
            "NFC", actual
        ):
            message = f"{label}text differs from the seed at {_where(span)} only in Unicode normalization; copy it"
            yield Finding(message, short(actual, 60), "another form", record)


@rule("span-whitespace", DOCUMENT)
def span_whitespace(view: SpanView) -> Iterator[Finding]:
    for record, _, label, actual in view.covered():
        if actual[0].isspace() or actual[-1].isspace():  # actual != actual.strip(), without the copy
            message = f"{label}span starts or ends on whitespace"
            yield Finding(message, "no whitespace at either end", short(actual), record)


@rule("span-splits-character", DOCUMENT)
def span_splits_character(view: SpanView) -> Iterator[Finding]:
    text = view.text
    for record, span, label, _ in view.covered():
        for side in ("start", "end"):
            at = span[side]
            if _may_split(text, at) and splits_cluster(text, at):
                message = f"{label}span {side} {at} splits a character (an extended grapheme cluster)"
                context = short(text[max(at - 6, 0) : at + 6])
                yield Finding(message, "a boundary between user-perceived characters", context, record)


@rule("span-inside-word", DOCUMENT)
def span_inside_word(view: SpanView) -> Iterator[Finding]:
    text = view.text
    for record, span, label, _ in view.covered():
        for side in ("start", "end"):
            at = span[side]
            if _inside_word(text, at) and not (_may_split(text, at) and splits_cluster(text, at)):
                message = f"{label}span {side} {at} lies inside a word"
                yield Finding(message, "a word boundary", short(text[max(at - 6, 0) : at + 6]), record)


@rule("span-order", DOCUMENT)
def nested_span_order(view: SpanView) -> Iterator[Finding]:
    """A nested span's own offsets (a record's are the table rules')."""
    for record, span, label in view.spans():
        if label and span["start"] >= span["end"]:
            found = f"start={span['start']}, end={span['end']}"
            yield Finding(f"{label}span must have start < end", "start < end", found, record)


@rule("span-bounds", DOCUMENT)
def nested_span_bounds(view: SpanView) -> Iterator[Finding]:
    for record, span, label in view.spans():
        if label and span["start"] < span["end"] and span["end"] > len(view.text):
            yield Finding(
                f"{label}span ends beyond the document's text", f"end <= {len(view.text)}", f"end={span['end']}", record
            )


@rule("wrong-file", DOCUMENT)
def wrong_file(view: SpanView) -> Iterator[Finding]:
    for records in view.layers.values():
        for record in records:
            if record.data["doc_id"] != view.doc_id:
                yield Finding("record is in another document's file", view.doc_id, record.data["doc_id"], record)


@rule("id-prefix", DOCUMENT)
def id_prefix(view: SpanView) -> Iterator[Finding]:
    for name, records in view.layers.items():
        kind = view.by_name[name].id_kind
        for record in records:
            data = record.data
            if not data["id"].startswith(f"{data['doc_id']}:"):
                expected = f"{data['doc_id']}:{kind}-NNN"
                yield Finding("id must start with its document's id", expected, data["id"], record)
