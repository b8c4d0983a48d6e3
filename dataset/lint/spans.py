"""Span lints (guidelines section 4, "Span", and the general rules): where a claim starts and ends.

A claim leaves out a leading connective or label, starts after the conjunction of a complement or adverbial
clause, starts a relative clause at its head noun rather than its pronoun, excludes sentence-final punctuation and
does not run over two sentences; no span holds an unbalanced markdown `**`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..layers import SPAN_LAYERS
from ..problems import Finding, short
from ..read.jsonl import Record
from . import lexicon
from .engine import DOCUMENT, lint_rule
from .text import find_phrases
from .views import DocumentView

_FINAL = ".!?…"
_OPENING_QUOTES = "„»«\"“\u201a'"


def _opening(claim: Record) -> str:
    return short(claim.data["text"][:40])


@lint_rule("span-leading-connective", DOCUMENT)
def span_leading_connective(view: DocumentView) -> Iterator[Finding]:
    for claim in view.claims:
        words = view.words(claim)
        head = claim.data["text"][: len(claim.data["text"]) - len(claim.data["text"].lstrip("*"))]
        if not words or words[0].start != claim.data["start"] + len(head):
            continue  # the claim opens with a quotation mark or other punctuation
        hits = [length for i, length in find_phrases(words[:3], lexicon.LEADING_CONNECTIVES) if i == 0]
        if hits and len(words) > hits[0]:
            spelled = " ".join(w.text for w in words[: hits[0]])
            yield Finding(
                f"claim starts with the connective or label {spelled!r}",
                "a span that leaves leading connectives and labels out",
                _opening(claim),
                claim,
            )


@lint_rule("span-leading-conjunction", DOCUMENT)
def span_leading_conjunction(view: DocumentView) -> Iterator[Finding]:
    """Bold markup that opens before the conjunction wins (`**obwohl ...**`), so such a span is left alone."""
    for claim in view.claims:
        words = view.words(claim)
        if words and words[0].start == claim.data["start"] and words[0].text in lexicon.CLAUSE_CONJUNCTIONS:
            yield Finding(
                f"claim starts with the conjunction {words[0].text!r}",
                "a dependent clause's span starting after its conjunction",
                _opening(claim),
                claim,
            )


def _after_comma(view: DocumentView, position: int) -> bool:
    return view.text.masked[:position].rstrip().rstrip("*").rstrip().endswith(",")


@lint_rule("span-relative-pronoun", DOCUMENT)
def span_relative_pronoun(view: DocumentView) -> Iterator[Finding]:
    """A claim that opens with a relative pronoun after a comma ("..., die aber keine Kampferfahrung haben").

    "die" after a comma may also be an article ("..., die ukrainischen Truppen"), so d-pronouns count only when
    the next word is one no article is followed by (an adverb, a particle, a preposition, a pronoun) or a
    quotation mark; "denen", "deren", "dessen" and the welch- forms always count.
    """
    for claim in view.claims:
        words = view.words(claim)
        if not words or words[0].start != claim.data["start"]:
            continue
        i = 1 if words[0].text in lexicon.PREPOSITIONS and len(words) > 1 else 0
        pronoun = words[i].text
        if pronoun not in lexicon.RELATIVE_PRONOUNS or not _after_comma(view, claim.data["start"]):
            continue
        following = view.text.masked[words[i].end : claim.data["end"]].lstrip()
        relative = (
            pronoun in ("denen", "deren", "dessen")
            or pronoun.startswith("welch")
            or following[:1] in _OPENING_QUOTES
            or (i + 1 < len(words) and words[i + 1].lower in lexicon.AFTER_RELATIVE_ONLY)
        )
        if relative:
            opening = " ".join(w.text for w in words[: i + 1])
            yield Finding(
                f"claim starts a relative clause at its pronoun {opening!r}",
                "a relative clause stating its own fact spans from its head noun",
                _opening(claim),
                claim,
            )


@lint_rule("span-final-punctuation", DOCUMENT)
def span_final_punctuation(view: DocumentView) -> Iterator[Finding]:
    """A closing quotation mark after the period belongs to the quotation and is kept, so `.“` is allowed."""
    for claim in view.claims:
        text = claim.data["text"].rstrip("*")
        if text and text[-1] in _FINAL:
            yield Finding(
                "claim span ends with sentence-final punctuation",
                "a span without its sentence-final . ! ?",
                short(claim.data["text"][-30:]),
                claim,
            )


@lint_rule("span-crosses-sentence", DOCUMENT)
def span_crosses_sentence(view: DocumentView) -> Iterator[Finding]:
    """A claim over two sentences (outside a quotation, where a quoted speaker may say several in one claim)."""
    for claim in view.claims:
        first = view.text.sentence_index(claim.data["start"])
        last = view.text.sentence_index(claim.data["end"] - 1)
        if last != first:
            end = view.text.sentences[first][1]
            yield Finding(
                "claim span runs over the end of a sentence",
                "one claim per proposition, inside one sentence",
                short(view.text.text[max(end - 20, claim.data["start"]) : end + 20]),
                claim,
            )


@lint_rule("span-unbalanced-bold", DOCUMENT)
def span_unbalanced_bold(view: DocumentView) -> Iterator[Finding]:
    """Bold markers go with the words they mark: a span holds both or neither (general rules)."""
    for layer in SPAN_LAYERS:
        for record in view.layers[layer.name]:
            spans = [("", record.data)]
            spans += [(f"{key}: ", record.data[key]) for key in layer.nested_spans if record.data[key] is not None]
            for label, span in spans:
                if span["text"].count("**") % 2:
                    yield Finding(
                        f"{label}span holds an unbalanced markdown '**'",
                        "both bold markers or neither",
                        short(span["text"]),
                        record,
                    )
