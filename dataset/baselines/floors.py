"""Trivial floors: what any real system must beat.

- ``no-boilerplate``: every character is editorial (no boilerplate span at all).
- ``sentence-claims``: every SoMaJo sentence is one asserted claim, span without final punctuation, no sources,
  no cue. Its type is ``event``, fixed a priori: the guidelines define event most broadly (anything that
  happened or is happening, including statements made), and news text mostly reports events; ``quantity`` is
  ruled out because it needs a number the floor does not read.
"""

from __future__ import annotations

from .sentences import sentences
from .spans import numbered, provenance, sorted_documents

FLOOR_TYPE = "event"


def no_boilerplate(documents: list[tuple[str, str]]) -> dict:
    """An empty boilerplate layer for every document."""
    return {"boilerplate": {doc_id: [] for doc_id, _ in sorted_documents(documents)}}


def _sentence_claims(doc_id: str, text: str) -> list[dict]:
    return [
        {
            "id": numbered(doc_id, "claim", index),
            "doc_id": doc_id,
            "start": s.start,
            "end": s.end,
            "text": text[s.start : s.end],
            "type": FLOOR_TYPE,
            "modality": "asserted",
            "source_ids": [],
            "cue": None,
            "quantity": None,
            "cluster_id": None,
            **provenance("sentence-claims"),
        }
        for index, s in enumerate(sentences(text))
    ]


def sentence_claims(documents: list[tuple[str, str]]) -> dict:
    """One asserted event claim per sentence of every document."""
    return {"claims": {doc_id: _sentence_claims(doc_id, text) for doc_id, text in sorted_documents(documents)}}
