"""Cross-layer rules inside one document: boilerplate against claims and mentions."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from ..layers import CREDITS_CATEGORY, INTERRUPTING_CATEGORIES
from ..problems import Problem
from ..reading import Record


def _overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _inside(inner: dict, outer: dict) -> bool:
    return outer["start"] <= inner["start"] and inner["end"] <= outer["end"]


def _where(record: Record) -> str:
    return f"{record.data['id']} [{record.data['start']}, {record.data['end']})"


def check_boilerplate(boilerplate: list[Record]) -> Iterator[Problem]:
    ordered = sorted(boilerplate, key=lambda r: (r.data["start"], r.data["end"]))
    for before, after in pairwise(ordered):
        if _overlaps(before.data, after.data):
            yield Problem(
                after.path,
                after.line,
                "boilerplate-overlap",
                f"overlaps {_where(before)}",
                "disjoint boilerplate spans",
                _where(after),
            )


def check_claims(claims: list[Record], boilerplate: list[Record]) -> Iterator[Problem]:
    for claim in claims:
        for bp in boilerplate:
            if not _overlaps(claim.data, bp.data):
                continue
            if _inside(claim.data, bp.data):
                yield Problem(
                    claim.path,
                    claim.line,
                    "claim-in-boilerplate",
                    f"claim lies inside boilerplate {_where(bp)} ({bp.data['category']})",
                    "claims in editorial content",
                    _where(claim),
                )
            elif not _inside(bp.data, claim.data):
                yield Problem(
                    claim.path,
                    claim.line,
                    "claim-boilerplate-overlap",
                    f"claim partly overlaps boilerplate {_where(bp)}",
                    "no partial overlap",
                    _where(claim),
                )
            elif bp.data["category"] not in INTERRUPTING_CATEGORIES:
                yield Problem(
                    claim.path,
                    claim.line,
                    "claim-boilerplate-overlap",
                    f"claim contains boilerplate {_where(bp)} that does not interrupt a sentence",
                    f"only {sorted(INTERRUPTING_CATEGORIES)} inside a claim",
                    bp.data["category"],
                )


def check_duplicate_spans(records: list[Record]) -> Iterator[Problem]:
    """Two records of one layer on the same span of one document are one record written twice."""
    first: dict[tuple[int, int], Record] = {}
    for record in records:
        key = (record.data["start"], record.data["end"])
        if key in first:
            message = f"same span as {_where(first[key])} in this layer"
            yield Problem(
                record.path, record.line, "duplicate-span", message, "one record per span and layer", _where(record)
            )
        else:
            first[key] = record


def check_cues(claims: list[Record], mentions: list[Record]) -> Iterator[Problem]:
    """A cue is the attribution word; the source mention itself is never also the cue (guidelines, section 4)."""
    spans = {(m.data["start"], m.data["end"]): m for m in mentions}
    for claim in claims:
        cue = claim.data["cue"]
        if cue is not None and (cue["start"], cue["end"]) in spans:
            mention = spans[(cue["start"], cue["end"])]
            message = f"cue is the source mention {_where(mention)}"
            yield Problem(claim.path, claim.line, "cue-is-mention", message, "the attribution word", cue["text"])


def check_mentions(mentions: list[Record], boilerplate: list[Record]) -> Iterator[Problem]:
    for mention in mentions:
        hits = [bp for bp in boilerplate if _overlaps(mention.data, bp.data)]
        if hits and not (
            len(hits) == 1 and hits[0].data["category"] == CREDITS_CATEGORY and _inside(mention.data, hits[0].data)
        ):
            bp = hits[0]
            yield Problem(
                mention.path,
                mention.line,
                "mention-placement",
                f"mention overlaps boilerplate {_where(bp)}",
                "editorial content or inside a credits line",
                bp.data["category"],
            )
