"""The shipped dataset: seeds intact, every layer valid, loadable with datasets exactly as the API builds it."""

from __future__ import annotations

import json
import subprocess
import sys

import datasets
import pytest

import dataset
from dataset.check.run import validate
from dataset.layers import LAYERS
from dataset.repo import Repo

from .conftest import ROOT


def _documents() -> list[str]:
    lines = (ROOT / "annotations/documents.jsonl").read_text(encoding="utf-8").split("\n")
    return [json.loads(line)["doc_id"] for line in lines if line]


def test_seed_digests_check_with_sha256sum() -> None:
    result = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=ROOT / "seeds", capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    checked = sorted(line.removesuffix(": OK") for line in result.stdout.splitlines())
    assert checked == sorted(f"{doc}.txt" for doc in _documents())  # every document's seed, and nothing else


def test_gitattributes_keep_seed_bytes() -> None:
    lines = (ROOT / ".gitattributes").read_text(encoding="utf-8").split("\n")
    assert "seeds/** -text" in lines


def test_shipped_dataset_is_valid() -> None:
    report = validate(Repo(ROOT))
    assert report.ok, "\n".join(p.text() for p in report.problems)
    for layer in LAYERS:
        assert report.counts[layer.name] > 0, layer.name


def test_cli_validate_prints_one_line_summary() -> None:
    result = subprocess.run([sys.executable, "-m", "dataset", "validate"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"valid: {len(_documents())} documents, ")
    assert result.stdout.count("\n") == 1


@pytest.mark.parametrize("config", [layer.name for layer in LAYERS])
def test_load_dataset_matches_python_api(config: str) -> None:
    from_hub_loader = datasets.load_dataset(str(ROOT), config)
    from_api = dataset.load_config(config, ROOT)
    assert list(from_hub_loader) == ["test"]
    assert from_hub_loader["test"].features == from_api["test"].features
    assert from_hub_loader["test"].to_list() == from_api["test"].to_list()


def test_documents_config_carries_full_text() -> None:
    documents = dataset.load_config("documents", ROOT)["test"]
    for row in documents:
        assert row["text"] == (ROOT / row["seed_file"]).read_bytes().decode("utf-8")
        assert row["length"] == len(row["text"])


def test_claims_resolve_to_their_sources_and_clusters() -> None:
    loaded = dataset.load(ROOT)
    mentions = {row["id"]: row for row in loaded["sources"]["test"]}
    clusters = {row["id"] for row in loaded["clusters"]["test"]}
    for claim in loaded["claims"]["test"]:
        assert all(mentions[m]["doc_id"] == claim["doc_id"] for m in claim["source_ids"])
        assert claim["cluster_id"] is None or claim["cluster_id"] in clusters
        assert (claim["quantity"] is not None) == (claim["type"] == "quantity")


def test_annotation_files_are_in_canonical_order() -> None:
    for layer in LAYERS:
        if layer.name == "documents":
            continue
        paths = (
            sorted((ROOT / "annotations" / layer.name).glob("*.jsonl"))
            if layer.is_span
            else [ROOT / "annotations" / f"{layer.name}.jsonl"]
        )
        for path in paths:
            records = [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]
            assert records == sorted(records, key=layer.sort_key), path


def test_readme_example_claim_is_a_record_of_the_dataset() -> None:
    """The card's example is copied from the data: a renamed cluster or a re-typed claim must not leave it stale."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = json.loads(readme.split("```json\n", 1)[1].split("```", 1)[0])
    path = ROOT / "annotations" / "claims" / f"{example['doc_id']}.jsonl"
    records = {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    record = records[example["id"]]
    shortened = example.pop("note")
    assert record["note"].startswith(shortened.removesuffix("...").rstrip())
    assert example == {key: record[key] for key in example}
