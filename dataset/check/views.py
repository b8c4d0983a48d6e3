"""What each scope of rules is given: a seed, one store's spans of one document, or the whole run's corpus view."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ..layers import BY_NAME, Layer
from ..read.corpus import Seed
from ..read.jsonl import Record

if TYPE_CHECKING:
    from ..read.corpus import Corpus
    from .review import Clusterings


@dataclass
class SeedView:
    """One streamed document's seed and the digest pinned for it (None when none is)."""

    seed: Seed
    pinned: tuple[str, int] | None
    digests_rel: str

    @property
    def good_text(self) -> str | None:
        """The seed's text when every seed rule passes: only then are spans checked against it."""
        seed = self.seed
        if seed.text is None or seed.text == "" or self.pinned is None or seed.digest != self.pinned[0]:
            return None
        return seed.text


@dataclass
class SpanView:
    """One store's span layers of one document, for DOCUMENT rules: shape-valid records and the seed's text."""

    doc_id: str
    text: str
    role: str
    layers: dict[str, list[Record]]
    by_name: dict[str, Layer] = field(default_factory=dict)

    def records(self, layer: str) -> list[Record]:
        return self.layers.get(layer, [])

    @cached_property
    def _inside(self) -> dict[str, list[Record]]:
        n = len(self.text)
        return {
            name: [r for r in records if 0 <= r.data["start"] < r.data["end"] <= n]
            for name, records in self.layers.items()
        }

    def inside(self, layer: str) -> list[Record]:
        """The layer's records whose own offsets lie in the text (the table rules report the others)."""
        return self._inside.get(layer, [])

    @cached_property
    def _spans(self) -> list[tuple[Record, dict, str]]:
        spans = []
        for name, records in self._inside.items():
            nested = self.by_name[name].nested_spans
            for record in records:
                spans.append((record, record.data, ""))
                for key in nested:
                    if record.data.get(key) is not None:
                        spans.append((record, record.data[key], f"{key}: "))
        return spans

    def spans(self) -> list[tuple[Record, dict, str]]:
        """(record, span, label) for every record inside the text and every nested span it has (label 'cue: ');
        made once per view, since every span rule walks it."""
        return self._spans

    @cached_property
    def _covered(self) -> list[tuple[Record, dict, str, str]]:
        n, text = len(self.text), self.text
        return [
            (record, span, label, text[span["start"] : span["end"]])
            for record, span, label in self._spans
            if 0 <= span["start"] < span["end"] <= n
        ]

    def covered(self) -> list[tuple[Record, dict, str, str]]:
        """(record, span, label, the text it covers) for every span of spans() whose offsets lie in the text."""
        return self._covered


@dataclass
class Uses:
    """What the documents reference in the registries: which ids, and (at most two) documents per id."""

    ids: dict[str, set[str]] = field(default_factory=dict)
    documents: dict[str, dict[str, set[str]]] = field(default_factory=dict)

    def count(self, layer: Layer, doc_id: str, records: list[Record]) -> None:
        """Counted from every parsed record, so one broken record does not also report its targets unused.

        Only references into registries: those are what the corpus rules ask about, and their ids are bounded by
        the registries, so memory stays flat (a span layer's ids grow with the corpus)."""
        for ref in layer.references:
            if not BY_NAME[ref.target].is_registry:
                continue
            ids = self.ids.setdefault(ref.target, set())
            documents = self.documents.setdefault(ref.target, {})
            for record in records:
                value = record.data.get(ref.field)
                for target in value if ref.many and isinstance(value, list) else [value]:
                    if isinstance(target, str):
                        ids.add(target)
                        seen = documents.setdefault(target, set())
                        if len(seen) < 2:  # the rules only ask "one document or several": memory stays flat
                            seen.add(doc_id)

    def merge(self, other: Uses) -> None:
        for target, ids in other.ids.items():
            self.ids.setdefault(target, set()).update(ids)
        for target, documents in other.documents.items():
            mine = self.documents.setdefault(target, {})
            for key, docs in documents.items():
                seen = mine.setdefault(key, set())
                for doc in sorted(docs):
                    if len(seen) < 2:
                        seen.add(doc)


@dataclass
class CorpusView:
    """What CORPUS rules see: the corpus, its shape-valid gold registries, what the documents used of them."""

    corpus: Corpus
    registries: dict[str, list[Record]]
    uses: Uses
    clusterings: Clusterings
