"""Hostile and broken contributions: each gets its exact rule id, and no command crashes, escapes or loses data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dataset.check.run import validate
from dataset.cli import main
from dataset.repo import Repo

from .conftest import dataset_cli, snapshot
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
    import runpy

    import dataset.read.limits

    values = runpy.run_path(dataset.read.limits.__file__)  # the values in force, not a test's patched ones
    text = (Path(__file__).resolve().parent.parent / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for name in ("MAX_FILE_BYTES", "MAX_LINE_CHARS", "MAX_DEPTH", "MAX_RECORDS"):
        assert str(values[name]) in text, name


# Data loss (hostile test, round two): each class of the issue, with its refusal or rule id.


def _cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dataset", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )


def test_concurrent_writers_both_land_with_distinct_ids(mini: Repo) -> None:
    """Two add runs at once: the lock serialises them, so each gets its own id and neither record is lost."""
    add = ["--root", str(mini.root), "add", "claims", "--doc", "101_mini", "--type", "event", "--modality", "asserted"]
    quotes = ["sagte Patel", "Etwa 50 Soldaten sind in Kursk"]
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "dataset", *add, "--quote", quote, "--annotated-by", f"w{i}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, quote in enumerate(quotes)
    ]
    results = [(run.wait(timeout=120), *run.communicate()) for run in runs]
    claims = rows(mini.root / "annotations/claims/101_mini.jsonl")
    added = [c for c in claims if c["annotated_by"] in {"w0", "w1"}]
    codes = [code for code, _, _ in results]
    # The second quote duplicates an existing claim's span, so that run is refused; the first must land either way.
    assert [c["text"] for c in added] == ["sagte Patel"], results
    assert sorted(codes) == [0, 1], results
    assert len({c["id"] for c in claims}) == len(claims)


def test_concurrent_adds_of_two_good_records_keep_both(mini: Repo) -> None:
    add = ["--root", str(mini.root), "add", "boilerplate", "--doc", "100_mini", "--category", "layout-artifact"]
    seed = mini.seed("100_mini")
    text = seed.read_text(encoding="utf-8")
    # Two new stray labels at the end of the seed, re-pinned, so two independent boilerplate records can be added.
    set_seed(mini, "100_mini", text + "Etikett Eins\nEtikett Zwei\n")
    assert main(["--root", str(mini.root), "build"]) == 0
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "dataset", *add, "--quote", quote, "--annotated-by", "w"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for quote in ("Etikett Eins", "Etikett Zwei")
    ]
    outputs = [(run.wait(timeout=120), *run.communicate()) for run in runs]
    assert [code for code, _, _ in outputs] == [0, 0], outputs
    records = rows(mini.root / BP0)
    assert {"Etikett Eins", "Etikett Zwei"} <= {r["text"] for r in records}
    assert len({r["id"] for r in records}) == len(records)


def test_a_writer_waits_for_the_lock_says_so_and_gives_up_cleanly(mini: Repo) -> None:
    from dataset.write.lock import repository_lock

    before = snapshot(mini.root)
    with repository_lock(mini):
        result = _cli(
            "--root", str(mini.root), "add", "sources", "--doc", "101_mini", "--quote", "Patel",
            "--entity-id", "ent-patel", "--annotated-by", "x", env={"DATASET_LOCK_TIMEOUT": "1"},
        )  # fmt: skip
    assert result.returncode == 2
    assert "waiting for another dataset command" in result.stderr
    assert ": lock: gave up after 1 s" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(mini.root) == before


def test_a_rollback_restores_only_what_its_own_run_wrote(mini: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """If a file this change wrote was changed again before the rollback, the rollback leaves it alone."""
    import dataset.write.store as store
    from dataset.problems import Problem
    from dataset.write.build import Built

    claims = mini.root / CLAIMS0
    original = claims.read_bytes()

    def check_then_interfere(repo: Repo) -> Built:
        claims.write_bytes(b'{"theirs": true}\n')  # after this change wrote its files, someone else rewrote one
        return Built([Problem(CLAIMS0, 1, "span-text", "made up")], [], [])

    monkeypatch.setattr(store, "check_and_build", check_then_interfere)
    with pytest.raises(store.ChangeRejectedError), store.transaction(mini) as writes:
        writes[claims] = original.decode("utf-8").replace("Kursk", "Kursk.", 1)
        writes[mini.root / SOURCES0] = (mini.root / SOURCES0).read_text(encoding="utf-8")
    assert claims.read_bytes() == b'{"theirs": true}\n'


def test_publish_never_replaces_a_folder_it_did_not_make(mini: Repo, tmp_path: Path) -> None:
    thesis = tmp_path / "thesis"
    (thesis / "data").mkdir(parents=True)
    for name, content in {"README.md": "# mine\n", "croissant.json": "{}\n", "thesis.txt": "years of work\n"}.items():
        (thesis / name).write_text(content, encoding="utf-8")
    (thesis / "data" / "results.csv").write_text("a,b\n", encoding="utf-8")
    before = snapshot(thesis)
    result = dataset_cli(mini, "publish", "--out", str(thesis))
    assert result.returncode == 1
    assert "publish-out" in result.stdout and "never replaced" in result.stdout
    assert snapshot(thesis) == before


def test_fmt_never_writes_a_number_the_reader_rejects(mini: Repo) -> None:
    claims = mini.root / CLAIMS0
    claims.write_text(claims.read_text(encoding="utf-8").replace('"value": 50', '"value": 1e400'), encoding="utf-8")
    before = claims.read_bytes()
    result = dataset_cli(mini, "fmt")
    assert result.returncode == 1 and ": json-number: " in result.stdout
    assert claims.read_bytes() == before and b"Infinity" not in claims.read_bytes()
    assert any(p.rule == "json-number" for p in validate(mini).problems)


@pytest.mark.parametrize("value", [float("inf"), float("nan"), "\ud800", {"nested": ["ok", "\udfff"]}])
def test_no_writer_emits_what_the_reader_rejects(value: object) -> None:
    from dataset.derive.canonical import UnwritableRecordError, json_line

    with pytest.raises(UnwritableRecordError):
        json_line({"value": value})


def test_reanchor_moves_the_stored_passes_too(mini: Repo) -> None:
    """Every stored span that points into the seed moves with it, so the figures computed from the passes hold."""
    for name in ("first-pass", "blind-pass"):
        for layer in ("boilerplate", "sources", "claims"):
            source = mini.root / f"{A}/{layer}/100_mini.jsonl"
            target = mini.root / f"{A}/review/{name}/{layer}/100_mini.jsonl"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    assert main(["--root", str(mini.root), "build"]) == 0
    figures_before = mini.readme.read_text(encoding="utf-8").split("generated:figures", 1)[1]
    seed = mini.seed("100_mini")
    seed.write_text("Vorspann. " + seed.read_text(encoding="utf-8"), encoding="utf-8")
    result = dataset_cli(mini, "reanchor", "--doc", "100_mini")
    assert result.returncode == 0, result.stdout + result.stderr
    text = seed.read_text(encoding="utf-8")
    for path in sorted((mini.root / A / "review").rglob("100_mini.jsonl")):
        for record in rows(path):
            assert text[record["start"] : record["end"]] == record["text"], path
    assert validate(mini).ok
    assert mini.readme.read_text(encoding="utf-8").split("generated:figures", 1)[1] == figures_before


def test_reanchor_refuses_when_a_stored_pass_cannot_move(mini: Repo) -> None:
    target = mini.root / f"{A}/review/first-pass/sources/100_mini.jsonl"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((mini.root / SOURCES0).read_bytes())
    before = snapshot(mini.root)
    seed = mini.seed("100_mini")
    seed.write_text(seed.read_text(encoding="utf-8").replace("CNN", "ZDF"), encoding="utf-8")
    result = dataset_cli(mini, "reanchor", "--doc", "100_mini")
    assert result.returncode == 1 and "review/first-pass/sources/100_mini.jsonl" in result.stdout
    after = snapshot(mini.root)
    assert {k: v for k, v in after.items() if not k.startswith("seeds/")} == {
        k: v for k, v in before.items() if not k.startswith("seeds/")
    }


def test_commands_act_on_the_repository_of_the_working_directory(mini: Repo, tmp_path: Path) -> None:
    """Run from another clone (or a subfolder of it), a command acts on that clone, never the installed one."""
    result = _cli("validate", cwd=mini.root)
    assert result.returncode == 0 and "valid: 2 documents" in result.stdout, result.stderr
    assert "using repository" not in result.stderr
    inside = _cli("validate", cwd=mini.root / "annotations" / "claims")
    assert inside.returncode == 0 and "valid: 2 documents" in inside.stdout
    assert f"using repository {mini.root.resolve()}" in inside.stderr
    nowhere = tmp_path / "empty"
    nowhere.mkdir()
    lost = _cli("validate", cwd=nowhere)
    assert lost.returncode == 2 and ": repository: no dataset repository" in lost.stderr
    assert "Traceback" not in lost.stderr
