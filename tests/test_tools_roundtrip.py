"""Export -> import through every tool gives the same records, byte for byte, for generated documents.

The documents have astral emoji, combining marks, umlauts and every kind of line break; the annotations have
nested and overlapping claims, shared cues, chains of several mentions, int and float quantities, null and
non-null fields, and notes with newlines and quotes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from dataset.repo import Repo
from dataset.schemas import Schemas
from dataset.tools import brat, inception, labelstudio
from dataset.tools.labels import build_labels
from dataset.tools.model import OffsetMap, ToolDocument

ROOT = Path(__file__).resolve().parent.parent
LABELS = build_labels(Schemas(Repo(ROOT)))
TOOLS = {"inception": inception, "labelstudio": labelstudio, "brat": brat}
DOC = "t01"

CHARS = ["a", "Z", "ä", "Ö", "ß", "é", "e\u0301", "\u0301", "😀", "🇩🇪", '"', "„", "“", "<", "&", "'", "1", ".", "-"]
SEPARATORS = [" ", "\n", "\r\n", "\r", "\t", "  ", "\n\n", "\u2028", "\x85", " \r\n ", "\r\r\n"]
NOTE_CHARS = st.sampled_from([*CHARS, "\n", "\r\n", "\t", " ", "\\", "{", "}", "\u2028"])
AGENTS = st.sampled_from(["annotator-a1", "reviewer-r1", "baseline.v2"])


def enum(layer: str, path: str) -> list[str]:
    return list(LABELS.spec(layer).field(path).values)  # type: ignore[union-attr]


notes = st.none() | st.lists(NOTE_CHARS, max_size=12).map("".join)
phrases = st.lists(NOTE_CHARS, min_size=1, max_size=12).map("".join)


@st.composite
def provenance(draw) -> dict:
    return {
        "annotated_by": draw(AGENTS),
        "reviewed_by": draw(st.none() | AGENTS),
        "review_status": draw(st.sampled_from(enum("claims", "review_status"))),
        "note": draw(notes),
    }


@st.composite
def texts(draw) -> tuple[str, list[tuple[int, int]]]:
    words = draw(
        st.lists(st.lists(st.sampled_from(CHARS), min_size=1, max_size=4).map("".join), min_size=1, max_size=25)
    )
    text, tokens = draw(st.sampled_from(["", " ", "\r\n"])), []
    for index, word in enumerate(words):
        if index:
            text += draw(st.sampled_from(SEPARATORS))
        tokens.append((len(text), len(text) + len(word)))
        text += word
    return text + draw(st.sampled_from(["", "\n", " \r\n"])), tokens


def span(draw, text: str, tokens: list[tuple[int, int]]) -> dict:
    first = draw(st.integers(0, len(tokens) - 1))
    last = draw(st.integers(first, min(len(tokens) - 1, first + 5)))
    start, end = tokens[first][0], tokens[last][1]
    return {"start": start, "end": end, "text": text[start:end]}


def ids(draw, kind: str, count: int) -> list[str]:
    numbers = draw(st.lists(st.integers(1, 1200), min_size=count, max_size=count, unique=True))
    return [f"{DOC}:{kind}-{n:03d}" for n in numbers]


def canonical(records: list[dict]) -> list[dict]:
    return sorted(records, key=lambda r: (r["start"], r["end"], r["id"]))


@st.composite
def layers(draw, text: str, tokens: list, entities: list[dict], clusters: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    boilerplate = []
    for ident in ids(draw, "bp", draw(st.integers(0, 3))):
        category = draw(st.sampled_from(enum("boilerplate", "category")))
        boilerplate.append(
            {"id": ident, "doc_id": DOC, **span(draw, text, tokens), "category": category, **draw(provenance())}
        )
    out["boilerplate"] = canonical(boilerplate)
    mentions = []
    for ident in ids(draw, "src", draw(st.integers(0, 5))):
        entity = draw(st.sampled_from(entities))["id"]
        mentions.append(
            {"id": ident, "doc_id": DOC, **span(draw, text, tokens), "entity_id": entity, **draw(provenance())}
        )
    out["sources"] = canonical(mentions)
    cues = [span(draw, text, tokens) for _ in range(draw(st.integers(0, 2)))]
    claims = []
    for ident in ids(draw, "claim", draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(enum("claims", "type")))
        quantity = None
        if kind == "quantity":
            value = draw(st.integers(-(10**9), 10**9) | st.floats(-1e15, 1e15, allow_nan=False, allow_infinity=False))
            unit = draw(st.sampled_from(["soldiers", "per cent", "km"]))
            quantity = {
                "value": value,
                "unit": unit,
                "qualifier": draw(st.sampled_from(enum("claims", "quantity.qualifier"))),
            }
        chain = draw(st.permutations([m["id"] for m in mentions])) if mentions else []
        claim = {"id": ident, "doc_id": DOC, **span(draw, text, tokens), "type": kind}
        claim["modality"] = draw(st.sampled_from(enum("claims", "modality")))
        claim["source_ids"] = list(chain[: draw(st.integers(0, len(chain)))])
        claim["cue"] = draw(st.none() | st.sampled_from(cues)) if cues else None
        claim["quantity"] = quantity
        claim["cluster_id"] = draw(st.none() | st.sampled_from([c["id"] for c in clusters]))
        claims.append({**claim, **draw(provenance())})
    out["claims"] = canonical(claims)
    return out


@st.composite
def cases(draw) -> tuple[ToolDocument, list[dict], list[dict], ToolDocument | None]:
    text, tokens = draw(texts())
    entities = []
    for k in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(enum("sources", "entity.type")))
        entity = {"id": f"ent-e{k}", "name": draw(phrases), "type": kind, "description": draw(phrases)}
        entities.append({**entity, **draw(provenance())})
    clusters = []
    cluster_ids = [f"cl-c{k}" for k in range(draw(st.integers(1, 3)))]
    for ident in cluster_ids:
        others = [c for c in cluster_ids if c != ident]
        conflicts = draw(st.lists(st.sampled_from(others), unique=True)) if others else []
        cluster = {
            "id": ident,
            "statement_de": draw(phrases),
            "statement_en": draw(phrases),
            "conflicts_with": conflicts,
        }
        clusters.append({**cluster, **draw(provenance())})
    doc = ToolDocument(DOC, text, draw(layers(text, tokens, entities, clusters)))
    suggestions = None
    if draw(st.booleans()):
        suggestions = ToolDocument(DOC, text, draw(layers(text, tokens, entities, clusters)))
    return doc, entities, clusters, suggestions


def lines(document: ToolDocument) -> dict[str, list[str]]:
    return {name: [json.dumps(r, ensure_ascii=False) for r in records] for name, records in document.layers.items()}


@pytest.mark.parametrize("tool", sorted(TOOLS))
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_export_import_is_identity(tool: str, case) -> None:
    doc, entities, clusters, suggestions = case
    module = TOOLS[tool]
    files = module.export_document(doc, entities, clusters, LABELS, suggestions)
    back, changed_entities, changed_clusters, problems = module.import_document(
        files, DOC, doc.text, doc, entities, clusters, LABELS, user="tester"
    )
    assert problems == []
    assert (changed_entities, changed_clusters) == ([], [])
    assert back.layers == doc.layers
    assert lines(back) == lines(doc)


@settings(max_examples=50, deadline=None)
@given(text=st.lists(st.sampled_from([*CHARS, "\n", "\r", "\r\n", " "]), max_size=30).map("".join))
def test_offset_maps_invert(text: str) -> None:
    utf16, utf8 = OffsetMap.utf16(text), OffsetMap.utf8(text)
    assert utf16.prefix[-1] == len(text.encode("utf-16-le")) // 2
    assert utf8.prefix[-1] == len(text.encode("utf-8"))
    for cp in range(len(text) + 1):
        assert utf16.to_tool(cp) == len(text[:cp].encode("utf-16-le")) // 2
        assert utf8.to_tool(cp) == len(text[:cp].encode("utf-8"))
        assert utf16.from_tool(utf16.to_tool(cp)) == cp
        assert utf8.from_tool(utf8.to_tool(cp)) == cp
    shown, offsets = brat.brat_text(text), brat.brat_offsets(text)
    assert offsets.prefix[-1] == len(shown)
    for cp in range(len(text) + 1):
        if text[cp - 1 : cp + 1] != "\r\n":  # inside a CRLF there is no position of its own
            assert offsets.to_tool(cp) == len(brat.brat_text(text[:cp]))
            assert offsets.from_tool(offsets.to_tool(cp)) == cp


def test_xmi_offsets_are_utf16_units() -> None:
    text = "😀 Laut 🇩🇪 CNN sind es"
    start = text.index("CNN")
    record = {
        "id": f"{DOC}:src-001",
        "doc_id": DOC,
        "start": start,
        "end": start + 3,
        "text": "CNN",
        "entity_id": "ent-cnn",
    }
    record |= {"annotated_by": "a", "reviewed_by": None, "review_status": "unreviewed", "note": None}
    entity = {"id": "ent-cnn", "name": "CNN", "type": "outlet", "description": "d"}
    entity |= {"annotated_by": "a", "reviewed_by": None, "review_status": "unreviewed", "note": None}
    doc = ToolDocument(DOC, text, {"boilerplate": [], "sources": [record], "claims": []})
    xmi = inception.export_document(doc, [entity], [], LABELS)[f"{DOC}.xmi"]
    mention = next(e for e in etree.fromstring(xmi) if etree.QName(e).localname == "SourceMention")
    assert int(mention.get("begin")) == len(text[:start].encode("utf-16-le")) // 2 == start + 3
    task = json.loads(labelstudio.export_document(doc, [entity], [], LABELS)[f"{DOC}.json"])[0]
    region = task["annotations"][0]["result"][0]["value"]
    assert (region["start"], region["text"]) == (start, "CNN")  # Label Studio: code points
