"""Paragraphs and SoMaJo sentences of a plain text, with code-point offsets into that text.

Paragraphs are blocks separated by blank lines: that is how HTML-to-text conversion, markdown and most
extractions render block elements, while a single line break is often a hard wrap inside a block (a PDF
extraction wraps every sentence). A text without any blank line cannot mark paragraphs that way, so there each
non-blank line is a paragraph. The rule looks only at the text's own layout, decided before looking at any
annotation.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .spans import tidy_span

ParagraphMode = Literal["auto", "blocks", "lines"]

#: Tokens that end a sentence and are left out of a sentence span (the guidelines exclude ., !, ?).
FINAL_PUNCTUATION = frozenset({".", "!", "?", "…", "...", "?!", "!?", "!!", "??"})


@dataclass(frozen=True)
class Token:
    """One SoMaJo token: its offsets in the document and its text there, NFC-normalised for word-list lookups.

    Spans are always cut from the document by offsets, never from ``text``, so normalisation never leaks out.
    """

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence span (final punctuation excluded), its tokens (final punctuation excluded) and that punctuation."""

    start: int
    end: int
    tokens: tuple[Token, ...]
    final: str


def _lines(text: str) -> list[tuple[int, int]]:
    """Offsets of every non-blank line, trimmed of whitespace."""
    spans, at = [], 0
    for line in text.splitlines(keepends=True):
        span = tidy_span(text, at, at + len(line))
        if span is not None:
            spans.append(span)
        at += len(line)
    return spans


def _blocks(text: str) -> list[tuple[int, int]]:
    """Offsets of every blank-line-separated block, trimmed of whitespace."""
    blocks: list[tuple[int, int]] = []
    previous_end = None
    for start, end in _lines(text):
        if previous_end is not None and blocks and "\n" not in text[previous_end:start].replace("\n", "", 1):
            blocks[-1] = (blocks[-1][0], end)  # only one line break between the two lines: same block
        else:
            blocks.append((start, end))
        previous_end = end
    return blocks


def paragraphs(text: str, mode: ParagraphMode = "auto") -> list[tuple[int, int]]:
    """Paragraph offsets: ``blocks`` (blank-line separated), ``lines``, or ``auto`` (blocks if any blank line)."""
    if mode == "lines":
        return _lines(text)
    if mode == "blocks":
        return _blocks(text)
    blocks = _blocks(text)
    return blocks if len(blocks) > 1 else _lines(text)


@lru_cache(maxsize=1)
def _tokenizer():
    """One SoMaJo instance per process: building it compiles many regular expressions."""
    from somajo import SoMaJo

    return SoMaJo("de_CMC", split_camel_case=False, split_sentences=True, character_offsets=True)


def sentences(text: str, mode: ParagraphMode = "auto") -> list[Sentence]:
    """SoMaJo sentences of every paragraph, in text order, each without its final punctuation."""
    result = []
    for p_start, p_end in paragraphs(text, mode):
        for raw in _tokenizer().tokenize_text([text[p_start:p_end]]):
            tokens = [
                Token(unicodedata.normalize("NFC", text[p_start + a : p_start + b]), p_start + a, p_start + b)
                for a, b in (t.character_offset for t in raw)
                if b > a
            ]
            final = []
            while tokens and tokens[-1].text in FINAL_PUNCTUATION:
                final.insert(0, tokens.pop().text)
            if not tokens:
                continue
            span = tidy_span(text, tokens[0].start, tokens[-1].end)
            if span is not None:
                result.append(Sentence(span[0], span[1], tuple(tokens), "".join(final)))
    return result
