"""Attribution lints (guidelines sections 3 and 4): speech acts and attribution cues need a source, and a source
a cue where the claim's own words hold one; a cue is never a modal verb; an attributed claim is never asserted."""

from __future__ import annotations

from collections.abc import Iterator

from ..problems import Finding, short
from ..read.jsonl import Record
from . import lexicon
from .engine import DOCUMENT, lint_rule
from .text import Word, find_phrases
from .views import DocumentView


def _before_noun(view: DocumentView, words: list[Word], i: int) -> bool:
    """Whether word i is followed directly (only a space between) by a capitalised word, as an adjective is."""
    if i + 1 >= len(words):
        return False
    between = view.text.masked[words[i].end : words[i + 1].start]
    return not between.strip() and words[i + 1].text[:1].isupper()


def attribution_expressions(view: DocumentView, claim: Record) -> list[Word | tuple[Word, ...]]:
    """Speech verbs and attribution phrases among the claim's own (unquoted) words, in text order.

    A verb form that is also an infinitive does not count after "zu" ("ist schwer zu sagen"), nor one after a
    determiner and before a noun, where it is an attributive participle ("das erklärte Ziel"); the finite form of
    a separable verb ("gab ... bekannt") counts when its particle follows it in the sentence.
    """
    words = view.unquoted_words(claim)
    found: list[Word | tuple[Word, ...]] = []
    for i, word in enumerate(words):
        previous = words[i - 1].lower if i else ""
        if previous in lexicon.DETERMINERS and _before_noun(view, words, i):
            continue  # an attributive participle: "das erklärte Ziel"
        if word.text in lexicon.SPEECH_VERBS and previous != "zu":
            found.append(word)
        elif word.text in lexicon.SEPARABLE:
            _, end = view.text.sentence(word.start)
            after = view.text.words_in(word.end, end)
            if any(w.text == lexicon.SEPARABLE[word.text] for w in after):
                found.append(word)
    for i, length in find_phrases(words, lexicon.ATTRIBUTION_PHRASES):
        phrase = tuple(words[i : i + length])
        if not any(isinstance(f, tuple) and f[0] is phrase[0] for f in found):  # "nach eigenen Angaben" once
            found.append(phrase)
    return sorted(found, key=lambda f: f[0].start if isinstance(f, tuple) else f.start)


def _spelled(expression: Word | tuple[Word, ...]) -> str:
    return " ".join(w.text for w in expression) if isinstance(expression, tuple) else expression.text


def _span(expression: Word | tuple[Word, ...]) -> tuple[int, int]:
    if isinstance(expression, tuple):
        return expression[0].start, expression[-1].end
    return expression.start, expression.end


def _speech_act_claim(view: DocumentView, claim: Record) -> bool:
    """A speech act with its setting ("erklärte der ukrainische Präsident bei einer Pressekonferenz in Budapest") is
    an asserted event whose content claims, in the same sentence, carry the sources (section 4)."""
    data = claim.data
    if data["type"] != "event" or data["modality"] != "asserted":
        return False
    return any(other is not claim and other.data["source_ids"] for other in view.sentence_claims(claim))


@lint_rule("speech-verb-no-source", DOCUMENT)
def speech_verb_no_source(view: DocumentView) -> Iterator[Finding]:
    for claim in view.claims:
        if claim.data["source_ids"] or _speech_act_claim(view, claim):
            continue
        expressions = attribution_expressions(view, claim)
        if expressions:
            spelled = ", ".join(repr(_spelled(e)) for e in expressions)
            yield Finding(
                f"claim contains the attribution expression {spelled} but has no source",
                "source_ids naming who speaks (the mention of the verb's subject or the preposition's complement)",
                "source_ids: []",
                claim,
            )


def _cue_text(claim: Record) -> str:
    return " ".join(claim.data["cue"]["text"].split()).lower()


@lint_rule("cue-without-source", DOCUMENT)
def cue_without_source(view: DocumentView) -> Iterator[Finding]:
    for claim in view.claims:
        if (
            claim.data["cue"] is not None
            and not claim.data["source_ids"]
            and _cue_text(claim) not in lexicon.IMPERSONAL_CUES
        ):
            yield Finding(
                f"claim has the cue {claim.data['cue']['text']!r} but no source",
                "the source mentions the cue attributes the claim to (only 'heißt es' has none)",
                "source_ids: []",
                claim,
            )


@lint_rule("source-without-cue", DOCUMENT)
def source_without_cue(view: DocumentView) -> Iterator[Finding]:
    for claim in view.claims:
        if not claim.data["source_ids"] or claim.data["cue"] is not None:
            continue
        free = [e for e in attribution_expressions(view, claim) if _span(e) not in view.cue_spans]
        if free:
            yield Finding(
                f"claim has a source and the attribution expression {_spelled(free[0])!r} in its span, but no cue",
                f"cue: {_spelled(free[0])!r} (the outermost attribution expression)",
                "cue: null",
                claim,
            )


@lint_rule("cue-modal-verb", DOCUMENT)
def cue_modal_verb(view: DocumentView) -> Iterator[Finding]:
    for claim in view.claims:
        if claim.data["cue"] is None:
            continue
        words = claim.data["cue"]["text"].lower().split()
        if words and all(w in lexicon.MODAL_VERBS or w in lexicon.KONJUNKTIV_I for w in words):
            yield Finding(
                "the cue is a modal verb or a Konjunktiv, which marks modality, never attribution",
                "the attribution expression (laut, zufolge, a speech verb, 'so', 'heißt es') or no cue",
                short(claim.data["cue"]["text"]),
                claim,
            )


@lint_rule("asserted-with-source", DOCUMENT)
def asserted_with_source(view: DocumentView) -> Iterator[Finding]:
    for claim in view.claims:
        if claim.data["source_ids"] and claim.data["modality"] == "asserted":
            yield Finding(
                "an attributed claim is marked asserted (the outlet passes on what its sources say)",
                "modality reportive or speculative, or no source_ids for the outlet's own statement",
                f"asserted with {len(claim.data['source_ids'])} source(s)",
                claim,
            )
