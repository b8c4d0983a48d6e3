"""Find a quote in a seed: offsets come from the text, never from counting by hand.

A quote that cannot be placed says where to look: the line and column of every occurrence when there are
several, and the nearest near-miss (difflib) when there is none, so the contributor sees what the seed really has.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .problems import short

NEAR_MISS_CUTOFF = 0.6  # difflib ratio below which a stretch of the seed is no near-miss worth showing
_WORD_START = re.compile(r"(?<!\w)\w|[^\w\s]")


class AnchorError(ValueError):
    """A quote that is missing, ambiguous, or would start or end on whitespace; `line` is the seed line to show."""

    def __init__(self, message: str, line: int = 1, expected: str | None = None, found: str | None = None) -> None:
        super().__init__(message)
        self.line, self.expected, self.found = line, expected, found


def occurrences(text: str, quote: str) -> list[int]:
    starts, i = [], text.find(quote)
    while i >= 0 and quote:
        starts.append(i)
        i = text.find(quote, i + 1)
    return starts


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in code points) of an offset, as editors count them."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def where(text: str, offset: int) -> str:
    return "{}:{}".format(*line_column(text, offset))


def near_miss(text: str, quote: str) -> tuple[int, int] | None:
    """(start, end) of the stretch of the text most like the quote, if any is close enough (difflib's ratio).

    Candidates start at word starts and are about as long as the quote; the cheap upper bounds of difflib's
    get_close_matches skip most of them, so this stays fast on long seeds.
    """
    if not quote or not text:
        return None
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote)
    best, best_ratio = None, NEAR_MISS_CUTOFF
    for match in _WORD_START.finditer(text):
        start = match.start()
        for length in {len(quote) - 1, len(quote), len(quote) + 1}:
            candidate = text[start : start + length]
            matcher.set_seq1(candidate)
            if (
                matcher.real_quick_ratio() > best_ratio
                and matcher.quick_ratio() > best_ratio
                and (ratio := matcher.ratio()) > best_ratio
            ):
                best, best_ratio = (start, start + len(candidate.rstrip())), ratio
    return best


def locate(
    text: str,
    quote: str,
    occurrence: int | None = None,
    *,
    option: str = "--occurrence",
    within: tuple[int, int] | None = None,
) -> tuple[int, int]:
    """(start, end) of the quote; occurrence (1-based) is required when the quote occurs more than once, unless
    exactly one occurrence lies `within` a span (a claim's cue is looked for in its claim first)."""
    if not quote or quote != quote.strip():
        raise AnchorError(
            "quote must be non-empty and must not start or end on whitespace",
            expected="the span's first to last non-space character",
            found=short(quote, 60),
        )
    starts = occurrences(text, quote)
    if not starts:
        miss = near_miss(text, quote)
        if miss is None:
            raise AnchorError("quote not found in the seed, nor anything like it", 1, short(quote, 60), "no match")
        start, end = miss
        line = line_column(text, start)[0]
        message = f"quote not found in the seed; nearest text at {where(text, start)} is {short(text[start:end], 80)}"
        raise AnchorError(message, line, short(quote, 60), short(text[start:end], 60))
    if occurrence is None and within is not None and len(starts) > 1:
        inside = [s for s in starts if within[0] <= s and s + len(quote) <= within[1]]
        if len(inside) == 1:
            return inside[0], inside[0] + len(quote)
    if occurrence is None:
        if len(starts) > 1:
            places = ", ".join(where(text, s) for s in starts[:20]) + (" ..." if len(starts) > 20 else "")
            message = f"quote occurs {len(starts)} times, at {places} (line:column); pass {option} 1..{len(starts)}"
            raise AnchorError(message, line_column(text, starts[0])[0], f"{option} N", f"{len(starts)} occurrences")
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        places = ", ".join(where(text, s) for s in starts[:20])
        message = f"{option} {occurrence} but the quote occurs {len(starts)} time(s), at {places} (line:column)"
        raise AnchorError(message, line_column(text, starts[0])[0], f"1..{len(starts)}", str(occurrence))
    start = starts[occurrence - 1]
    return start, start + len(quote)


@dataclass(frozen=True)
class Moved:
    start: int
    end: int


class OffsetMap:
    """Maps offsets of an old text to a new one through their longest common blocks (difflib)."""

    def __init__(self, old: str, new: str) -> None:
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        self.blocks = [b for b in matcher.get_matching_blocks() if b.size]

    def map(self, offset: int) -> int | None:
        for block in self.blocks:
            if block.a <= offset < block.a + block.size:
                return block.b + (offset - block.a)
        return None


def reanchor(new_text: str, quote: str, old_start: int, offsets: OffsetMap) -> Moved:
    """The quote's new position: where the diff maps it if the quote is there, else its only occurrence."""
    mapped = offsets.map(old_start)
    if mapped is not None and new_text[mapped : mapped + len(quote)] == quote:
        return Moved(mapped, mapped + len(quote))
    starts = occurrences(new_text, quote)
    if len(starts) == 1:
        return Moved(starts[0], starts[0] + len(quote))
    if not starts:
        raise AnchorError(f"quote vanished from the new text: {quote!r}")
    raise AnchorError(f"quote is ambiguous in the new text ({len(starts)} occurrences, none where it was): {quote!r}")
