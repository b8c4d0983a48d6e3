"""Hostile and broken contributions: each gets its exact rule id, and no command crashes, escapes or loses data."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from dataset.cli import main
from dataset.repo import Repo
from dataset.validate import validate

from .test_rules import BP0, CASES, CLAIMS0, SOURCES0, A, _small_limits, append, edit, rows, set_seed, write_rows  # noqa: F401


def _insert_line(relative: str, index: int, line: str) -> Callable[[Repo], None]:
    def mutate(repo: Repo) -> None:
        path = repo.root / relative
        lines = [line + "\n" for line in path.read_text(encoding="utf-8").split("\n") if line]
        lines.insert(index, line)
        path.write_text("".join(lines), encoding="utf-8")

    return mutate


def _duplicate_into_other_file(repo: Repo) -> None:
    append(repo.root / f"{A}/sources/101_mini.jsonl", rows(repo.root / SOURCES0)[0])


def _seed_with_crlf(repo: Repo) -> None:
    repo.seed("100_mini").write_bytes(repo.seed("100_mini").read_bytes().replace(b"\n", b"\r\n"))


def _seed_link(repo: Repo) -> None:
    target = repo.root.parent / "outside.txt"
    target.write_text("geheim\n", encoding="utf-8")
    (repo.seeds / "102_link.txt").symlink_to(target)


def _annotations_folder_link(repo: Repo) -> None:
    folder = repo.root / f"{A}/claims"
    folder.rename(repo.root.parent / "claims-elsewhere")
    folder.symlink_to(repo.root.parent / "claims-elsewhere")


def _seed_without_annotations(repo: Repo) -> None:
    set_seed(repo, "101_mini", repo.seed("101_mini").read_text(encoding="utf-8"))
    for layer in ("boilerplate", "sources", "claims"):
        (repo.root / f"{A}/{layer}/101_mini.jsonl").unlink()


def reuse(rule: str, path: str, line: int) -> tuple[Callable[[Repo], None], str, str, int]:
    """The mutation of a rule's own case in test_rules, under the catalogue's name."""
    return CASES[rule][0], rule, path, line


# name -> (mutation, rule, path, line): the catalogue of the hostile-input issue.
CATALOGUE: dict[str, tuple[Callable[[Repo], None], str, str, int | None]] = {
    "invalid JSON among good lines": (
        _insert_line(f"{A}/entities.jsonl", 1, '{"id": "ent-x",}\n'),
        "json",
        f"{A}/entities.jsonl",
        2,
    ),
    "empty line": (_insert_line(CLAIMS0, 0, "\n"), "blank-line", CLAIMS0, 1),
    "missing final newline": reuse("no-final-newline", CLAIMS0, 1),
    "byte-order mark": reuse("bom", SOURCES0, 1),
    "Windows line endings in an annotation file": reuse("crlf", SOURCES0, 1),
    "Windows line endings in a seed": (_seed_with_crlf, "seed-digest", "seeds/SHA256SUMS", 1),
    "invalid UTF-8 bytes": reuse("encoding", SOURCES0, 1),
    "decomposed (NFD) umlauts in a quote": reuse("span-normalization", BP0, 1),
    "duplicate keys in one object": reuse("json-duplicate-key", f"{A}/entities.jsonl", 3),
    "string offset": (lambda r: edit(r.root / SOURCES0, 0, start="8"), "schema", SOURCES0, 1),
    "float offset": (lambda r: edit(r.root / SOURCES0, 0, start=11.0), "schema", SOURCES0, 1),
    "boolean offset": (lambda r: edit(r.root / SOURCES0, 0, end=True), "schema", SOURCES0, 1),
    "null offset": (lambda r: edit(r.root / SOURCES0, 0, start=None), "schema", SOURCES0, 1),
    "negative span": (lambda r: edit(r.root / SOURCES0, 0, start=-3), "schema", SOURCES0, 1),
    "reversed span": (lambda r: edit(r.root / SOURCES0, 0, start=14, end=11), "span-order", SOURCES0, 1),
    "zero-length span": (lambda r: edit(r.root / SOURCES0, 0, end=11), "span-order", SOURCES0, 1),
    "out-of-range span": (lambda r: edit(r.root / SOURCES0, 0, end=5000), "span-bounds", SOURCES0, 1),
    "offset splitting a character and its combining mark": reuse(
        "span-splits-character", f"{A}/boilerplate/101_mini.jsonl", 2
    ),
    "offset inside a word": (
        lambda r: edit(r.root / SOURCES0, 0, start=12, text="NN"),
        "span-inside-word",
        SOURCES0,
        1,
    ),
    "enormous number": (lambda r: edit(r.root / SOURCES0, 0, end=10**30), "schema", SOURCES0, 1),
    "number with too many digits": (
        _insert_line(f"{A}/entities.jsonl", 2, '{"id": ' + "9" * 4400 + "}\n"),
        "json",
        f"{A}/entities.jsonl",
        3,
    ),
    "deeply nested value": reuse("json-too-deep", f"{A}/entities.jsonl", 3),
    "very long line": reuse("line-too-long", f"{A}/entities.jsonl", 3),
    "duplicate id across files": (_duplicate_into_other_file, "wrong-file", f"{A}/sources/101_mini.jsonl", 2),
    "record for an unknown document": (
        lambda r: edit(r.root / SOURCES0, 0, doc_id="999_ghost"),
        "wrong-file",
        SOURCES0,
        1,
    ),
    "annotation file for an unknown document": reuse("document-unknown", f"{A}/claims/999_ghost.jsonl", 1),
    "doc_id that leaves the repository": (
        lambda r: edit(r.root / f"{A}/documents.jsonl", 0, doc_id="../../etc"),
        "schema",
        f"{A}/documents.jsonl",
        1,
    ),
    "seed path written by hand (e.g. absolute)": (
        lambda r: edit(r.root / f"{A}/documents.jsonl", 0, seed_file="/etc/passwd"),
        "derived-field",
        f"{A}/documents.jsonl",
        1,
    ),
    "symlink in annotations/": reuse("symlink", f"{A}/claims/100_mini.jsonl", 1),
    "symlinked annotations folder": (_annotations_folder_link, "symlink", f"{A}/claims", 1),
    "symlink in seeds/": (_seed_link, "symlink", "seeds/102_link.txt", 1),
    "seed edited without updating its digest": reuse("seed-digest", "seeds/SHA256SUMS", 2),
    "seed added without annotations": (
        _seed_without_annotations,
        "annotations-missing",
        f"{A}/boilerplate/101_mini.jsonl",
        1,
    ),
    "new seed with no digest and no record": reuse("seed-unpinned", "seeds/102_extra.txt", 1),
    "entity nobody uses": reuse("unused-entity", f"{A}/entities.jsonl", 3),
    "cluster nobody uses": reuse("unused-cluster", f"{A}/clusters.jsonl", 2),
}


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_hostile_input_gets_its_rule_and_no_command_crashes(
    mini: Repo, name: str, capsys: pytest.CaptureFixture
) -> None:
    mutate, rule, path, line = CATALOGUE[name]
    mutate(mini)
    before = {p: p.read_bytes() for p in mini.root.rglob("*") if p.is_file() and not p.is_symlink()}
    problems = validate(mini).problems
    assert any(p.rule == rule and p.path == path and (line is None or p.line == line) for p in problems), "\n".join(
        p.text() for p in problems
    )
    # fmt --check judges form only, so it may pass on canonical but invalid data; the others must refuse.
    for command, codes in (
        (["validate"], {1}),
        (["validate", "--format", "github"], {1}),
        (["build"], {1}),
        (["stats"], {1}),
        (["fmt", "--check"], {0, 1}),
    ):
        code = main(["--root", str(mini.root), *command])
        out = capsys.readouterr()
        assert code in codes, (command, out.out, out.err)
        assert "Traceback" not in out.err and "internal-error" not in out.err, (command, out.err)
    assert {p: p.read_bytes() for p in before} == before, "a failing command changed a file"


def test_fmt_leaves_every_file_old_or_new_when_one_file_is_broken(mini: Repo) -> None:
    entities = mini.root / f"{A}/entities.jsonl"
    write_rows(entities, list(reversed(rows(entities))))
    broken = mini.root / CLAIMS0
    broken.write_text(broken.read_text(encoding="utf-8") + "{oops\n", encoding="utf-8")
    before = broken.read_bytes()
    assert main(["--root", str(mini.root), "fmt"]) == 1
    assert broken.read_bytes() == before
    assert [json.loads(line)["id"] for line in entities.read_text(encoding="utf-8").split("\n") if line] == [
        "ent-cnn",
        "ent-patel",
    ]


@pytest.mark.parametrize("doc", ["../escape", "/etc/passwd", "..", "UPPER"])
def test_document_ids_that_leave_the_repository_are_refused(
    mini: Repo, doc: str, capsys: pytest.CaptureFixture
) -> None:
    add = ["add", "sources", "--doc", doc, "--quote", "CNN", "--entity-id", "ent-cnn", "--annotated-by", "x"]
    assert main(["--root", str(mini.root), *add]) == 2
    assert main(["--root", str(mini.root), "reanchor", "--doc", doc]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_contributing_documents_the_limits_in_force() -> None:
    import dataset.limits

    text = (Path(__file__).resolve().parent.parent / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for name in ("MAX_FILE_BYTES", "MAX_LINE_CHARS", "MAX_DEPTH", "MAX_RECORDS"):
        assert str(getattr(dataset.limits, name)) in text, name
