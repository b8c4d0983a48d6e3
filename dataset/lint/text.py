"""A document's text as the lints read it: words, quotations and sentences, found once per document.

Page furniture is blanked out first (replaced by spaces, so offsets stay those of the seed): a URL block the PDF
extraction dropped into a sentence does not end it, and a stray label is not a word of the article.

Sentences are cut by rule, not by a model, so the lints need no optional dependency and give the same answer
everywhere: after . ! ? (with any closing quotation marks) when an upper-case letter, a digit or an opening mark
follows, except after an abbreviation, an initial or a day of the month ("1. September"); and at the end of a
block (a blank line, or a line break in a text without blank lines, so a heading is its own sentence) unless the
text goes on in lower case (the PDF extraction breaks headings and sentences over blank lines). No sentence ends
inside a quotation.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..layers import INTERRUPTING_CATEGORIES
from ..read.jsonl import Record
from . import lexicon

_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_END = re.compile(r"[.!?…]+[\"“”»«')\]*]*(?=\s)")
_BLANK = re.compile(r"\n[ \t]*\n\s*")
_LINE = re.compile(r"\n\s*")
_QUOTE_PAIRS = (("„", "“"), ("»", "«"))
_QUOTE_REACH = 3000  # how far a German quotation may run (it may span sentences and a URL block)
_OPENERS = "„»«\"“\u201a*(['"


@dataclass(frozen=True)
class Word:
    """One word or number of the text, with its offsets (and its lower-case form, for phrase lookups)."""

    text: str
    start: int
    end: int
    lower: str


def _block_breaks(text: str) -> re.Pattern[str]:
    """What separates blocks: blank lines where the text has any (a single line break is then a hard wrap, as in a
    PDF extraction); else every line break (each block on its own line), as the baselines' paragraphs rule."""
    return _BLANK if _BLANK.search(text) else _LINE


def mask(text: str, furniture: Iterable[Record]) -> str:
    """The text with its furniture replaced by spaces (offsets unchanged). Furniture that may interrupt a sentence
    (a URL block, a stray label) is blanked with the line breaks around it, so the sentence reads on across it."""
    chars = list(text)
    for record in furniture:
        start, end = record.data["start"], record.data["end"]
        if record.data.get("category") in INTERRUPTING_CATEGORIES:
            while start > 0 and text[start - 1].isspace():
                start -= 1
            while end < len(text) and text[end].isspace():
                end += 1
            if start > 0:
                start += 1  # one space stays between the words on either side
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def quotations(text: str) -> list[tuple[int, int]]:
    """[opening mark, after closing mark) of every quotation: German „…“ and »…«, and "…" within a paragraph."""
    regions = []
    for opening, closing in _QUOTE_PAIRS:
        at = text.find(opening)
        while at >= 0:
            close = text.find(closing, at + 1, at + _QUOTE_REACH)
            if close < 0:
                at = text.find(opening, at + 1)
                continue
            regions.append((at, close + 1))
            at = text.find(opening, close + 1)
    paragraph_start = 0
    for paragraph_end in [m.start() for m in _block_breaks(text).finditer(text)] + [len(text)]:
        marks = [i for i in range(paragraph_start, paragraph_end) if text[i] in '"”']
        regions += [(marks[i], marks[i + 1] + 1) for i in range(0, len(marks) - 1, 2)]
        paragraph_start = paragraph_end
    return sorted(regions)


