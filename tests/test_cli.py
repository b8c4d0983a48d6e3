"""What a contributor sees: exit codes, output formats, and the missing-key trap of load_dataset."""

from __future__ import annotations

import json

import datasets

from dataset.check.run import validate
from dataset.repo import Repo
from dataset.write.build import build

from .conftest import dataset_cli
from .test_rules import edit, rows, write_rows

CLAIMS = "annotations/claims/100_mini.jsonl"


def test_all_problems_reported_in_one_run_with_nonzero_exit(mini: Repo) -> None:
    edit(mini.root / CLAIMS, 0, modality="maybe")
    edit(mini.root / "annotations/sources/101_mini.jsonl", 0, text="Patl")
    result = dataset_cli(mini, "validate")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{CLAIMS}:1: schema: modality: 'maybe' is not one of")
    assert lines[1].startswith("annotations/sources/101_mini.jsonl:1: span-text: text is not the seed's text")
    assert "Traceback" not in result.stderr


def test_github_format_is_workflow_commands(mini: Repo) -> None:
    edit(mini.root / CLAIMS, 0, modality="maybe")
    result = dataset_cli(mini, "validate", "--format", "github")
    assert result.returncode == 1
    assert result.stdout.startswith(f"::error file={CLAIMS},line=1,title=schema::{CLAIMS}:1: schema: ")


def test_json_format_is_machine_readable(mini: Repo) -> None:
    edit(mini.root / CLAIMS, 0, modality="maybe")
    problems = json.loads(dataset_cli(mini, "validate", "--format", "json").stdout)
    assert problems[0]["path"] == CLAIMS and problems[0]["line"] == 1 and problems[0]["rule"] == "schema"


def test_missing_key_is_caught_although_load_dataset_fills_null(mini: Repo) -> None:
    records = rows(mini.root / CLAIMS)
    del records[0]["note"]
    write_rows(mini.root / CLAIMS, records)
    assert datasets.load_dataset(str(mini.root), "claims")["test"].to_list()[0]["note"] is None
    problems = validate(mini).problems
    assert [(p.path, p.line, p.rule) for p in problems] == [(CLAIMS, 1, "schema")]
    assert "'note' is a required property" in problems[0].message


def test_load_dataset_never_serves_stale_rows_after_build(mini: Repo) -> None:
    assert datasets.load_dataset(str(mini.root), "boilerplate")["test"][0]["note"] is None
    edit(mini.root / "annotations/boilerplate/100_mini.jsonl", 0, note="changed")
    assert validate(mini).ok  # a stale card never makes data invalid
    assert [p.rule for p in build(mini, check=True)[0]] == ["card-stale"]
    build(mini)
    assert datasets.load_dataset(str(mini.root), "boilerplate")["test"][0]["note"] == "changed"


def test_build_refuses_invalid_data(mini: Repo) -> None:
    edit(mini.root / CLAIMS, 0, modality="maybe")
    result = dataset_cli(mini, "build")
    assert result.returncode == 1
    assert result.stdout.startswith(f"{CLAIMS}:1: schema: ")
    assert "Traceback" not in result.stderr


def test_build_is_idempotent_and_fixes_stale_files(mini: Repo) -> None:
    assert build(mini) == ([], [])
    edit(mini.root / "annotations/documents.jsonl", 0, headline="Neu")
    assert validate(mini).ok
    # the card's header digests the documents, and the corpus block lists their headlines
    assert [p.rule for p in build(mini, check=True)[0]] == ["generated-stale", "card-stale", "card-stale"]
    assert build(mini) == ([], [mini.generated_documents, mini.readme])
    assert build(mini, check=True) == ([], [])
