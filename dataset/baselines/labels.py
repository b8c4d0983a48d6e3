"""Modality and claim type of a sentence from word lists (lexicon.py).

Modality: speculative if a hedge occurs (speculation wins over report, as the guidelines say); else reportive
if an attribution cue, a Konjunktiv I form or hearsay "sollen" occurs; else asserted.

Type, first that applies: quantity (a number with a unit noun), plan (wollen, planen, Ziel, ...), prediction
(erwarten, voraussichtlich, or werden + infinitive), assessment (Bedrohung, gefährlich, wichtig, ...), state
(sich befinden, stationiert, verfügen, zugegen), else event, the guidelines' broadest type. The order puts the
more specific signal first; it was fixed before any output was compared with the gold annotation.
"""

from __future__ import annotations

from . import lexicon
from .quantities import find_quantity
from .sentences import Token

_CLAUSE_BREAKS = frozenset({",", ";", ":", "\u2013", "\u2014", "„", "“", '"', "(", ")"})
_INFINITIVE_ENDINGS = ("en", "ern", "eln")


def modality(tokens: tuple[Token, ...], has_cue: bool) -> str:
    words = {t.text.lower() for t in tokens}
    if words & lexicon.SPECULATIVE:
        return "speculative"
    if has_cue or words & lexicon.REPORTED_SUBJUNCTIVE or words & lexicon.HEARSAY:
        return "reportive"
    return "asserted"


def _clauses(tokens: tuple[Token, ...]) -> list[list[str]]:
    clauses: list[list[str]] = [[]]
    for token in tokens:
        if token.text in _CLAUSE_BREAKS:
            clauses.append([])
        elif token.text.isalpha():
            clauses[-1].append(token.text)
    return [c for c in clauses if c]


def _future(tokens: tuple[Token, ...]) -> bool:
    """werden + infinitive: a clause holding a form of werden and ending in an infinitive (not a participle)."""
    for words in _clauses(tokens):
        lower = [w.lower() for w in words]
        if not set(lower) & lexicon.WERDEN_FORMS:
            continue
        last = lower[-1] if lower[-1] not in lexicon.WERDEN_FORMS or len(lower) < 2 else lower[-2]
        original = words[lower.index(last)]
        if (
            original.islower()
            and last.endswith(_INFINITIVE_ENDINGS)
            and not last.startswith("ge")
            and last not in lexicon.WERDEN_FORMS
        ):
            return True
    return False


def _has_stem(words: list[str], stems: tuple[str, ...]) -> bool:
    return any(word.startswith(stems) for word in words)


def claim_type(tokens: tuple[Token, ...], text: str) -> tuple[str, dict | None]:
    """(type, quantity object or None) of a sentence."""
    quantity = find_quantity(tokens, text)
    if quantity is not None:
        return "quantity", quantity
    words = [t.text.lower() for t in tokens]
    if set(words) & lexicon.PLAN_WORDS:
        return "plan", None
    if set(words) & lexicon.PREDICTION_WORDS or _future(tokens):
        return "prediction", None
    if _has_stem(words, lexicon.ASSESSMENT_STEMS):
        return "assessment", None
    if _has_stem(words, lexicon.STATE_STEMS):
        return "state", None
    return "event", None
