"""Cross-layer rules inside one document, each a sweep over sorted spans (n log n, whatever the input).

Boilerplate spans are first checked to be disjoint; only then are claims, mentions and cues placed against them,
by binary search in the sorted boilerplate (each span costs log n, never a pass over every boilerplate span).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..layers import CREDITS_CATEGORY, INTERRUPTING_CATEGORIES
from ..problems import Finding
from ..read.jsonl import Record
from ..repo import GOLD, PREDICTION
from .engine import DOCUMENT, rule
from .views import SpanView

# Where a sentence ends: final punctuation (and a closing quote) before whitespace, or a blank line.
_SENTENCE_END = re.compile(r"[.!?…][\"'“”„«»)]*\s|\n[ \t]*\n")


def _where(record: Record) -> str:
    return f"{record.data['id']} [{record.data['start']}, {record.data['end']})"


@dataclass
class Furniture:
    """A document's boilerplate spans, sorted, with look-ups in log n; None when they overlap each other."""

    spans: list[Record]

    @cached_property
    def starts(self) -> list[int]:
        return [r.data["start"] for r in self.spans]

    @cached_property
    def ends(self) -> list[int]:
        return [r.data["end"] for r in self.spans]

    @cached_property
    def next_not_interrupting(self) -> list[int]:
        """For each index, the first index at or after it whose category does not interrupt a sentence."""
        nxt = [len(self.spans)] * (len(self.spans) + 1)
        for i in range(len(self.spans) - 1, -1, -1):
            nxt[i] = i if self.spans[i].data["category"] not in INTERRUPTING_CATEGORIES else nxt[i + 1]
        return nxt

    def covering(self, position: int) -> Record | None:
        """The span with start < position < end (strictly inside), if any."""
        i = bisect.bisect_left(self.starts, position) - 1
        if i >= 0 and self.starts[i] < position < self.ends[i]:
            return self.spans[i]
        return None

    def containing(self, start: int, end: int) -> Record | None:
        """The span that contains [start, end) whole, if any."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and self.ends[i] >= end:
            return self.spans[i]
        return None

    def first_overlapping(self, start: int, end: int) -> Record | None:
        i = bisect.bisect_right(self.ends, start)
        if i < len(self.spans) and self.starts[i] < end:
            return self.spans[i]
        return None

    def first_inside_not_interrupting(self, start: int, end: int) -> Record | None:
        """The first span inside [start, end) whose category may not interrupt a sentence."""
        lo = bisect.bisect_left(self.starts, start)
        i = self.next_not_interrupting[lo]
        if i < len(self.spans) and self.ends[i] <= end:
            return self.spans[i]
        return None


def _sorted(records: list[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (r.data["start"], r.data["end"]))


def _furniture(view: SpanView) -> Furniture | None:
    """The document's boilerplate if it is disjoint (else the overlap rule speaks and the others wait)."""
    spans = _sorted(view.inside("boilerplate"))
    if any(a.data["end"] > b.data["start"] for a, b in itertools.pairwise(spans)):
        return None
    return Furniture(spans)


@rule("boilerplate-overlap", DOCUMENT, roles=[GOLD])
def boilerplate_overlap(view: SpanView) -> Iterator[Finding]:
    furthest: Record | None = None
    for record in _sorted(view.inside("boilerplate")):
        if furthest is not None and record.data["start"] < furthest.data["end"]:
            yield Finding(f"overlaps {_where(furthest)}", "disjoint boilerplate spans", _where(record), record)
        if furthest is None or record.data["end"] > furthest.data["end"]:
            furthest = record


@rule("claim-in-boilerplate", DOCUMENT, roles=[GOLD])
def claim_in_boilerplate(view: SpanView) -> Iterator[Finding]:
    furniture = _furniture(view)
    if furniture is None:
        return
    for claim in view.inside("claims"):
        bp = furniture.containing(claim.data["start"], claim.data["end"])
        if bp is not None:
            message = f"claim lies inside boilerplate {_where(bp)} ({bp.data['category']})"
            yield Finding(message, "claims in editorial content", _where(claim), claim)


@rule("claim-boilerplate-overlap", DOCUMENT, roles=[GOLD])
def claim_boilerplate_overlap(view: SpanView) -> Iterator[Finding]:
    furniture = _furniture(view)
    if furniture is None:
        return
    for claim in view.inside("claims"):
        start, end = claim.data["start"], claim.data["end"]
        if furniture.containing(start, end) is not None:
            continue  # claim-in-boilerplate
        partial = furniture.covering(start) or furniture.covering(end)
        if partial is not None:
            yield Finding(
                f"claim partly overlaps boilerplate {_where(partial)}", "no partial overlap", _where(claim), claim
            )
            continue
        inside = furniture.first_inside_not_interrupting(start, end)
        if inside is not None:
            message = f"claim contains boilerplate {_where(inside)} that does not interrupt a sentence"
            expected = f"only {sorted(INTERRUPTING_CATEGORIES)} inside a claim"
            yield Finding(message, expected, inside.data["category"], claim)


@rule("mention-placement", DOCUMENT, roles=[GOLD])
def mention_placement(view: SpanView) -> Iterator[Finding]:
    furniture = _furniture(view)
    if furniture is None:
        return
    for mention in view.inside("sources"):
        start, end = mention.data["start"], mention.data["end"]
        bp = furniture.first_overlapping(start, end)
        if bp is None:
            continue
        credits = bp.data["category"] == CREDITS_CATEGORY and bp.data["start"] <= start and end <= bp.data["end"]
        if not credits:
            message = f"mention overlaps boilerplate {_where(bp)}"
            yield Finding(message, "editorial content or inside a credits line", bp.data["category"], mention)


