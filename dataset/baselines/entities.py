"""Link source mentions to entities by normalised name, and type each entity by a small ordered rule.

One entity per distinct normalised name: the mention's text without a leading determiner, quotation marks or
markdown, whitespace collapsed, umlauts folded for the id. So "der New York Times" and "die "New York Times""
are one entity, while "Selenskyj" and "Der ukrainische Präsident Wolodymyr Selenskyj" are two: the baseline has
no coreference beyond one rule (a pronoun "er" links to the entity of the nearest person mention before it).

Entity type, first rule that applies (lexicon.py has the lists):
  agency lexicon -> news-agency; outlet lexicon -> outlet; international-organisation lexicon; head noun
  Beamte/Quelle(n)/Kreise/Insider -> anonymous; Institut/Universität/... -> research-body; head noun Armee/
  Luftwaffe/Streitkräfte/Militär -> military; country/capital lexicon or Regierung/Ministerium -> government-body;
  Bericht/Angaben/Medien -> other; a role noun (Präsident, Sprecher, ...) or a bare capitalised name -> person;
  else other.
"""

from __future__ import annotations

import re
import unicodedata

from . import lexicon
from .spans import provenance

_STRIP = str.maketrans("", "", '"„“”«»\u201a\u2018\u2019*')
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def normalised_name(surface: str, has_determiner: bool) -> str:
    """The mention's name: determiner, quotation marks and markdown removed, whitespace collapsed."""
    words = unicodedata.normalize("NFC", surface).translate(_STRIP).split()
    if has_determiner and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def slug(name: str) -> str:
    """Lower-case ASCII slug for an entity id; empty if the name has no letters or digits."""
    folded = name.lower().translate(_FOLD)
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:70].strip("-")


def _head(lower: str) -> str:
    return lower.split()[-1] if lower.split() else lower


def entity_type(name: str, has_determiner: bool) -> tuple[str, str]:
    """(entity type, the rule that decided it) for a normalised name."""
    lower = name.lower()
    head = _head(lower)
    if lower in lexicon.NEWS_AGENCIES:
        return "news-agency", "agency lexicon"
    if lower in lexicon.OUTLETS:
        return "outlet", "outlet lexicon"
    if lower in lexicon.INTERNATIONAL_ORGANISATIONS:
        return "international-organisation", "international-organisation lexicon"
    if head.endswith(lexicon.ANONYMOUS_HEADS):
        return "anonymous", "head noun names unnamed officials or sources"
    if any(word in lower for word in lexicon.RESEARCH_WORDS):
        return "research-body", "research-body word"
    if head.endswith(lexicon.MILITARY_HEADS):
        return "military", "head noun names armed forces"
    if lower in lexicon.GOVERNMENTS or any(word in head for word in lexicon.GOVERNMENT_HEADS):
        return "government-body", "country, capital or government word"
    if head.endswith(lexicon.COLLECTIVE_HEADS):
        return "other", "reports or media as a collective"
    if any(stem in lower for stem in lexicon.ROLE_STEMS):
        return "person", "role noun that names one person"
    if not has_determiner:
        return "person", "bare capitalised name"
    return "other", "no rule matched"


def entity_record(entity_id: str, name: str, has_determiner: bool, system: str) -> dict:
    """An entity record of the baseline (description says how it was made)."""
    kind, reason = entity_type(name, has_determiner)
    description = f"Source named '{name[:150]}' in the texts; found by a rule baseline, typed by rule: {reason}."
    return {
        "id": entity_id,
        "name": name,
        "type": kind,
        "description": description,
        **provenance(system),
    }
