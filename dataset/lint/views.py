"""What lint rules are given: one valid document's final annotation, or what the stream gathered about all of them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from ..read.jsonl import Record
from .text import Text, Word


def nested(claim: Record, others: list[Record]) -> bool:
    """Whether the claim lies inside another of the claims (a longer one: two claims never share a span)."""
    start, end = claim.data["start"], claim.data["end"]
    return any(
        o is not claim
        and o.data["start"] <= start
        and end <= o.data["end"]
        and o.data["end"] - o.data["start"] > end - start
        for o in others
    )


@dataclass
class DocumentView:
    """One document of the final annotation (it validated): its metadata, text and span records."""

    doc_id: str
    record: Record  # its documents record
    text: Text
    layers: dict[str, list[Record]]  # span layer name -> its records
    _unquoted: dict[tuple[int, int], list[Word]] = field(default_factory=dict, repr=False)

    @property
    def claims(self) -> list[Record]:
        return self.layers["claims"]

    @property
    def sources(self) -> list[Record]:
        return self.layers["sources"]

    @cached_property
    def entity_of(self) -> dict[str, str]:
        """Source mention id -> entity id."""
        return {r.data["id"]: r.data["entity_id"] for r in self.sources}

    @cached_property
    def cue_spans(self) -> set[tuple[int, int]]:
        return {(c.data["cue"]["start"], c.data["cue"]["end"]) for c in self.claims if c.data["cue"] is not None}

    @cached_property
    def claims_by_sentence(self) -> dict[int, list[Record]]:
        """The claims of each sentence (by the sentence their first character lies in)."""
        grouped: dict[int, list[Record]] = defaultdict(list)
        for claim in self.claims:
            grouped[self.text.sentence_index(claim.data["start"])].append(claim)
        return grouped

    def words(self, claim: Record) -> list[Word]:
        return self.text.words_in(claim.data["start"], claim.data["end"])

    def unquoted_words(self, claim: Record) -> list[Word]:
        """The claim's words outside quotations: the outlet's own wording, where its cues are."""
        key = (claim.data["start"], claim.data["end"])
        if key not in self._unquoted:
            self._unquoted[key] = [w for w in self.words(claim) if not self.text.quoted(w.start, w.end)]
        return self._unquoted[key]

    def sentence_claims(self, claim: Record) -> list[Record]:
        return self.claims_by_sentence[self.text.sentence_index(claim.data["start"])]


@dataclass
class Member:
    """A claim of a cluster, with the entities of its attribution chain and whether it is nested in a claim of the
    same cluster in its document (the guidelines let a nested fact join the cluster of its container)."""

    claim: Record
    entities: tuple[str, ...]
    nested: bool = False
    vague: bool = False  # its number is vague ("mehrere tausend"): a range from its value up


@dataclass
class LineageDocument:
    """A document whose text names an original (lineage), with what aligning it needs."""

    doc_id: str
    originals: frozenset[str]
    text: Text
    claims: list[Record]

    @cached_property
    def by_sentence(self) -> dict[int, list[Record]]:
        """The top-level claims of each sentence: a claim nested in another is a fact the other presupposes."""
        grouped: dict[int, list[Record]] = defaultdict(list)
        for claim in self.claims:
            if not nested(claim, self.claims):
                grouped[self.text.sentence_index(claim.data["start"])].append(claim)
        return grouped

    def alnum(self, start: int, end: int) -> int:
        """How many letters and digits the masked text has in [start, end): counted when asked, since a prefix
        table per document (kept for every document of a large lineage group) would outweigh its text."""
        return sum(map(str.isalnum, self.text.masked[start:end]))


@dataclass
class CorpusView:
    """What CORPUS rules see: the clusters, their claims, and the documents that name an original."""

    clusters: dict[str, Record]
    members: dict[str, list[Member]] = field(default_factory=dict)
    lineage: list[LineageDocument] = field(default_factory=list)
