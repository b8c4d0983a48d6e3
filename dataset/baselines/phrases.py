"""A small noun-phrase recogniser over SoMaJo tokens, for source mentions next to an attribution cue.

German source phrases have a regular shape: an optional determiner, an optional extended attribute
("einer mit der Situation vertrauten"), adjectives (coordinated ones too: "US-, südkoreanischen und
ukrainischen"), then a run of capitalised words ("Präsident Wolodymyr Selenskyj", "New York Times"), quotation
marks and markdown bold around a name included, and for a role noun a genitive complement ("ein Sprecher der
ukrainischen Luftwaffe"). Anything else (verbs, prepositions, numbers) ends the phrase.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import lexicon
from .sentences import Token

QUOTES = frozenset({'"', "„", "“", "”", "«", "»", "\u201a", "\u2018", "\u2019", "'"})
_COORDINATORS = frozenset({",", "und", "sowie", "oder"})
_ATTRIBUTE_PREPOSITIONS = frozenset({"mit", "von", "in", "aus", "bei", "für", "an", "um"})
_ADJECTIVE_ENDINGS = ("e", "en", "er", "em", "es")
_NOT_ADJECTIVES = (
    lexicon.SPEECH_VERBS
    | lexicon.REPORTED_SUBJUNCTIVE
    | lexicon.HEARSAY
    | lexicon.SPECULATIVE
    | lexicon.WERDEN_FORMS
    | lexicon.PLAN_WORDS
    | lexicon.PREDICTION_WORDS
)
#: At most this many capitalised words in one name run: a longer run is more likely two phrases.
MAX_NAME_WORDS = 5


@dataclass(frozen=True)
class Phrase:
    """tokens[start:end] form the phrase; has_determiner says whether it opens with one."""

    start: int
    end: int
    has_determiner: bool
    name_words: int


def is_transparent(token: Token) -> bool:
    """Quotation marks and markdown emphasis: they may wrap a name inside a phrase."""
    return token.text in QUOTES or set(token.text) == {"*"}


def is_determiner(token: Token) -> bool:
    return token.text.lower() in lexicon.DETERMINERS


def _function(token: Token) -> bool:
    return token.text.lower() in lexicon.FUNCTION_WORDS or token.text.lower() in lexicon.DETERMINERS


def is_name(token: Token) -> bool:
    """A capitalised word (noun or name) that is not a function word or a capitalised adjective."""
    word = token.text
    if not word[:1].isupper() or not any(c.isalpha() for c in word) or _function(token):
        return False
    return not _is_modifier_compound(word) and word.lower() not in _NOT_ADJECTIVES


def _is_modifier_compound(word: str) -> bool:
    """'US-' (a truncated compound) and 'US-amerikanische' (a capitalised adjective compound) modify a noun."""
    if word.endswith("-") and word[:1].isupper():
        return True
    tail = word.rsplit("-", 1)[-1]
    return "-" in word and tail[:1].islower() and tail.endswith(_ADJECTIVE_ENDINGS)


def is_modifier(token: Token) -> bool:
    """An inflected adjective or participle ('ukrainische', 'vertrauten'), or a modifier compound."""
    word = token.text
    if _is_modifier_compound(word):
        return True
    lower = word.lower()
    return (
        word.islower()
        and word.replace("-", "").isalpha()
        and lower.endswith(_ADJECTIVE_ENDINGS)
        and not _function(token)
        and lower not in _NOT_ADJECTIVES
    )


def _known_source_at(tokens: tuple[Token, ...], j: int) -> bool:
    """True where an outlet or agency name of the lexicon starts at token j."""
    for name in lexicon.OUTLETS | lexicon.NEWS_AGENCIES:
        words = name.split()
        window = [t.text.lower() for t in tokens[j : j + len(words)]]
        if window == words:
            return True
    return False


def _is_role(token: Token) -> bool:
    lower = token.text.lower()
    return any(stem in lower for stem in lexicon.ROLE_STEMS)


def parse(tokens: tuple[Token, ...], i: int, limit: int | None = None, genitive: bool = True) -> Phrase | None:
    """The noun phrase starting at token i and ending before ``limit``, or None if none starts there."""
    n = len(tokens) if limit is None else limit
    j, has_det = i, False
    if j < n and is_determiner(tokens[j]):
        has_det, j = True, j + 1
    if has_det and j < n and tokens[j].text.lower() in _ATTRIBUTE_PREPOSITIONS:
        k = j + 1
        if k < n and is_determiner(tokens[k]):
            k += 1
        m = k
        while m < n and is_name(tokens[m]):
            m += 1
        if m > k and m < n and is_modifier(tokens[m]):
            j = m
    while j < n:
        if is_modifier(tokens[j]) or (
            tokens[j].text in _COORDINATORS
            and j > i
            and is_modifier(tokens[j - 1])
            and j + 1 < n
            and is_modifier(tokens[j + 1])
        ):
            j += 1
        else:
            break
    leading = 0
    while j < n and is_transparent(tokens[j]):
        leading, j = leading + 1, j + 1
    names, end = 0, None
    while j < n and names < MAX_NAME_WORDS:
        if is_name(tokens[j]):
            if names and _known_source_at(tokens, j) and not _known_source_at(tokens, j - names):
                break  # "ein ... Beamter CNN": the outlet is a phrase of its own
            names, j, end = names + 1, j + 1, j + 1
        elif is_transparent(tokens[j]) and names == 0:
            leading, j = leading + 1, j + 1
        else:
            break
    if end is None:
        return None
    closing = 0
    while end < n and closing < leading and is_transparent(tokens[end]):
        closing, end = closing + 1, end + 1
    head = tokens[end - closing - 1]
    if genitive and end < n and _is_role(head) and tokens[end].text.lower() in lexicon.GENITIVE_DETERMINERS:
        complement = parse(tokens, end, n, genitive=False)
        if complement is not None:
            end = complement.end
    return Phrase(i, end, has_det, names)


def parse_before(tokens: tuple[Token, ...], p: int) -> Phrase | None:
    """The noun phrase that ends right before token p ("Medienberichten zufolge").

    A phrase with a determiner is delimited by it, so the longest one wins; without a determiner the phrase is
    the head noun with its adjectives only, since a bare run of capitalised words before it ("Russland
    Medienberichten") may hold the sentence's subject.
    """
    with_det, bare = None, None
    for i in range(p - 1, max(-1, p - 12), -1):
        phrase = parse(tokens, i, p, genitive=False)
        if phrase is None or phrase.end != p:
            continue
        if phrase.has_determiner:
            with_det = phrase
        elif phrase.name_words == 1:
            bare = phrase
    return with_det or bare
