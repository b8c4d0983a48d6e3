"""Turn possibly overlapping spans over a text into a tree of HTML-ready fragments.

HTML elements must nest, annotations need not: the text is split at every span boundary, and each
piece is wrapped in the spans that cover it, outermost first. A span that nests properly becomes one
element; a span that crosses another is cut into a head fragment (which carries its identity) and
continuation fragments, so every span is drawn once and its text is the concatenation of its fragments.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
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
    """The text as a list of plain strings and fragments; concatenating all strings gives the text back.

    One sweep over the cut points: the spans covering the current piece are kept sorted (outermost first), and
    only those from the first one that changed at a cut are closed and reopened, so the work is the size of the
    tree plus n log n, however many spans the text has. An empty span covers no text and is not drawn.
    """
    starts: dict[int, list[tuple[tuple, Span]]] = defaultdict(list)
    ends: dict[int, list[tuple[tuple, Span]]] = defaultdict(list)
    for number, span in enumerate(spans):
        if span.start < span.end:
            entry = ((*span.order(), number), span)  # the number makes equal spans distinct
            starts[span.start].append(entry)
            ends[span.end].append(entry)
    cuts = sorted({0, len(text), *starts, *ends})
    order: list[tuple] = []  # sort keys of the spans covering the current piece, outermost first
    cover: list[Span] = []  # those spans, in the same order
    root: list[Fragment | str] = []
    stack: list[Fragment] = []  # the open fragments: always one per span in cover, in the same order
    for a, b in pairwise(cuts):
        keep = len(cover)
        for key, _ in ends.get(a, ()):
            index = bisect_left(order, key)
            del order[index], cover[index]
            keep = min(keep, index)
        for key, span in starts.get(a, ()):
            index = bisect_left(order, key)
            order.insert(index, key)
            cover.insert(index, span)
            keep = min(keep, index)
        del stack[keep:]
        for span in cover[keep:]:
            fragment = Fragment(span, head=span.start == a)
            (stack[-1].children if stack else root).append(fragment)
            stack.append(fragment)
        (stack[-1].children if stack else root).append(text[a:b])
    return root
