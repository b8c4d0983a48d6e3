"""The easy and the hard slice of the gold claims: those both stored annotation passes agreed on, and the others.

The slices come from the stored passes (annotations/review/first-pass/ and blind-pass/), matched against the final
claims with the scorer's own exact matching, so "agreed" means exactly what SLICES says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .metrics import match_spans
from .tasks import SLICE_DEFINITION

FIRST, BLIND = "review/first-pass", "review/blind-pass"  # the stores of the two passes
AGREED, ADJUDICATED = "agreed", "adjudicated"
SAME = ("type", "modality")  # the labels both passes must have given the final claim

SLICES = (
    f"Slices: the gold claims of the documents that both stored annotation passes annotated ({FIRST} and {BLIND}) "
    f"are split in two. {AGREED} (the easy slice): the final claim has an exact match (same start and end, in the "
    "scorer's one-to-one exact matching of the pass's claims of the document against the final ones) in both passes, "
    f"and both matched claims have the final claim's {' and '.join(SAME)}. {ADJUDICATED} (the hard slice): every "
    "other final claim of those documents: the passes disagreed on it, one missed it, or adjudication or review "
    "changed it. Each pass scores 1 on the recall, type and modality of the agreed slice by construction. "
    + SLICE_DEFINITION
)


Records = Mapping[str, Sequence[Mapping]]  # doc_id -> records


def _agreeing(gold: Sequence[Mapping], other: Sequence[Mapping]) -> set[int]:
    """Indexes of the gold claims the other annotation has exactly, with the same labels."""
    return {i for i, j in match_spans(gold, other, relaxed=False) if all(gold[i][f] == other[j][f] for f in SAME)}


def claim_slices(gold: Records, first: Records, blind: Records) -> dict[str, list[str]]:
    """{agreed: claim ids, adjudicated: claim ids} over the documents both passes annotated (see SLICES)."""
    slices: dict[str, list[str]] = {AGREED: [], ADJUDICATED: []}
    for doc_id in sorted(set(first) & set(blind)):
        claims = gold.get(doc_id, ())
        agreed = _agreeing(claims, first[doc_id]) & _agreeing(claims, blind[doc_id])
        for i, claim in enumerate(claims):
            slices[AGREED if i in agreed else ADJUDICATED].append(claim["id"])
    return slices


HEADLINE = ("claim.relaxed.recall", "type.accuracy", "modality.accuracy", "chain.exact")  # the results table's columns
