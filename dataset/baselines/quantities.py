"""Find the first number-with-unit in a sentence and normalise it (value, English unit, qualifier).

A number counts only when a unit noun from the lexicon follows it within a few words, so years, dates and
ordinals ("20. Januar", "2022") are never quantities. German formats: "50.000" and "10 000" (thousands),
"1,2 Millionen" (decimal comma and multiplier), number words ("zwei", "Elf Tausend"), vague plurals
("Zehntausende", "mehrere tausend": the smallest value the words allow, qualifier "about", as the guidelines
say), and multiplying verbs ("verzehnfacht": 10 times).
"""

from __future__ import annotations

import re
from decimal import Decimal

from . import lexicon
from .sentences import Token

_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_DIGITS = re.compile(r"\d+")
_GROUP = re.compile(r"\d{3}")
_DECIMAL = re.compile(r"\d+,\d+")
_THIN_SPACES = frozenset({" ", "\u00a0", "\u202f", "\u2009"})
#: How many words (adjectives, "und") may stand between a number and its unit: "11.000 nordkoreanische Soldaten".
_MAX_GAP = 3


def _number(tokens: tuple[Token, ...], i: int, text: str) -> tuple[Decimal, int, bool] | None:
    """(value, index after the number, vague?) for a number starting at token i, else None."""
    word = tokens[i].text
    lower = word.lower()
    nxt = tokens[i + 1].text.lower() if i + 1 < len(tokens) else ""
    if lower in lexicon.VAGUE_NUMBERS:
        return Decimal(lexicon.VAGUE_NUMBERS[lower]), i + 1, True
    if lower in lexicon.VAGUE_QUANTIFIERS and nxt in ("tausend", "hundert"):
        return Decimal(lexicon.MULTIPLIERS[nxt]), i + 2, True
    if _THOUSANDS.fullmatch(word):
        value, j = Decimal(word.replace(".", "")), i + 1
    elif _DECIMAL.fullmatch(word):
        value, j = Decimal(word.replace(",", ".")), i + 1
    elif _DIGITS.fullmatch(word):
        value, j = Decimal(word), i + 1
        while (
            len(tokens[j - 1].text) <= 3
            and j < len(tokens)
            and _GROUP.fullmatch(tokens[j].text)
            and text[tokens[j - 1].end : tokens[j].start] in _THIN_SPACES
        ):
            value, j = value * 1000 + Decimal(tokens[j].text), j + 1
    elif lower in lexicon.NUMBER_WORDS:
        value, j = Decimal(lexicon.NUMBER_WORDS[lower]), i + 1
    else:
        return None
    if j < len(tokens) and tokens[j].text.lower() in lexicon.MULTIPLIERS:
        value, j = value * lexicon.MULTIPLIERS[tokens[j].text.lower()], j + 1
    return value, j, False


def _unit_of(word: str) -> str | None:
    """English unit of a German noun, also as the last part of a hyphen compound ("Putin-Kämpfer")."""
    lower = word.lower()
    return lexicon.UNITS.get(lower) or lexicon.UNITS.get(lower.rsplit("-", 1)[-1])


def _unit(tokens: tuple[Token, ...], j: int) -> str | None:
    """The unit noun after a number: skip up to _MAX_GAP lower-case words or 'und'/','; a capitalised non-unit ends."""
    for k in range(j, min(j + _MAX_GAP + 1, len(tokens))):
        word = tokens[k].text
        unit = _unit_of(word)
        if unit is not None:
            return unit
        if not (word == "," or (word.isalpha() and word.islower())):
            return None
    return None


def _qualifier(tokens: tuple[Token, ...], i: int, vague: bool) -> str:
    """about / at-least / at-most from the one or two words before the number; exact otherwise."""
    if vague:
        return "about"
    before = " ".join(t.text.lower() for t in tokens[max(0, i - 2) : i])
    for phrases, qualifier in ((lexicon.AT_MOST, "at-most"), (lexicon.AT_LEAST, "at-least"), (lexicon.ABOUT, "about")):
        for phrase in phrases:
            if before == phrase or before.endswith(" " + phrase):
                return qualifier
    return "exact"


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def find_quantity(tokens: tuple[Token, ...], text: str) -> dict | None:
    """The first quantity of a sentence as a schema ``quantity`` object, or None."""
    for i, token in enumerate(tokens):
        if token.text.lower() in lexicon.MULTIPLYING_VERBS:
            return {"value": lexicon.MULTIPLYING_VERBS[token.text.lower()], "unit": "times", "qualifier": "exact"}
        number = _number(tokens, i, text)
        if number is None:
            continue
        value, j, vague = number
        unit = _unit(tokens, j)
        if unit is not None:
            return {"value": _plain(value), "unit": unit, "qualifier": _qualifier(tokens, i, vague)}
    return None