@rule("duplicate-span", DOCUMENT, roles=[GOLD, PREDICTION])
def duplicate_span(view: SpanView) -> Iterator[Finding]:
    """Two records of one layer on the same span of one document are one record written twice."""
    for name in view.layers:
        first: dict[tuple[int, int], Record] = {}
        for record in view.inside(name):
            key = (record.data["start"], record.data["end"])
            if key in first:
                message = f"same span as {_where(first[key])} in this layer"
                yield Finding(message, "one record per span and layer", _where(record), record)
            else:
                first[key] = record


@rule("cue-is-mention", DOCUMENT, roles=[GOLD, PREDICTION])
def cue_is_mention(view: SpanView) -> Iterator[Finding]:
    """A cue is the attribution word; the source mention itself is never also the cue (guidelines, section 4)."""
    spans = {(m.data["start"], m.data["end"]): m for m in view.inside("sources")}
    for claim in view.inside("claims"):
        cue = claim.data["cue"]
        if cue is not None and (cue["start"], cue["end"]) in spans:
            mention = spans[(cue["start"], cue["end"])]
            yield Finding(f"cue is the source mention {_where(mention)}", "the attribution word", cue["text"], claim)


_QUOTES = (("„", "“"), ("»", "«"), ("«", "»"))  # opening and closing marks of a German quotation
_QUOTE_REACH = 3000  # how far back a quotation's opening mark is looked for


_SENTENCE_REACH = 2000  # how far back a sentence's start is looked for


@lru_cache(maxsize=4)
def _sentence_ends(text: str) -> tuple[list[int], dict[int, int]]:
    """Every sentence end of a text as one scan from its start finds them: their ends, and end by start."""
    matches = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)]
    return [end for _, end in matches], dict(matches)


def _sentence_start(text: str, start: int) -> int:
    """The end of the last sentence end found scanning [start - 2000, start), or 0.

    Scanning that window costs 2,000 characters per claim; the scan of the whole text, made once, finds the same
    ends as soon as the window's scan meets one of them (from there on both scans are in step), so only the few
    characters up to the window's first match are scanned here.
    """
    ends, end_by_start = _sentence_ends(text)
    last = 0
    for match in _SENTENCE_END.finditer(text, max(start - _SENTENCE_REACH, 0), start):
        if end_by_start.get(match.start()) == match.end():
            return ends[bisect.bisect_right(ends, start) - 1]
        last = match.end()
    return last


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): from after the last sentence end before it to the first one after it."""
    after = _SENTENCE_END.search(text, end)
    return _sentence_start(text, start), (after.start() + 1 if after else len(text))


@lru_cache(maxsize=4)
def _marks(text: str) -> dict[str, list[int]]:
    """Where each quotation mark stands in a text, found once per text (a claim's look-ups are then log n)."""
    positions: dict[str, list[int]] = {}
    for mark in {mark for pair in _QUOTES for mark in pair}:
        found, at = [], text.find(mark)
        while at >= 0:
            found.append(at)
            at = text.find(mark, at + 1)
        positions[mark] = found
    return positions


def _last(positions: list[int], low: int, high: int) -> int:
    """The last position in [low, high), else -1 (str.rfind of a one-character mark)."""
    i = bisect.bisect_left(positions, high) - 1
    return positions[i] if i >= 0 and positions[i] >= low else -1


def _first(positions: list[int], low: int, high: int) -> int:
    """The first position in [low, high), else -1 (str.find of a one-character mark)."""
    i = bisect.bisect_left(positions, low)
    return positions[i] if i < len(positions) and positions[i] < high else -1


def _quotation(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The quotation [opening mark, closing mark] that [start, end) lies in, if it lies in one."""
    marks = _marks(text)
    for opening, closing in _QUOTES:
        at = _last(marks[opening], max(start - _QUOTE_REACH, 0), start + 1)
        if at >= 0 and _first(marks[closing], at + 1, start) < 0:
            close = _first(marks[closing], max(end - 1, at + 1), end + _QUOTE_REACH)
            if close >= 0:
                return at, close + 1
    return None


def attribution_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where a claim's cue may lie: its sentence, widened to the sentences its quotation starts and ends in
    (a quoted claim's cue stands before or after the whole quotation: „... (…) ...“, so Frank)."""
    low, high = sentence_bounds(text, start, end)
    quotation = _quotation(text, start, end)
    if quotation is not None:
        low = min(low, sentence_bounds(text, quotation[0], quotation[0] + 1)[0])
        high = max(high, sentence_bounds(text, quotation[1] - 1, quotation[1])[1])
    return low, high


@rule("cue-outside-claim", DOCUMENT, roles=[GOLD])
def cue_outside_claim(view: SpanView) -> Iterator[Finding]:
    """A cue is the attribution expression of its claim's sentence, never a word elsewhere or in page furniture."""
    furniture = _furniture(view)
    for claim in view.inside("claims"):
        cue = claim.data["cue"]
        if cue is None or not 0 <= cue["start"] < cue["end"] <= len(view.text):
            continue
        low, high = attribution_bounds(view.text, claim.data["start"], claim.data["end"])
        if not (low <= cue["start"] and cue["end"] <= high):
            message = f"cue [{cue['start']}, {cue['end']}) lies outside the sentence of its claim"
            yield Finding(message, f"a cue inside [{low}, {high})", repr(cue["text"]), claim)
        elif furniture is not None and (bp := furniture.first_overlapping(cue["start"], cue["end"])) is not None:
            yield Finding(
                f"cue lies in boilerplate {_where(bp)}", "a cue in editorial content", repr(cue["text"]), claim
            )
