"""Quotes of the seeds in the prose a text-free build publishes: marked passages left out, the rest checked.

The README marks every passage that quotes a seed (an example record, a phrase in a description) between
QUOTE_START and QUOTE_END; a text-free card leaves those passages out. As a guard against a quote nobody marked,
every run of RUN_WORDS words of every seed is looked up in the text-free build's prose (card, croissant.json,
changelog): the prose's runs are indexed once (small), and the seeds are scanned as the corpus streams, so the
check costs one pass and no memory that grows with the corpus. Words are compared case-folded and without
punctuation, so Markdown escaping or a changed comma does not hide a quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..problems import Problem
from ..read.corpus import Document

QUOTE_START = "<!-- seed-quote -->"
QUOTE_END = "<!-- /seed-quote -->"
RUN_WORDS = 5
_WORD = re.compile(r"\w+")
_MARKER = re.compile(re.escape(QUOTE_START) + "|" + re.escape(QUOTE_END))


def words(text: str) -> list[str]:
    return [word.casefold() for word in _WORD.findall(text)]


def _passages(text: str, rel: str) -> tuple[list[tuple[int, int]], list[Problem]]:
    """The (start, end) of every marked passage, markers included; or the problem with the markers."""
    passages, opened = [], None
    for match in _MARKER.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if match.group() == QUOTE_START:
            if opened is not None:
                message = f"{QUOTE_START} opens a passage inside the one opened on line {opened[1]}"
                return [], [Problem(rel, line, "publish-quotes", message, QUOTE_END, QUOTE_START)]
            opened = (match.start(), line)
        else:
            if opened is None:
                message = f"{QUOTE_END} closes no passage"
                return [], [Problem(rel, line, "publish-quotes", message, QUOTE_START, QUOTE_END)]
            passages.append((opened[0], match.end()))
            opened = None
    if opened is not None:
        message = f"{QUOTE_START} is never closed"
        return [], [Problem(rel, opened[1], "publish-quotes", message, QUOTE_END, "the end of the file")]
    return passages, []


def without_quotes(text: str, rel: str) -> tuple[str, list[Problem]]:
    """The text with every marked passage left out (blank lines around a left-out block collapse to one)."""
    passages, problems = _passages(text, rel)
    kept, position = [], 0
    for start, end in passages:
        kept.append(text[position:start])
        position = end
    kept.append(text[position:])
    return re.sub(r"\n{3,}", "\n\n", "".join(kept)), problems


def unmarked(text: str) -> str:
    """The text with the markers taken out and the passages kept (the card of a full build)."""
    return _MARKER.sub("", text)


def blanked(text: str, rel: str) -> tuple[str, list[Problem]]:
    """The text with every marked passage replaced by its line breaks: what is left keeps its line numbers."""
    passages, problems = _passages(text, rel)
    kept, position = [], 0
    for start, end in passages:
        kept.append(text[position:start] + "\n" * text.count("\n", start, end))
        position = end
    kept.append(text[position:])
    return "".join(kept), problems


def _runs(items: list[str]) -> list[tuple[str, ...]]:
    return [tuple(items[i : i + RUN_WORDS]) for i in range(len(items) - RUN_WORDS + 1)]


@dataclass
class Prose:
    """The text files a build publishes, their word runs indexed to (file, line)."""

    index: dict[tuple[str, ...], tuple[str, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, files: dict[str, str]) -> Prose:
        prose = cls()
        for rel, text in files.items():
            # Runs may cross lines (a quote wrapped in a paragraph): index the file's words with their lines.
            found = [
                (match.group().casefold(), number)
                for number, line in enumerate(text.splitlines(), start=1)
                for match in _WORD.finditer(line)
            ]
            for i in range(len(found) - RUN_WORDS + 1):
                run = tuple(word for word, _ in found[i : i + RUN_WORDS])
                prose.index.setdefault(run, (rel, found[i][1]))
        return prose


@dataclass
class QuoteGuard:
    """A stream consumer: where the prose quotes a seed, once per prose line (the first document that has it)."""

    prose: Prose
    found: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)  # (file, line) -> (doc_id, run)

    def fresh(self) -> QuoteGuard:
        return QuoteGuard(self.prose)

    def __getstate__(self) -> dict:
        return {"found": self.found}  # a worker's findings; the index stays in the parent

    def __setstate__(self, state: dict) -> None:
        self.prose, self.found = Prose(), state["found"]

    def document(self, doc: Document) -> None:
        if doc.seed.text is None or not self.prose.index:
            return
        for run in _runs(words(doc.seed.text)):
            where = self.prose.index.get(run)
            if where is not None:
                self.found.setdefault(where, (doc.doc_id, " ".join(run)))

    def end_batch(self) -> None:
        pass

    def merge(self, other: QuoteGuard) -> None:
        for key, run in other.found.items():
            self.found.setdefault(key, run)

    def problems(self) -> list[Problem]:
        return [
            Problem(
                rel,
                line,
                "publish-quotes",
                f"a text-free build would quote the seed of {doc_id}; mark the passage in the README between "
                f"{QUOTE_START} and {QUOTE_END} (or rephrase it)",
                f"no run of {RUN_WORDS} words of a seed",
                run,
            )
            for (rel, line), (doc_id, run) in sorted(self.found.items())
        ]
