"""A contribution walked end to end in a temporary git repository: add, fmt, validate, diff; broken ones fail."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from dataset.cli import COMMANDS
from dataset.repo import Repo

from .conftest import dataset_cli, make_mini_repo, snapshot
from .test_rules import edit, rows, write_rows

CLAIMS = "annotations/claims/101_mini.jsonl"


def git(repo: Repo, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo.root), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def clone(tmp_path: Path) -> Repo:
    repo = make_mini_repo(tmp_path / "clone")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    return repo


def test_every_command_has_help(mini: Repo) -> None:
    listing = dataset_cli(mini, "--help")
    assert listing.returncode == 0 and "Traceback" not in listing.stderr, listing.stderr
    for name in COMMANDS:
        assert name in listing.stdout, name
    for name in COMMANDS:
        result = dataset_cli(mini, name, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout, name


def test_add_format_validate_diff(clone: Repo) -> None:
    added = dataset_cli(
        clone,
        "add",
        "claims",
        "--doc",
        "101_mini",
        "--quote",
        "sagte Patel",
        "--type",
        "event",
        "--modality",
        "asserted",
        "--annotated-by",
        "contributor-1",
        "--note",
        "speech act",
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith(f"{CLAIMS}:2: added 101_mini:claim-002 [32, 43) 'sagte Patel'")
    record = rows(clone.root / CLAIMS)[1]
    assert record["text"] == clone.seed("101_mini").read_text(encoding="utf-8")[record["start"] : record["end"]]
    assert record["review_status"] == "unreviewed" and record["reviewed_by"] is None
    assert dataset_cli(clone, "fmt", "--check").returncode == 0
    assert dataset_cli(clone, "validate").returncode == 0
    git(clone, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "add claim")
    diff = dataset_cli(clone, "diff", "HEAD~1", "HEAD")
    assert diff.returncode == 0
    assert "### claims: 1 added, 0 removed, 0 changed" in diff.stdout
    assert '- added `101_mini:claim-002`: "sagte Patel"' in diff.stdout


def test_add_ambiguous_or_missing_quote_is_a_clear_error_and_writes_nothing(clone: Repo) -> None:
    before = snapshot(clone.root)
    ambiguous = dataset_cli(
        clone, "add", "sources", "--doc", "100_mini", "--quote", "in", "--entity-id", "ent-cnn", "--annotated-by", "c"
    )
    assert ambiguous.returncode == 1
    assert (
        "seeds/100_mini.txt:3: anchor: --quote: quote occurs 2 times, at 3:11, 3:27 (line:column)" in ambiguous.stderr
    )
    assert "pass --occurrence 1..2" in ambiguous.stderr and ambiguous.stderr.endswith(
        "add: not written: the quote was not placed\n"
    )
    missing = dataset_cli(
        clone, "add", "sources", "--doc", "100_mini", "--quote", "BBC", "--entity-id", "ent-cnn", "--annotated-by", "c"
    )
    assert missing.returncode == 1 and "quote not found" in missing.stderr
    near = dataset_cli(
        clone,
        "add",
        "sources",
        "--doc",
        "100_mini",
        "--quote",
        "Laut NBC sind",
        "--entity-id",
        "ent-cnn",
        "--annotated-by",
        "c",
    )
    assert near.returncode == 1
    assert (
        'seeds/100_mini.txt:3: anchor: --quote: quote not found in the seed; nearest text at 3:1 is "Laut CNN sind"'
        in near.stderr
    )
    assert snapshot(clone.root) == before


def test_add_that_breaks_the_dataset_is_rolled_back(clone: Repo) -> None:
    before = snapshot(clone.root)
    result = dataset_cli(
        clone,
        "add",
        "boilerplate",
        "--doc",
        "100_mini",
        "--quote",
        "Menü",
        "--category",
        "navigation",
        "--annotated-by",
        "c",
    )
    assert result.returncode == 1
    assert "annotations/boilerplate/100_mini.jsonl:2: boilerplate-overlap:" in result.stderr
    assert snapshot(clone.root) == before


def test_fmt_is_idempotent_and_loses_no_field(clone: Repo) -> None:
    path = clone.root / "annotations/entities.jsonl"
    records = rows(path)
    scrambled = [dict(reversed(list(r.items()))) for r in reversed(records)]
    scrambled[0]["x_extra"] = {"kept": True}
    write_rows(path, scrambled)
    assert dataset_cli(clone, "fmt", "--check").stdout.startswith("annotations/entities.jsonl:1: fmt: ")
    assert dataset_cli(clone, "fmt").returncode == 0
    once = path.read_text(encoding="utf-8")
    assert dataset_cli(clone, "fmt").returncode == 0
    assert path.read_text(encoding="utf-8") == once
    formatted = [json.loads(line) for line in once.split("\n") if line]
    assert [r["id"] for r in formatted] == sorted(r["id"] for r in records)
    assert list(formatted[0])[:3] == ["id", "name", "type"]
    assert any(r.get("x_extra") == {"kept": True} for r in formatted)


def test_fmt_never_rewrites_a_file_it_cannot_parse(clone: Repo) -> None:
    path = clone.root / CLAIMS
    path.write_text(path.read_text(encoding="utf-8") + "{broken\n", encoding="utf-8")
    before = path.read_bytes()
    result = dataset_cli(clone, "fmt")
    assert result.returncode == 1 and f"{CLAIMS}:2: json: " in result.stdout
    assert path.read_bytes() == before


BROKEN = {
    "span-text": (lambda r: edit(r.root / CLAIMS, 0, start=1, end=31), CLAIMS, 1),
    "dangling-ref": (lambda r: edit(r.root / CLAIMS, 0, source_ids=["101_mini:src-009"]), CLAIMS, 1),
    "boilerplate-overlap": (
        lambda r: write_rows(
            r.root / "annotations/boilerplate/100_mini.jsonl",
            [
                *rows(r.root / "annotations/boilerplate/100_mini.jsonl"),
                {**rows(r.root / "annotations/boilerplate/100_mini.jsonl")[0], "id": "100_mini:bp-003"},
            ],
        ),
        "annotations/boilerplate/100_mini.jsonl",
        3,
    ),
}


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_broken_contribution_fails_with_exact_lines(clone: Repo, rule: str) -> None:
    mutate, path, line = BROKEN[rule]
    mutate(clone)
    text = dataset_cli(clone, "validate")
    assert text.returncode == 1
    assert any(out.startswith(f"{path}:{line}: {rule}: ") for out in text.stdout.splitlines()), text.stdout
    github = dataset_cli(clone, "validate", "--format", "github")
    assert github.returncode == 1
    assert any(
        out.startswith(f"::error file={path},line={line},title={rule}::{path}:{line}: {rule}: ")
        for out in github.stdout.splitlines()
    )


def test_reanchor_moves_spans_after_a_corrected_extraction(clone: Repo) -> None:
    seed = clone.seed("100_mini")
    seed.write_text("Menü\n\nEilmeldung. Laut CNN sind 50 Soldaten in Kursk. Mehr lesen\n", encoding="utf-8")
    assert any(
        p.startswith("seeds/SHA256SUMS:1: seed-digest:") for p in dataset_cli(clone, "validate").stdout.splitlines()
    )
    result = dataset_cli(clone, "reanchor", "--doc", "100_mini")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "span(s) moved" in result.stdout
    assert dataset_cli(clone, "validate").returncode == 0
    assert hashlib.sha256(seed.read_bytes()).hexdigest() in clone.digests.read_text(encoding="utf-8")


def test_reanchor_refuses_when_a_quote_vanished_and_writes_nothing(clone: Repo) -> None:
    clone.seed("100_mini").write_text("Menü\n\nLaut NBC sind 50 Soldaten in Kursk. Mehr lesen\n", encoding="utf-8")
    before = snapshot(clone.root)
    result = dataset_cli(clone, "reanchor", "--doc", "100_mini")
    assert result.returncode == 1
    assert "annotations/sources/100_mini.jsonl:1: reanchor: 100_mini:src-001: quote vanished" in result.stdout
    assert "annotations/claims/100_mini.jsonl:1: reanchor: 100_mini:claim-001: quote vanished" in result.stdout
    assert snapshot(clone.root) == before


def test_diff_of_an_unknown_revision_is_a_clear_error(clone: Repo) -> None:
    result = dataset_cli(clone, "diff", "no-such-rev")
    assert result.returncode == 2 and result.stderr.startswith("diff: ")


def test_stats_reports_counts_and_clusters(mini: Repo) -> None:
    result = dataset_cli(mini, "stats")
    assert result.returncode == 0
    assert "| `100_mini` | — | 2 | 1 | 1 | 1 |" in result.stdout
    assert "| `cl-fifty` | 2 | 2 | — |" in result.stdout
