"""Test set-up: offline Hugging Face, and a minimal two-document repository built from the real schemas."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"
# datasets reads its cache location at import time: a fresh one per run, never the user's.
os.environ["HF_DATASETS_CACHE"] = tempfile.mkdtemp(prefix="hf-datasets-cache-")

from dataset.build import build
from dataset.repo import Repo

ROOT = Path(__file__).resolve().parent.parent

MINI_SEEDS = {
    "100_mini": "Menü\n\nLaut CNN sind 50 Soldaten in Kursk. Mehr lesen\n",
    "101_mini": "Etwa 50 Soldaten sind in Kursk, sagte Patel.\nhttps://example.org/x\n",
}
PROV = {"annotated_by": "test-annotator", "reviewed_by": None, "review_status": "unreviewed", "note": None}


def span(doc: str, quote: str, **fields) -> dict:
    text = MINI_SEEDS[doc]
    start = text.index(quote)
    return {"doc_id": doc, "start": start, "end": start + len(quote), "text": quote, **fields}


def _jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def make_mini_repo(root: Path) -> Repo:
    """A small valid dataset that exercises every layer and cross-layer rule."""
    shutil.copytree(ROOT / "schema", root / "schema")
    (root / "seeds").mkdir()
    sums = []
    for doc, text in MINI_SEEDS.items():
        (root / "seeds" / f"{doc}.txt").write_bytes(text.encode("utf-8"))
        sums.append(f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}  {doc}.txt\n")
    (root / "seeds" / "SHA256SUMS").write_text("".join(sums), encoding="utf-8")
    ann = root / "annotations"
    _jsonl(
        ann / "documents.jsonl",
        [
            {
                "doc_id": doc,
                "seed_file": f"seeds/{doc}.txt",
                "language": "de",
                "headline": None,
                "outlet": None,
                "published": None,
                "url": None,
                "extraction": "web-page",
                "lineage": [],
                **PROV,
            }
            for doc in MINI_SEEDS
        ],
    )
    _jsonl(
        ann / "entities.jsonl",
        [
            {"id": "ent-cnn", "name": "CNN", "type": "outlet", "description": "US news network.", **PROV},
            {
                "id": "ent-patel",
                "name": "Vedant Patel",
                "type": "person",
                "description": "State Department spokesperson.",
                **PROV,
            },
        ],
    )
    _jsonl(
        ann / "clusters.jsonl",
        [
            {
                "id": "cl-fifty",
                "statement_de": "50 Soldaten sind in Kursk.",
                "statement_en": "50 soldiers are in Kursk.",
                "conflicts_with": [],
                **PROV,
            },
        ],
    )
    _jsonl(
        ann / "boilerplate" / "100_mini.jsonl",
        [
            {"id": "100_mini:bp-001", **span("100_mini", "Menü"), "category": "navigation", **PROV},
            {"id": "100_mini:bp-002", **span("100_mini", "Mehr lesen"), "category": "related-content", **PROV},
        ],
    )
    _jsonl(
        ann / "boilerplate" / "101_mini.jsonl",
        [
            {"id": "101_mini:bp-001", **span("101_mini", "https://example.org/x"), "category": "link-list", **PROV},
        ],
    )
    _jsonl(
        ann / "sources" / "100_mini.jsonl",
        [{"id": "100_mini:src-001", **span("100_mini", "CNN"), "entity_id": "ent-cnn", **PROV}],
    )
    _jsonl(
        ann / "sources" / "101_mini.jsonl",
        [{"id": "101_mini:src-001", **span("101_mini", "Patel"), "entity_id": "ent-patel", **PROV}],
    )
    quantity = {"value": 50, "unit": "soldiers", "qualifier": "exact"}
    _jsonl(
        ann / "claims" / "100_mini.jsonl",
        [
            {
                "id": "100_mini:claim-001",
                **span("100_mini", "Laut CNN sind 50 Soldaten in Kursk"),
                "type": "quantity",
                "modality": "reportive",
                "source_ids": ["100_mini:src-001"],
                "cue": {k: v for k, v in span("100_mini", "Laut").items() if k != "doc_id"},
                "quantity": quantity,
                "cluster_id": "cl-fifty",
                **PROV,
            },
        ],
    )
    _jsonl(
        ann / "claims" / "101_mini.jsonl",
        [
            {
                "id": "101_mini:claim-001",
                **span("101_mini", "Etwa 50 Soldaten sind in Kursk"),
                "type": "quantity",
                "modality": "reportive",
                "source_ids": ["101_mini:src-001"],
                "cue": None,
                "quantity": {**quantity, "qualifier": "about"},
                "cluster_id": "cl-fifty",
                **PROV,
            },
        ],
    )
    (root / "README.md").write_text("---\n---\n# Mini dataset\n", encoding="utf-8")
    repo = Repo(root)
    build(repo)
    return repo


@pytest.fixture
def mini(tmp_path: Path) -> Repo:
    return make_mini_repo(tmp_path / "mini")
