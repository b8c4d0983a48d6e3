"""jusText boilerplate baseline: classify paragraphs with jusText's German stoplist, map them back to offsets.

The seeds are plain text, so each paragraph (sentences.paragraphs; blank-line blocks by default, since
jusText's length and stop-word features were designed for HTML block elements, which plain-text renderings
separate by blank lines, while single line breaks are often hard wraps, as in the PDF extraction) is wrapped in
its own ``<p>`` of a minimal HTML page, HTML-escaped, and no other markup is invented (no links, no headings):
jusText then decides by paragraph length, stop-word density and the neighbouring paragraphs only. Its
parameters are the library defaults (length_low=70, length_high=200, stopwords_low=0.30, stopwords_high=0.32,
max_link_density=0.2, max_heading_distance=200), chosen a priori: they were tuned by jusText's authors on web
pages, and nothing here was fitted.

Each paragraph jusText returns carries its XPath (``/html[1]/body[1]/p[N]``), which gives back the paragraph's
exact code-point offsets. Adjacent boilerplate paragraphs of the same category merge into one span (the
guidelines' "one span per maximal run of one category"). Category: a paragraph made only of URLs or markdown
links is ``link-list``; every other boilerplate paragraph is ``interface``, stated a priori: without markup,
what jusText flags is short or stop-word-poor text away from prose, which on a news page is mostly widget and
button text, the guidelines' ``interface``.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from .sentences import ParagraphMode, paragraphs
from .spans import numbered, provenance, sorted_documents

SYSTEM = "justext-boilerplate"
DEFAULT_CATEGORY = "interface"
_LINK = re.compile(r"(?:https?://\S+|www\.\S+|\[[^\]\n]*\]\(\S+\))")
_XPATH = re.compile(r"/html\[1\]/body\[1\]/p\[(\d+)\]$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@lru_cache(maxsize=1)
def _stoplist() -> frozenset[str]:
    import justext

    return frozenset(justext.get_stoplist("German"))


def _category(paragraph: str) -> str:
    """link-list for a paragraph of URLs / markdown links only; the default category otherwise."""
    return "link-list" if not _LINK.sub("", paragraph).strip() else DEFAULT_CATEGORY


def boilerplate_paragraphs(text: str, mode: ParagraphMode = "blocks") -> list[tuple[int, int]]:
    """Offsets of the paragraphs jusText classifies as boilerplate, in text order."""
    import justext

    spans = paragraphs(text, mode)
    if not spans:
        return []
    body = "".join(f"<p>{html.escape(_CONTROL.sub(' ', text[a:b]))}</p>" for a, b in spans)
    page = f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>".encode()
    result = []
    for paragraph in justext.justext(page, _stoplist(), encoding="utf-8"):
        match = _XPATH.search(paragraph.xpath)
        if paragraph.is_boilerplate and match is not None:
            result.append(spans[int(match.group(1)) - 1])
    return sorted(set(result))


def predict_document(doc_id: str, text: str, mode: ParagraphMode = "blocks") -> list[dict]:
    """Boilerplate records of one document: merged runs of one category, numbered in text order."""
    flagged = set(boilerplate_paragraphs(text, mode))
    runs: list[list] = []
    adjacent = False  # was the paragraph before this one flagged too?
    for start, end in paragraphs(text, mode):
        if (start, end) not in flagged:
            adjacent = False
            continue
        category = _category(text[start:end])
        if adjacent and runs[-1][2] == category:
            runs[-1][1] = end  # only whitespace lies between two consecutive paragraphs
        else:
            runs.append([start, end, category])
        adjacent = True
    return [
        {
            "id": numbered(doc_id, "bp", index),
            "doc_id": doc_id,
            "start": start,
            "end": end,
            "text": text[start:end],
            "category": category,
            **provenance(SYSTEM),
        }
        for index, (start, end, category) in enumerate(runs)
    ]


def predict(documents: list[tuple[str, str]], mode: ParagraphMode = "blocks") -> dict:
    """Boilerplate spans of every document, keyed by doc_id in doc_id order."""
    return {
        "boilerplate": {doc_id: predict_document(doc_id, text, mode) for doc_id, text in sorted_documents(documents)}
    }
