"""Quantity lints (guidelines section 4, "Quantities"): the normalised number agrees with the words.

Checked only where the claim states one number, so there is no doubt which number the quantity is: its value
(digits with German separators, or a number word, times "Tausend"/"Millionen"), its qualifier from the word
before it ("rund" -> about, "über" -> at-least, "bis zu" -> at-most), and a vague number ("mehrere tausend")
as `about` with the smallest value the words allow. Years (1900-2100 without separator) and days of the month
("1. September") are not numbers of the claim.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..problems import Finding
from ..read.jsonl import Record
from . import lexicon
from .engine import DOCUMENT, lint_rule
from .text import Word, find_phrases, phrase_at
from .views import DocumentView


@dataclass(frozen=True)
class Number:
    value: float
    index: int  # of its first word among the claim's words
    spelled: str


def _digits(word: str) -> float | None:
    if not word[:1].isdigit():
        return None
    if "," in word:
        whole, _, fraction = word.partition(",")
        return float(whole.replace(".", "") + "." + fraction.replace(".", ""))
    return float(word.replace(".", ""))


def numbers(view: DocumentView, claim: Record) -> list[Number]:
    """The numbers the claim's words state (not years, not days of the month)."""
    words = view.words(claim)
    text = view.text.masked
    found = []
    i = 0
    while i < len(words):
        word = words[i]
        value = _digits(word.text)
        if value is None:
            value = lexicon.NUMBER_WORDS.get(word.lower)
        is_year = word.text.isdigit() and len(word.text) == 4 and 1900 <= int(word.text) <= 2100
        is_day = word.text.isdigit() and len(word.text) <= 2 and text[word.end : word.end + 1] == "."
        if value is None or is_year or is_day:
            i += 1
            continue
        j = i + 1
        if j < len(words) and words[j].lower in lexicon.MULTIPLIERS:
            value *= lexicon.MULTIPLIERS[words[j].lower]
            j += 1
        found.append(Number(value, i, " ".join(w.text for w in words[i:j])))
        i = j
    return found


_VAGUE = dict(lexicon.VAGUE_NUMBERS)  # words -> the smallest value they allow


def vague(words: list[Word]) -> tuple[str, int] | None:
    """The (first) vague number among the words, spelled, with the smallest value it allows."""
    hits = find_phrases(words, tuple(_VAGUE))
    if not hits:
        return None
    i, length = hits[0]
    return " ".join(w.text for w in words[i : i + length]), _VAGUE[tuple(w.lower for w in words[i : i + length])]


def _quantity_claims(view: DocumentView) -> Iterator[tuple[Record, dict]]:
    for claim in view.claims:
        if claim.data["type"] == "quantity" and claim.data["quantity"] is not None:
            yield claim, claim.data["quantity"]


@lint_rule("quantity-vague", DOCUMENT)
def quantity_vague(view: DocumentView) -> Iterator[Finding]:
    for claim, quantity in _quantity_claims(view):
        words = view.words(claim)
        found = vague(words)
        if found is None or numbers(view, claim):  # a stated number besides the vague one: which is meant?
            continue
        spelled, smallest = found
        if quantity["qualifier"] != "about" or quantity["value"] != smallest:
            yield Finding(
                f"vague number {spelled!r}: qualifier about with the smallest value the words allow",
                f"value {smallest}, qualifier about",
                f"value {quantity['value']:g}, qualifier {quantity['qualifier']}",
                claim,
            )


def _single(view: DocumentView, claim: Record) -> Number | None:
    found = numbers(view, claim)
    return found[0] if len(found) == 1 and vague(view.words(claim)) is None else None


@lint_rule("quantity-qualifier", DOCUMENT)
def quantity_qualifier(view: DocumentView) -> Iterator[Finding]:
    for claim, quantity in _quantity_claims(view):
        number = _single(view, claim)
        if number is None:
            continue
        words = view.words(claim)
        for phrase, qualifier in lexicon.QUALIFIER_WORDS:
            at = number.index - len(phrase)
            if at >= 0 and phrase_at(words, at, phrase):
                if quantity["qualifier"] != qualifier:
                    spelled = " ".join(w.text for w in words[at : number.index + 1])
                    yield Finding(
                        f"{spelled!r} sets the qualifier",
                        f"qualifier {qualifier}",
                        f"qualifier {quantity['qualifier']}",
                        claim,
                    )
                break


@lint_rule("quantity-value", DOCUMENT)
def quantity_value(view: DocumentView) -> Iterator[Finding]:
    for claim, quantity in _quantity_claims(view):
        number = _single(view, claim)
        if number is not None and abs(number.value - quantity["value"]) > 1e-9 * max(abs(number.value), 1):
            yield Finding(
                f"the claim states the number {number.spelled!r}",
                f"value {number.value:g}",
                f"value {quantity['value']:g}",
                claim,
            )