def _inside(regions: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies strictly inside one of the regions (not at its edge)."""
    return any(a < start and end < b for a, b in regions)


def _abbreviation(text: str, punct: int) -> bool:
    """Whether the period at `punct` closes an abbreviation, an initial or a day of the month."""
    if text[punct] != ".":
        return False
    before = _WORD.findall(text[max(punct - 12, 0) : punct])
    if not before or not text[punct - 1].isalnum():
        return False
    word = before[-1]
    return (
        (word.isdigit() and len(word) <= 2)
        or (len(word) == 1 and word.isalpha())
        or word.lower().replace(".", "") in {a.replace(".", "") for a in lexicon.ABBREVIATIONS}
    )


def sentences(text: str, regions: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Sentence offsets (trimmed of whitespace; final punctuation kept) of a text whose furniture is masked."""
    cuts = {0, len(text)}
    for match in _END.finditer(text):
        rest = text[match.end() :].lstrip()
        if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest[0] in _OPENERS):
            continue
        if _abbreviation(text, match.start()) or _inside(regions, match.start(), match.end()):
            continue
        cuts.add(match.end())
    for match in _block_breaks(text).finditer(text):
        rest = text[match.end() :]
        if (rest and rest[0].islower()) or _inside(regions, match.start(), match.end()):
            continue
        cuts.add(match.start())
    result = []
    ordered = sorted(cuts)
    for start, end in itertools.pairwise(ordered):
        piece = text[start:end]
        if piece.strip():
            left = start + len(piece) - len(piece.lstrip())
            result.append((left, start + len(piece.rstrip())))
    return result


class Text:
    """One document's text with its furniture masked, its words, quotations and sentences."""

    def __init__(self, text: str, furniture: Iterable[Record] = ()) -> None:
        self.text = text
        self.masked = mask(text, furniture)

    @cached_property
    def words(self) -> list[Word]:
        return [Word(m.group(), m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(self.masked)]

    @cached_property
    def _word_starts(self) -> list[int]:
        return [w.start for w in self.words]

    @cached_property
    def quotations(self) -> list[tuple[int, int]]:
        return quotations(self.masked)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        return sentences(self.masked, self.quotations)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [start for start, _ in self.sentences]

    @cached_property
    def _word_ends(self) -> list[int]:
        return [w.end for w in self.words]

    def words_in(self, start: int, end: int) -> list[Word]:
        """The words that lie wholly inside [start, end)."""
        return self.words[bisect.bisect_left(self._word_starts, start) : bisect.bisect_right(self._word_ends, end)]

    def word_before(self, position: int) -> Word | None:
        i = bisect.bisect_left(self._word_starts, position)
        return self.words[i - 1] if i > 0 else None

    @cached_property
    def _quoted(self) -> list[tuple[int, int]]:
        """The insides of the quotations (between their marks), merged where they overlap, in order."""
        merged: list[tuple[int, int]] = []
        for a, b in self.quotations:
            inside = (a + 1, b - 1)
            if merged and inside[0] <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], inside[1]))
            else:
                merged.append(inside)
        return merged

    def quoted(self, start: int, end: int | None = None) -> bool:
        """Whether [start, end) lies inside a quotation (between its marks)."""
        end = start + 1 if end is None else end
        i = bisect.bisect_right(self._quoted, (start, len(self.text) + 1)) - 1
        return i >= 0 and self._quoted[i][0] <= start and end <= self._quoted[i][1]

    def sentence_index(self, position: int) -> int:
        return max(bisect.bisect_right(self._sentence_starts, position) - 1, 0)

    def sentence(self, position: int) -> tuple[int, int]:
        """The sentence the position lies in (or the last one starting before it)."""
        return self.sentences[self.sentence_index(position)] if self.sentences else (0, len(self.text))


def phrase_at(words: Sequence[Word], i: int, phrase: Sequence[str]) -> bool:
    """Whether the words from i on spell the phrase, in any case (its nouns are capitalised in the text)."""
    return i + len(phrase) <= len(words) and all(words[i + k].lower == word for k, word in enumerate(phrase))


@lru_cache(maxsize=64)
def _by_first_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        index.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(group) for first, group in index.items()}


def find_phrases(words: Sequence[Word], phrases: Sequence[Sequence[str]]) -> list[tuple[int, int]]:
    """(word index, length) of every occurrence of any of the phrases."""
    index = _by_first_word(tuple(tuple(p) for p in phrases))
    return [(i, len(p)) for i, word in enumerate(words) for p in index.get(word.lower, ()) if phrase_at(words, i, p)]
