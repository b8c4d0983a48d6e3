"""Property-based tests: random valid datasets validate and format losslessly; random mutations always fail cleanly."""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataset.check.run import validate
from dataset.cli import main
from dataset.repo import Repo

from .conftest import PROV, write_repo

WORDS = [
    "Kursk",
    "Soldaten",
    "Grenze",
    "Angriff",
    "Region",
    "Truppen",
    "Ukraine",
    "Russland",
    "für",
    "über",
    "größer",
    "50.000",
    "laut",
    "CNN",
]
SETTINGS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


def _word_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], None
    for i, char in enumerate(text + " "):
        if char.isspace() and start is not None:
            spans.append((start, i))
            start = None
        elif not char.isspace() and start is None:
            start = i
    return spans


@st.composite
def datasets(draw: st.DrawFn) -> dict:
    """Two documents of random words with boilerplate, mentions and claims on word boundaries, and one cluster."""
    seeds, spans, entities = {}, {"boilerplate": {}, "sources": {}, "claims": {}}, []
    for doc in ("200_a", "201_b"):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=8, max_size=30))
        breaks = draw(st.lists(st.sampled_from([" ", " ", "\n", "\n\n"]), min_size=len(words), max_size=len(words)))
        text = "".join(w + b for w, b in zip(words, breaks, strict=True))
        seeds[doc] = text
        tokens = _word_spans(text)
        cut = draw(st.integers(0, 3))  # the first `cut` words are boilerplate
        editorial = tokens[cut:]
        boilerplate = (
            [
                {
                    "id": f"{doc}:bp-001",
                    "doc_id": doc,
                    "start": tokens[0][0],
                    "end": tokens[cut - 1][1],
                    "text": text[tokens[0][0] : tokens[cut - 1][1]],
                    "category": draw(st.sampled_from(["navigation", "metadata"])),
                    **PROV,
                }
            ]
            if cut
            else []
        )
        mention_at = draw(st.integers(0, len(editorial) - 1))
        m_start, m_end = editorial[mention_at]
        entity = f"ent-{doc.replace('_', '-')}"
        entities.append({"id": entity, "name": doc, "type": "outlet", "description": "Generated.", **PROV})
        mention = {
            "id": f"{doc}:src-001",
            "doc_id": doc,
            "start": m_start,
            "end": m_end,
            "text": text[m_start:m_end],
            "entity_id": entity,
            **PROV,
        }
        first, last = sorted(draw(st.lists(st.integers(0, len(editorial) - 1), min_size=2, max_size=2)))
        c_start, c_end = editorial[first][0], editorial[last][1]
        claim = {
            "id": f"{doc}:claim-001",
            "doc_id": doc,
            "start": c_start,
            "end": c_end,
            "text": text[c_start:c_end],
            "type": "event",
            "modality": "reportive",
            "source_ids": [mention["id"]],
            "cue": None,
            "quantity": None,
            "cluster_id": "cl-generated",
            **PROV,
        }
        spans["boilerplate"][doc], spans["sources"][doc], spans["claims"][doc] = boilerplate, [mention], [claim]
    clusters = [
        {"id": "cl-generated", "statement_de": "Etwas.", "statement_en": "Something.", "conflicts_with": [], **PROV}
    ]
    return {"seeds": seeds, "entities": entities, "clusters": clusters, "spans": spans}


_SCRATCH = tempfile.TemporaryDirectory(prefix="kursk-properties-")  # removed when the test process exits


def _make(parts: dict) -> Repo:
    root = Path(tempfile.mkdtemp(dir=_SCRATCH.name)) / "repo"
    return write_repo(root, parts["seeds"], parts["entities"], parts["clusters"], parts["spans"])


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


@SETTINGS
@given(parts=datasets(), shuffle_seed=st.integers(0, 2**16))
def test_random_valid_dataset_validates_and_fmt_is_idempotent_and_lossless(parts: dict, shuffle_seed: int) -> None:
    repo = _make(parts)
    assert validate(repo).ok, "\n".join(p.text() for p in validate(repo).problems)
    rng = random.Random(shuffle_seed)
    path = repo.root / "annotations/entities.jsonl"
    original = _records(path)
    scrambled = [dict(rng.sample(list(r.items()), len(r))) for r in rng.sample(original, len(original))]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in scrambled), encoding="utf-8")
    assert main(["--root", str(repo.root), "fmt"]) == 0
    once = path.read_text(encoding="utf-8")
    assert main(["--root", str(repo.root), "fmt"]) == 0
    assert path.read_text(encoding="utf-8") == once
    assert sorted(_records(path), key=lambda r: r["id"]) == sorted(original, key=lambda r: r["id"])
    assert validate(repo).ok


def _rewrite_claim(change):
    def mutate(repo: Repo, doc: str) -> None:
        path = repo.root / f"annotations/claims/{doc}.jsonl"
        path.write_text(json.dumps(change(_records(path)[0]), ensure_ascii=False) + "\n", encoding="utf-8")

    return mutate


def _drop_referenced_mention(repo: Repo, doc: str) -> None:
    (repo.root / f"annotations/sources/{doc}.jsonl").write_text("", encoding="utf-8")


MUTATIONS = {
    "shift an offset": ({"span-text", "span-order"}, _rewrite_claim(lambda rec: {**rec, "start": rec["start"] + 1})),
    "change a quote": ({"span-text"}, _rewrite_claim(lambda rec: {**rec, "text": rec["text"] + "x"})),
    "drop a reference": ({"dangling-ref"}, _drop_referenced_mention),
}


@SETTINGS
@given(parts=datasets(), mutation=st.sampled_from(sorted(MUTATIONS)), doc=st.sampled_from(["200_a", "201_b"]))
def test_random_mutation_fails_with_its_rule(parts: dict, mutation: str, doc: str) -> None:
    repo = _make(parts)
    rules, mutate = MUTATIONS[mutation]
    mutate(repo, doc)
    found = {p.rule for p in validate(repo).problems}
    assert found & rules, (mutation, found)


@SETTINGS
@given(
    parts=datasets(),
    layer=st.sampled_from(["boilerplate", "sources", "claims"]),
    doc=st.sampled_from(["200_a", "201_b"]),
)
def test_duplicated_id_always_fails_with_duplicate_id(parts: dict, layer: str, doc: str) -> None:
    repo = _make(parts)
    path = repo.root / f"annotations/{layer}/{doc}.jsonl"
    records = _records(path)
    if not records:
        return  # a document may have no boilerplate; nothing to duplicate
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [*records, records[0]]), encoding="utf-8")
    assert "duplicate-id" in {p.rule for p in validate(repo).problems}
