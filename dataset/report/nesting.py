"""Turn possibly overlapping spans over a text into a tree of HTML-ready fragments.

HTML elements must nest, annotations need not: the text is split at every span boundary, and each
piece is wrapped in the spans that cover it, outermost first. A span that nests properly becomes one
element; a span that crosses another is cut into a head fragment (which carries its identity) and
continuation fragments, so every span is drawn once and its text is the concatenation of its fragments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any


@dataclass(frozen=True)
class Span:
    """A half-open range [start, end) of the text with what to draw for it.

    Of two spans with the same range, the one with the lower rank, then the lower key, is drawn outside.
    """

    start: int
    end: int
    rank: int
    key: str
    payload: Any = None

    def order(self) -> tuple[int, int, int, str]:
        return (self.start, -self.end, self.rank, self.key)


@dataclass
class Fragment:
    """One element of the tree: a span's head (first fragment) or a continuation of it."""

    span: Span
    head: bool
    children: list[Fragment | str] = field(default_factory=list)


def nest(text: str, spans: list[Span]) -> list[Fragment | str]:
    """The text as a list of plain strings and fragments; concatenating all strings gives the text back."""
    ordered = sorted(spans, key=Span.order)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    root: list[Fragment | str] = []
    stack: list[Fragment] = []
    started: set[int] = set()
    for a, b in pairwise(cuts):
        cover = [s for s in ordered if s.start <= a and b <= s.end]
        keep = 0
        while keep < min(len(stack), len(cover)) and stack[keep].span is cover[keep]:
            keep += 1
        del stack[keep:]
        for span in cover[keep:]:
            fragment = Fragment(span, head=id(span) not in started)
            started.add(id(span))
            (stack[-1].children if stack else root).append(fragment)
            stack.append(fragment)
        (stack[-1].children if stack else root).append(text[a:b])
    return root
