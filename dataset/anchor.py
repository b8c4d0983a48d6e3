"""Find a quote in a seed: offsets come from the text, never from counting by hand."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


class AnchorError(ValueError):
    """A quote that is missing, ambiguous, or would start or end on whitespace."""


def occurrences(text: str, quote: str) -> list[int]:
    starts, i = [], text.find(quote)
    while i >= 0 and quote:
        starts.append(i)
        i = text.find(quote, i + 1)
    return starts


def locate(text: str, quote: str, occurrence: int | None = None) -> tuple[int, int]:
    """(start, end) of the quote; occurrence (1-based) is required when the quote occurs more than once."""
    if not quote or quote != quote.strip():
        raise AnchorError(f"quote must be non-empty and must not start or end on whitespace: {quote!r}")
    starts = occurrences(text, quote)
    if not starts:
        raise AnchorError(f"quote not found in the seed: {quote!r}")
    if occurrence is None:
        if len(starts) > 1:
            raise AnchorError(f"quote occurs {len(starts)} times; pass --occurrence 1..{len(starts)}: {quote!r}")
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise AnchorError(f"--occurrence {occurrence} but the quote occurs {len(starts)} time(s): {quote!r}")
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
