"""Span helpers shared by every baseline: offsets that obey the dataset's span rules, ids and provenance.

Every span a baseline emits goes through :func:`tidy_span`, so no system has to re-implement the rules
(no whitespace at either end, never inside a word, never between a character and its combining mark).
"""

from __future__ import annotations

import unicodedata


def _joins(text: str, at: int) -> bool:
    """True where a boundary at ``at`` would cut a word or separate a combining mark from its base."""
    if not 0 < at < len(text):
        return False
    if unicodedata.combining(text[at]):
        return True
    return text[at - 1].isalnum() and text[at].isalnum()


def tidy_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim whitespace, then widen outward to whole words; None if nothing is left.

    Widening (not shrinking) keeps every character the system chose: a tokenizer boundary inside a word is the
    tokenizer's error, and the whole word is the smallest valid span that still contains it.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    while _joins(text, start):
        start -= 1
    while _joins(text, end):
        end += 1
    return start, end


def provenance(system: str) -> dict:
    """The provenance fields of a machine-made, unreviewed record."""
    return {"annotated_by": f"baseline-{system}", "reviewed_by": None, "review_status": "unreviewed", "note": None}


def numbered(doc_id: str, kind: str, index: int) -> str:
    """Id of the index-th (0-based) record of one layer in one document, e.g. ``doc:claim-001``."""
    return f"{doc_id}:{kind}-{index + 1:03d}"


def sorted_documents(documents: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Documents in doc_id order, so that the caller's order never changes the output."""
    ids = [doc_id for doc_id, _ in documents]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate doc_id in documents")
    return sorted(documents)
