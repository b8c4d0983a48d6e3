"""Attribution cues and the source phrases next to them, within one sentence.

Cues (lexicon.py): attribution prepositions (laut, seitens; "nach Angaben", "mit Verweis auf", ...), the
postposition zufolge, finite speech verbs (sagte, berichtete, erklärte, ...), "so" + speaker after a quotation
or comma, the impersonal "heißt es", and credit-line openers ("Mit Material von"). Where the source stands:

- after a preposition, before zufolge;
- for a speech verb, the phrase(s) filling the clause from its start up to the verb ("Selenskyj erklärte",
  "wie ein ... Beamter CNN mitteilte"), else the phrase right after the verb ("sagte Rutte", "berichtete ein
  US-Beamter"); the pronoun "er" counts;
- after "gegenüber" when the sentence has a speech verb (the channel: "gegenüber CNN").
"""

from __future__ import annotations

from dataclasses import dataclass

from . import lexicon
from .phrases import Phrase, is_transparent, parse, parse_before
from .sentences import Token

_CLAUSE_BOUNDARIES = frozenset(
    {",", ";", ":", "\u2013", "\u2014", "(", ")", "wie", "dass", "weil", "als", "ob", "und", "aber"}
)
_BEFORE_SO = frozenset({",", "“", '"', "”", "»", "«"})


@dataclass(frozen=True)
class Mention:
    """A source phrase: token range, whether it opens with a determiner, whether it is a pronoun."""

    start: int
    end: int
    has_determiner: bool
    pronoun: bool


@dataclass(frozen=True)
class Cue:
    """An attribution cue (token range) and the source phrases it governs."""

    start: int
    end: int
    mentions: tuple[Mention, ...]
    credit: bool = False


def _lower(tokens: tuple[Token, ...], i: int) -> str:
    return tokens[i].text.lower() if 0 <= i < len(tokens) else ""


def _mention(phrase: Phrase) -> Mention:
    return Mention(phrase.start, phrase.end, phrase.has_determiner, False)


def _pronoun_at(tokens: tuple[Token, ...], i: int) -> Mention | None:
    if _lower(tokens, i) in lexicon.PERSON_PRONOUNS:
        return Mention(i, i + 1, False, True)
    return None


def _after(tokens: tuple[Token, ...], i: int) -> tuple[Mention, ...]:
    """The phrase (or pronoun) starting at token i."""
    pronoun = _pronoun_at(tokens, i)
    if pronoun is not None:
        return (pronoun,)
    phrase = parse(tokens, i)
    return (_mention(phrase),) if phrase is not None else ()


def _clause_start(tokens: tuple[Token, ...], v: int) -> int:
    i = v - 1
    while i >= 0 and _lower(tokens, i) not in _CLAUSE_BOUNDARIES:
        i -= 1
    return i + 1


def _subject(tokens: tuple[Token, ...], v: int) -> tuple[Mention, ...]:
    """Phrases tiling the clause before the verb at v, else the phrase right after it."""
    c = _clause_start(tokens, v)
    if c == v - 1 and (pronoun := _pronoun_at(tokens, c)) is not None:
        return (pronoun,)
    found, i = [], c
    while i < v:
        phrase = parse(tokens, i, v)
        if phrase is None:
            break
        found.append(_mention(phrase))
        i = phrase.end
        while i < v and is_transparent(tokens[i]):
            i += 1
    if found and i == v:
        return tuple(found)
    after = v + 1
    while after < len(tokens) and is_transparent(tokens[after]):
        after += 1
    return _after(tokens, after)


def _multiword(tokens: tuple[Token, ...], i: int) -> int | None:
    """Length of the multi-word attribution expression starting at token i, if any (longest first)."""
    for pattern in sorted(lexicon.MULTIWORD_BEFORE, key=len, reverse=True):
        if i + len(pattern) > len(tokens):
            continue
        if all(
            tokens[i + k].text.lower() in lexicon.DETERMINERS if word is None else _lower(tokens, i + k) == word
            for k, word in enumerate(pattern)
        ):
            return len(pattern)
    return None


def _credit(tokens: tuple[Token, ...]) -> Cue | None:
    """A credit line opening the sentence: every name after the opener is a provider of material."""
    for opener in lexicon.CREDIT_OPENERS:
        if [_lower(tokens, k) for k in range(len(opener))] != list(opener):
            continue
        mentions, i = [], len(opener)
        while i < len(tokens):
            if tokens[i].text in (",", "und", "sowie"):
                i += 1
                continue
            if _lower(tokens, i) in lexicon.NEWS_AGENCIES | lexicon.OUTLETS:
                phrase = Phrase(i, i + 1, False, 1)  # agencies are often written in lower case ("dpa")
            else:
                phrase = parse(tokens, i, genitive=False)
            if phrase is None:
                break
            mentions.append(_mention(phrase))
            i = phrase.end
        return Cue(0, len(opener), tuple(mentions), credit=True)
    return None


def find_cues(tokens: tuple[Token, ...]) -> list[Cue]:
    """Every attribution cue of a sentence with its sources, in text order."""
    credit = _credit(tokens)
    if credit is not None:
        return [credit]
    cues: list[Cue] = []
    has_speech_verb = any(t.text.lower() in lexicon.SPEECH_VERBS for t in tokens)
    i = 0
    while i < len(tokens):
        word = _lower(tokens, i)
        length = _multiword(tokens, i)
        if length is not None:
            cues.append(Cue(i, i + length, _after(tokens, i + length)))
            i += length
            continue
        if word in lexicon.PREPOSITIONS_BEFORE:
            cues.append(Cue(i, i + 1, _after(tokens, i + 1)))
        elif word in lexicon.POSTPOSITIONS:
            phrase = parse_before(tokens, i)
            cues.append(Cue(i, i + 1, (_mention(phrase),) if phrase is not None else ()))
        elif word in lexicon.SPEECH_VERBS:
            particle = lexicon.SEPARABLE_PARTICLES.get(word)
            if particle is None or any(_lower(tokens, k) == particle for k in range(i + 1, len(tokens))):
                cues.append(Cue(i, i + 1, _subject(tokens, i)))
        elif word == "so" and _lower(tokens, i - 1) in _BEFORE_SO:
            mentions = _after(tokens, i + 1)
            if mentions:
                cues.append(Cue(i, i + 1, mentions))
        elif (word, _lower(tokens, i + 1)) in lexicon.IMPERSONAL:
            cues.append(Cue(i, i + 2, ()))
            i += 1
        elif word in lexicon.CHANNEL and has_speech_verb:
            mentions = _after(tokens, i + 1)
            if mentions:
                cues.append(Cue(i, i, mentions))  # a channel is a source but no cue: empty cue range
        i += 1
    return cues
