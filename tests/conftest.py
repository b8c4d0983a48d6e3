"""Test set-up: offline Hugging Face, and a minimal two-document repository built from the real schemas."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from types import SimpleNamespace

import pytest

os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"
# datasets reads its cache location at import time: a fresh one per run, never the user's.
_HF_CACHE = tempfile.TemporaryDirectory(prefix="hf-datasets-cache-")  # removed when the test process exits
os.environ["HF_DATASETS_CACHE"] = _HF_CACHE.name

from dataset.cli import main  # noqa: E402
from dataset.derive.card import skeleton  # noqa: E402
from dataset.repo import Repo  # noqa: E402
from dataset.write.build import BLOCKS, build  # noqa: E402  (the environment above must be set before datasets is imported)

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


def write_repo(
    root: Path,
    seeds: dict[str, str],
    entities: list[dict],
    clusters: list[dict],
    spans: dict[str, dict[str, list[dict]]],
) -> Repo:
    """A dataset repository from its parts (spans: layer -> doc -> records), with the real schemas; then built."""
    shutil.copytree(ROOT / "schema", root / "schema")
    (root / "seeds").mkdir(parents=True)
    sums = []
    for doc, text in seeds.items():
        (root / "seeds" / f"{doc}.txt").write_bytes(text.encode("utf-8"))
        sums.append(f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}  {doc}.txt\n")
    (root / "seeds" / "SHA256SUMS").write_text("".join(sums), encoding="utf-8")
    ann = root / "annotations"
    _jsonl(
        ann / "documents.jsonl",
        [
            {
                "doc_id": doc,
                "language": "de",
                "headline": None,
                "outlet": None,
                "published": None,
                "url": None,
                "extraction": "web-page",
                "lineage": [],
                **PROV,
            }
            for doc in seeds
        ],
    )
    _jsonl(ann / "entities.jsonl", entities)
    _jsonl(ann / "clusters.jsonl", clusters)
    for layer in ("boilerplate", "sources", "claims"):
        for doc in seeds:
            _jsonl(ann / layer / f"{doc}.jsonl", spans.get(layer, {}).get(doc, []))
    (root / "README.md").write_text(skeleton("Test dataset", list(BLOCKS)), encoding="utf-8")
    repo = Repo(root)
    build(repo)
    return repo


def make_mini_repo(root: Path) -> Repo:
    """A small valid dataset that exercises every layer and cross-layer rule."""
    quantity = {"value": 50, "unit": "soldiers", "qualifier": "exact"}
    cue = {k: v for k, v in span("100_mini", "Laut").items() if k != "doc_id"}
    spans = {
        "boilerplate": {
            "100_mini": [
                {"id": "100_mini:bp-001", **span("100_mini", "Menü"), "category": "navigation", **PROV},
                {"id": "100_mini:bp-002", **span("100_mini", "Mehr lesen"), "category": "related-content", **PROV},
            ],
            "101_mini": [
                {"id": "101_mini:bp-001", **span("101_mini", "https://example.org/x"), "category": "link-list", **PROV}
            ],
        },
        "sources": {
            "100_mini": [{"id": "100_mini:src-001", **span("100_mini", "CNN"), "entity_id": "ent-cnn", **PROV}],
            "101_mini": [{"id": "101_mini:src-001", **span("101_mini", "Patel"), "entity_id": "ent-patel", **PROV}],
        },
        "claims": {
            "100_mini": [
                {
                    "id": "100_mini:claim-001",
                    **span("100_mini", "Laut CNN sind 50 Soldaten in Kursk"),
                    "type": "quantity",
                    "modality": "reportive",
                    "source_ids": ["100_mini:src-001"],
                    "cue": cue,
                    "quantity": quantity,
                    "cluster_id": "cl-fifty",
                    **PROV,
                },
            ],
            "101_mini": [
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
        },
    }
    entities = [
        {"id": "ent-cnn", "name": "CNN", "type": "outlet", "description": "US news network.", **PROV},
        {
            "id": "ent-patel",
            "name": "Vedant Patel",
            "type": "person",
            "description": "State Department spokesperson.",
            **PROV,
        },
    ]
    clusters = [
        {
            "id": "cl-fifty",
            "statement_de": "50 Soldaten sind in Kursk.",
            "statement_en": "50 soldiers are in Kursk.",
            "conflicts_with": [],
            **PROV,
        },
    ]
    return write_repo(root, MINI_SEEDS, entities, clusters, spans)


@pytest.fixture
def mini(tmp_path: Path) -> Repo:
    return make_mini_repo(tmp_path / "mini")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root by relative path, except git's own and the repository lock (dataset.lock)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and ".git" not in p.relative_to(root).parts and p.name != ".dataset.lock"
    }


def dataset_cli(repo: Repo, *args: str) -> SimpleNamespace:
    """Run the command line in-process (as `python -m dataset --root REPO ...`), capturing its output."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(["--root", str(repo.root), *args])
        except SystemExit as exit_:  # --help and usage errors exit through argparse
            code = exit_.code
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())
