"""Modality lints (guidelines section 4): a reportive cue in an asserted claim, a speculative cue in a claim that is
not speculative ("speculation wins over report"). Words inside quotations are the speaker's, not the outlet's
cues, and a hedge inside an indirect question ("wie ... könnte") is the question's content: neither counts."""

from __future__ import annotations

from collections.abc import Iterator

from ..problems import Finding
from ..read.jsonl import Record
from . import lexicon
from .engine import DOCUMENT, lint_rule
from .text import Word
from .views import DocumentView


def _in_indirect_question(view: DocumentView, claim: Record, word: Word) -> bool:
    """Whether the clause the word is in (from the last comma before it) opens with a question word."""
    before = view.text.masked[claim.data["start"] : word.start]
    clause_start = claim.data["start"] + before.rfind(",") + 1
    clause = view.text.words_in(clause_start, word.start)
    return bool(clause) and clause[0].lower in lexicon.QUESTION_WORDS


@lint_rule("hearsay-asserted", DOCUMENT)
def hearsay_asserted(view: DocumentView) -> Iterator[Finding]:
    """Konjunktiv I and hearsay "sollen" are reportive cues. "sollen" of a schedule ("der im Januar sein Amt
    antreten soll") is no cue: such a claim is a plan, so plans are not checked for it."""
    for claim in view.claims:
        if claim.data["modality"] != "asserted":
            continue
        words = view.unquoted_words(claim)
        cues = [w.text for w in words if w.text in lexicon.KONJUNKTIV_I]
        if claim.data["type"] != "plan":
            cues += [w.text for w in words if w.text in lexicon.HEARSAY]
        if cues:
            yield Finding(
                f"claim marked asserted contains the reportive cue {cues[0]!r} (Konjunktiv I or hearsay 'sollen')",
                "modality reportive (or speculative, where a hedge is present too)",
                "asserted",
                claim,
            )


@lint_rule("speculative-cue", DOCUMENT)
def speculative_cue(view: DocumentView) -> Iterator[Finding]:
    for claim in view.claims:
        if claim.data["modality"] == "speculative":
            continue
        cues = [
            w.text
            for w in view.unquoted_words(claim)
            if w.lower in lexicon.SPECULATIVE and not _in_indirect_question(view, claim, w)
        ]
        if cues:
            yield Finding(
                f"claim contains the speculative cue {cues[0]!r} but is {claim.data['modality']}",
                "modality speculative (speculation wins over report)",
                claim.data["modality"],
                claim,
            )
