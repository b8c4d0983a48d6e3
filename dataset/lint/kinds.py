"""Claims of a kind the guidelines exclude (section 4, "Not claims"): questions, statements about the newsroom's
own work and about what is known or can be verified. A fact a question takes for granted may be its own claim
("aktuell umkämpften ukrainischen Stadt Kupjansk"), so only a claim that opens its question is flagged."""

from __future__ import annotations

from collections.abc import Iterator

from ..problems import Finding, short
from . import lexicon
from .engine import DOCUMENT, lint_rule
from .text import find_phrases
from .views import DocumentView

_OPENING = "„»«\"“\u201a'*( "
_CLOSING = "“”\"»«')*] "


@lint_rule("claim-question", DOCUMENT)
def claim_question(view: DocumentView) -> Iterator[Finding]:
    for claim in view.claims:
        start, end = view.text.sentence(claim.data["start"])
        sentence = view.text.masked[start:end]
        opens = view.text.masked[start : claim.data["start"]].strip(_OPENING) == ""
        if sentence.rstrip(_CLOSING).endswith("?") and opens:
            yield Finding(
                "claim opens a question (questions are not claims; a fact a question presupposes may be one)",
                "no claim over the question, or a claim over only the fact it takes for granted",
                short(sentence, 60),
                claim,
            )


@lint_rule("claim-meta", DOCUMENT)
def claim_meta(view: DocumentView) -> Iterator[Finding]:
    for claim in view.claims:
        hits = find_phrases(view.unquoted_words(claim), lexicon.NOT_CLAIMS)
        if hits:
            words = view.unquoted_words(claim)
            i, length = hits[0]
            spelled = " ".join(w.text for w in words[i : i + length])
            yield Finding(
                f"claim is about the newsroom's work or about what is known ({spelled!r})",
                "no claim: the guidelines exclude statements about the newsroom's work and about what is known",
                short(claim.data["text"], 60),
                claim,
            )
