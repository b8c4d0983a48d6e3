"""Regression tests for the findings of the independent code review: each once crashed, lied or lost data."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest

from dataset.check.run import validate
from dataset.layers import BY_NAME, CREDITS_CATEGORY, INTERRUPTING_CATEGORIES
from dataset.repo import Repo
from dataset.schemas import Schemas
from dataset.write.store import transaction

from .conftest import ROOT, dataset_cli
from .test_rules import CLAIMS0, SOURCES0, A, append, edit, rows, set_seed

CLAIMS1 = f"{A}/claims/101_mini.jsonl"


def test_add_fills_every_option_kind(mini: Repo) -> None:
    result = dataset_cli(
        mini, "add", "claims", "--doc", "101_mini", "--quote", "Soldaten sind in Kursk", "--type", "quantity",
        "--modality", "reportive", "--source-ids", "101_mini:src-001", "--cue", "sagte",
        "--quantity", '{"value": 50, "unit": "soldiers", "qualifier": "about"}', "--cluster-id", "cl-fifty",
        "--annotated-by", "c",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    added = rows(mini.root / CLAIMS1)[-1]
    assert added["cluster_id"] == "cl-fifty" and added["source_ids"] == ["101_mini:src-001"]
    assert added["cue"] == {"start": 32, "end": 37, "text": "sagte"}
    assert added["quantity"] == {"value": 50, "unit": "soldiers", "qualifier": "about"}
    second = dataset_cli(mini, "add", "sources", "--doc", "100_mini", "--quote", "in", "--occurrence", "2",
                         "--entity-id", "ent-cnn", "--annotated-by", "c")  # fmt: skip
    assert (second.returncode == 1 and "inside a word" not in second.stderr) or second.returncode == 0


@pytest.mark.parametrize(
    ("cue", "rule"),
    [({"start": 40, "end": 30, "text": "x"}, "span-order"), ({"start": 10, "end": 10**6, "text": "x"}, "span-bounds")],
)
def test_cue_offsets_are_checked(mini: Repo, cue: dict, rule: str) -> None:
    edit(mini.root / CLAIMS0, 0, cue=cue)
    assert (CLAIMS0, 1, rule) in {(p.path, p.line, p.rule) for p in validate(mini).problems}


def test_a_pinned_seed_that_is_not_utf8_is_an_encoding_problem_not_a_crash(mini: Repo) -> None:
    data = mini.seed("100_mini").read_bytes() + b"\xe9\n"
    mini.seed("100_mini").write_bytes(data)
    mini.digests.write_text(
        mini.digests.read_text().replace(mini.digests.read_text().split()[0], hashlib.sha256(data).hexdigest())
    )
    problems = validate(mini).problems
    assert [p.rule for p in problems if p.path == "seeds/100_mini.txt"] == ["encoding"]
    assert dataset_cli(mini, "validate").returncode == 1
    result = dataset_cli(mini, "reanchor", "--doc", "100_mini")
    assert result.returncode == 1 and "encoding" in result.stdout


@pytest.mark.parametrize("damage", ["{", None])
def test_a_broken_or_missing_schema_is_reported_not_a_traceback(mini: Repo, damage: str | None) -> None:
    path = mini.schema_dir / "claims.schema.json"
    if damage is None:
        path.unlink()
    else:
        path.write_text(damage, encoding="utf-8")
    for command in (["validate"], ["add", "--help"], ["fmt"]):
        result = subprocess.run(
            [sys.executable, "-m", "dataset", "--root", str(mini.root), *command],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert result.returncode == 2, command
        assert "schema/claims.schema.json:1: schema-file:" in result.stderr and "Traceback" not in result.stderr


def test_fmt_orders_records_with_malformed_offsets_without_crashing(mini: Repo) -> None:
    append(mini.root / SOURCES0, {**rows(mini.root / SOURCES0)[0], "id": "100_mini:src-002", "start": "8"})
    assert dataset_cli(mini, "fmt", "--check").returncode in (0, 1)
    assert dataset_cli(mini, "fmt").returncode == 0
    assert [r["id"] for r in rows(mini.root / SOURCES0)] == ["100_mini:src-001", "100_mini:src-002"]


def test_line_separators_inside_a_note_do_not_split_records(mini: Repo) -> None:
    note = "erste Zeile\u2028zweite\u2029dritte\u0085vierte"
    result = dataset_cli(mini, "add", "claims", "--doc", "101_mini", "--quote", "sagte Patel", "--type", "event",
                         "--modality", "asserted", "--annotated-by", "c", "--note", note)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert validate(mini).ok
    assert rows(mini.root / CLAIMS1)[-1]["note"] == note
    assert dataset_cli(mini, "stats").returncode == 0


def test_a_failing_change_is_rolled_back(mini: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    path = mini.root / CLAIMS0
    before = path.read_bytes()

    def explode(repo: Repo) -> None:
        raise RuntimeError("build failed")

    monkeypatch.setattr("dataset.write.store.check_and_build", explode)
    with pytest.raises(RuntimeError), transaction(mini, guard=False) as writes:
        writes[path] = path.read_text(encoding="utf-8") + ""
        writes[path] = before.decode("utf-8").replace("Laut CNN", "Laut CNN", 1)
    assert path.read_bytes() == before


def test_review_pass_files_are_validated_before_they_are_read(mini: Repo) -> None:
    folder = mini.annotations / "review" / "first-pass" / "claims"
    folder.mkdir(parents=True)
    (folder / "100_mini.jsonl").write_text("{oops\n", encoding="utf-8")
    problems = validate(mini).problems
    assert [(p.path, p.rule) for p in problems] == [(f"{A}/review/first-pass/claims/100_mini.jsonl", "json")]


def test_seed_file_is_derived_from_the_document_id(mini: Repo) -> None:
    row = json.loads(mini.generated_documents.read_text(encoding="utf-8").split("\n")[0])
    assert row["seed_file"] == f"seeds/{row['doc_id']}.txt"
    edit(mini.root / f"{A}/documents.jsonl", 0, seed_file="seeds/101_mini.txt")
    assert [p.rule for p in validate(mini).problems] == ["derived-field"]


def test_a_duplicated_id_reports_only_the_later_record(mini: Repo) -> None:
    append(mini.root / f"{A}/entities.jsonl", rows(mini.root / f"{A}/entities.jsonl")[0])
    hits = [p for p in validate(mini).problems if p.rule == "duplicate-id"]
    assert [(p.path, p.line) for p in hits] == [(f"{A}/entities.jsonl", 3)]


def test_one_changed_seed_reports_only_its_digest(mini: Repo) -> None:
    mini.seed("101_mini").write_text("Etwas anderes.\n", encoding="utf-8")
    assert [p.rule for p in validate(mini).problems] == ["seed-digest"]


def test_a_seed_over_the_limit_is_rejected_before_it_is_hashed(mini: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataset.read.corpus
    import dataset.read.limits

    monkeypatch.setattr(dataset.read.limits, "MAX_FILE_BYTES", 10)
    monkeypatch.setattr(dataset.read.corpus, "sha256_hex", lambda data: pytest.fail("hashed a file over the limit"))
    rules = {p.rule for p in validate(mini).problems}
    assert "file-too-large" in rules


def test_special_boilerplate_categories_are_in_the_schema() -> None:
    categories = set(Schemas(Repo(ROOT)).enum(BY_NAME["boilerplate"], "category"))
    assert INTERRUPTING_CATEGORIES | {CREDITS_CATEGORY} <= categories


def test_repo_accepts_a_string_path() -> None:
    assert Repo(str(ROOT)).readme == ROOT / "README.md"


def test_code_is_ruff_clean() -> None:
    for command in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run([sys.executable, "-m", "ruff", *command], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_a_missing_registry_file_is_a_problem_not_an_exception(mini: Repo) -> None:
    (mini.root / f"{A}/documents.jsonl").unlink()
    assert ("annotations-missing", f"{A}/documents.jsonl") in {(p.rule, p.path) for p in validate(mini).problems}


def test_seeds_that_change_are_rebuilt_into_the_documents_table(mini: Repo) -> None:
    set_seed(mini, "101_mini", mini.seed("101_mini").read_text(encoding="utf-8"))
    assert validate(mini).ok
