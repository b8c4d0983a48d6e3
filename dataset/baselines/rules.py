"""Rule baseline: source mentions, entities and claims (type, modality, attribution, quantity).

A claim is a SoMaJo sentence (sentences.py) without its final punctuation, except questions (ending in "?"),
credit lines ("Mit Material von ...") and sentences without a word (dates, URLs). Clause splitting was left out:
no lexical boundary splits German clauses robustly enough without a parser. Sources and cues come from
attribution.py, entities from entities.py, labels from labels.py. A claim's ``source_ids`` are the mentions
inside its sentence, in text order; its cue is the first attribution cue of the sentence (the outermost link).
"""

from __future__ import annotations

import re

from .attribution import Cue, find_cues
from .entities import entity_record, entity_type, normalised_name, slug
from .labels import claim_type, modality
from .sentences import Sentence, sentences
from .spans import numbered, provenance, sorted_documents, tidy_span

SYSTEM = "rules"
_URL = re.compile(r"(https?://|www\.)\S+")


def _is_claim(sentence: Sentence, cues: list[Cue]) -> bool:
    if "?" in sentence.final or any(cue.credit for cue in cues):
        return False
    return any(t.text.isalpha() and not _URL.match(t.text) for t in sentence.tokens)


def _char_span(sentence: Sentence, text: str, start: int, end: int) -> tuple[int, int] | None:
    """Character offsets of tokens[start:end] of a sentence."""
    if end <= start:
        return None
    return tidy_span(text, sentence.tokens[start].start, sentence.tokens[end - 1].end)


def _mentions(text: str, analysed: list[tuple[Sentence, list[Cue]]]) -> list[tuple[int, int, str, bool]]:
    """(start, end, name, has_determiner) of every mention, pronouns resolved to the person named before them."""
    raw: dict[tuple[int, int], tuple[bool, bool]] = {}
    for sentence, cues in analysed:
        for cue in cues:
            for m in cue.mentions:
                span = _char_span(sentence, text, m.start, m.end)
                if span is not None and span not in raw:
                    raw[span] = (m.has_determiner, m.pronoun)
    found, last_person = [], None
    for (start, end), (has_det, pronoun) in sorted(raw.items()):
        if pronoun:
            if last_person is not None:
                found.append((start, end, last_person[0], last_person[1]))
            continue
        name = normalised_name(text[start:end], has_det)
        if not slug(name):
            continue
        found.append((start, end, name, has_det))
        if entity_type(name, has_det)[0] == "person":
            last_person = (name, has_det)
    return found


def _claim(doc_id: str, text: str, sentence: Sentence, cues: list[Cue], mentions: list[dict]) -> dict:
    kind, quantity = claim_type(sentence.tokens, text)
    cue = None
    for c in cues:
        span = _char_span(sentence, text, c.start, c.end)
        if span is not None:
            cue = {"start": span[0], "end": span[1], "text": text[span[0] : span[1]]}
            break
    if cue is not None and any((m["start"], m["end"]) == (cue["start"], cue["end"]) for m in mentions):
        cue = None
    inside = [m["id"] for m in mentions if sentence.start <= m["start"] and m["end"] <= sentence.end]
    return {
        "id": "",
        "doc_id": doc_id,
        "start": sentence.start,
        "end": sentence.end,
        "text": text[sentence.start : sentence.end],
        "type": kind,
        "modality": modality(sentence.tokens, any(c.end > c.start for c in cues)),
        "source_ids": inside,
        "cue": cue,
        "quantity": quantity,
        "cluster_id": None,
        **provenance(SYSTEM),
    }


def predict_document(doc_id: str, text: str) -> tuple[list[dict], list[dict], dict[str, tuple[str, bool]]]:
    """(mention records, claim records, entity id -> (name, has_determiner) candidates) of one document."""
    analysed = [(s, find_cues(s.tokens)) for s in sentences(text)]
    names: dict[str, tuple[str, bool]] = {}
    mentions = []
    for index, (start, end, name, has_det) in enumerate(_mentions(text, analysed)):
        entity_id = f"ent-{slug(name)}"
        names[entity_id] = min(names.get(entity_id, (name, has_det)), (name, has_det))
        mentions.append(
            {
                "id": numbered(doc_id, "src", index),
                "doc_id": doc_id,
                "start": start,
                "end": end,
                "text": text[start:end],
                "entity_id": entity_id,
                **provenance(SYSTEM),
            }
        )
    claims = [_claim(doc_id, text, s, cues, mentions) for s, cues in analysed if _is_claim(s, cues)]
    for index, claim in enumerate(claims):
        claim["id"] = numbered(doc_id, "claim", index)
    return mentions, claims, names


def predict(documents: list[tuple[str, str]]) -> dict:
    """Sources, claims and entities for every document (documents in any order; output in doc_id order)."""
    sources, claims, names = {}, {}, {}
    for doc_id, text in sorted_documents(documents):
        sources[doc_id], claims[doc_id], doc_names = predict_document(doc_id, text)
        for entity_id, candidate in doc_names.items():
            names[entity_id] = min(names.get(entity_id, candidate), candidate)
    entities = [entity_record(eid, *names[eid], SYSTEM) for eid in sorted(names)]
    return {"sources": sources, "claims": claims, "entities": entities}
