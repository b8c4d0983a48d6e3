"""Hostile and broken contributions: each gets its exact rule id, and no command crashes, escapes or loses data."""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from dataset.check.run import validate
from dataset.cli import main
from dataset.repo import Repo

from .conftest import dataset_cli, snapshot
from .test_rules import (  # noqa: F401  (_small_limits: the small limits apply here too)
    BP0,
    CASES,
    CLAIMS0,
    SOURCES0,
    A,
    _append_raw,
    _small_limits,
    append,
    bp,
    edit,
    rows,
    set_seed,
    write_rows,
)


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


def _append_to(relative: str, record: Callable[[Repo], dict]) -> Callable[[Repo], None]:
    def mutate(repo: Repo) -> None:
        append(repo.root / relative, record(repo))

    return mutate


def _id_with_newline(repo: Repo) -> dict:
    """A second entity whose id differs from the first only by a trailing newline ($ once matched before it)."""
    first = rows(repo.root / f"{A}/entities.jsonl")[0]
    return {**first, "id": first["id"] + "\n"}


def _boundary_case(extra: str, quote: str) -> Callable[[Repo], None]:
    """A new line in a seed (re-pinned), and a boilerplate span on `quote` whose end falls inside a character."""

    def mutate(repo: Repo) -> None:
        text = repo.seed("101_mini").read_text(encoding="utf-8") + extra
        set_seed(repo, "101_mini", text)
        append(repo.root / f"{A}/boilerplate/101_mini.jsonl", bp("101_mini", text, quote, "layout-artifact", 9))

    return mutate


def _cue_far_away_in_boilerplate(repo: Repo) -> None:
    """A cue more than a thousand characters after its claim, inside a promotion block."""
    text = repo.seed("100_mini").read_text(encoding="utf-8")
    block = "Anzeige: " + "Jetzt abonnieren und sparen. " * 40 + "Angebot laut Anbieter gültig."
    text += block + "\n"
    set_seed(repo, "100_mini", text)
    append(repo.root / BP0, bp("100_mini", text, block, "promotion", 9))
    cue = text.index("laut Anbieter")
    edit(repo.root / CLAIMS0, 0, cue={"start": cue, "end": cue + 4, "text": "laut"})


def _duplicate_conflict(repo: Repo) -> None:
    clusters = rows(repo.root / f"{A}/clusters.jsonl")
    other = {**clusters[0], "id": "cl-other", "conflicts_with": ["cl-fifty", "cl-fifty"]}
    clusters[0]["conflicts_with"] = ["cl-other"]
    write_rows(repo.root / f"{A}/clusters.jsonl", [*clusters, other])


def _folder_named_jsonl(relative: str) -> Callable[[Repo], None]:
    def mutate(repo: Repo) -> None:
        path = repo.root / relative
        if path.exists():
            path.unlink()
        path.mkdir(parents=True)

    return mutate


def _review_pass_with_a_folder(repo: Repo) -> None:
    for layer in ("boilerplate", "sources", "claims"):
        target = repo.root / f"{A}/review/first-pass/{layer}/101_mini.jsonl"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((repo.root / f"{A}/{layer}/101_mini.jsonl").read_bytes())
    (repo.root / f"{A}/review/first-pass/claims/100_mini.jsonl").mkdir()


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
    # Round two. Patterns match whole strings: a trailing newline is a schema error, not a second id.
    "ids differing only by a trailing newline": (
        _append_to(f"{A}/entities.jsonl", _id_with_newline),
        "schema",
        f"{A}/entities.jsonl",
        3,
    ),
    "agent with a trailing newline": (
        lambda r: edit(r.root / f"{A}/entities.jsonl", 0, annotated_by="tester\n"),
        "schema",
        f"{A}/entities.jsonl",
        1,
    ),
    "language with a trailing newline": (
        lambda r: edit(r.root / f"{A}/documents.jsonl", 0, language="de\n"),
        "schema",
        f"{A}/documents.jsonl",
        1,
    ),
    "date with a trailing newline": (
        lambda r: edit(r.root / f"{A}/documents.jsonl", 0, published="2024-11-14\n"),
        "schema",
        f"{A}/documents.jsonl",
        1,
    ),
    "date with a control character": (
        lambda r: edit(r.root / f"{A}/documents.jsonl", 0, published="2024-11\u001e"),
        "schema",
        f"{A}/documents.jsonl",
        1,
    ),
    "url with whitespace": (
        lambda r: edit(r.root / f"{A}/documents.jsonl", 0, url="https://example.org/a b"),
        "schema",
        f"{A}/documents.jsonl",
        1,
    ),
    "url with a control character": (
        lambda r: edit(r.root / f"{A}/documents.jsonl", 0, url="https://example.org/\u0000"),
        "schema",
        f"{A}/documents.jsonl",
        1,
    ),
    "url that is not one": (
        lambda r: edit(r.root / f"{A}/documents.jsonl", 0, url="https://\n<script>"),
        "schema",
        f"{A}/documents.jsonl",
        1,
    ),
    "cluster id with a line separator": (
        lambda r: edit(r.root / CLAIMS0, 0, cluster_id="cl-fifty\u2028"),
        "schema",
        CLAIMS0,
        1,
    ),
    # Internal errors where a rule id belongs.
    "invalid UTF-8 in seeds/SHA256SUMS": (
        _append_raw("seeds/SHA256SUMS", b"\xff\xfe  102_x.txt\n"),
        "encoding",
        "seeds/SHA256SUMS",
        3,
    ),
    "folder named *.jsonl under annotations/review/clusters/": (
        _folder_named_jsonl(f"{A}/review/clusters/k1.jsonl"),
        "not-a-file",
        f"{A}/review/clusters/k1.jsonl",
        1,
    ),
    "folder named *.jsonl in a stored pass": (
        _review_pass_with_a_folder,
        "not-a-file",
        f"{A}/review/first-pass/claims/100_mini.jsonl",
        1,
    ),
    "folder named *.jsonl in a span layer folder": (
        _folder_named_jsonl(f"{A}/sources/101_mini.jsonl"),
        "not-a-file",
        f"{A}/sources/101_mini.jsonl",
        1,
    ),
    # Misleading messages.
    "duplicate in conflicts_with": (_duplicate_conflict, "schema", f"{A}/clusters.jsonl", 2),
    "claim citing a mention whose note is malformed": (
        lambda r: edit(r.root / SOURCES0, 0, note=5),
        "schema",
        SOURCES0,
        1,
    ),
    "empty seed": reuse("seed-empty", "seeds/101_mini.txt", 1),
    # Character boundaries are extended grapheme clusters.
    "span splitting an emoji modifier sequence": (
        _boundary_case("Daumen \U0001f44d\U0001f3fd hoch.\n", "Daumen \U0001f44d"),
        "span-splits-character",
        f"{A}/boilerplate/101_mini.jsonl",
        2,
    ),
    "span splitting a variation selector": (
        _boundary_case("Herz \u2764\ufe0f hier.\n", "Herz \u2764"),
        "span-splits-character",
        f"{A}/boilerplate/101_mini.jsonl",
        2,
    ),
    "span splitting a ZWJ sequence": (
        _boundary_case("Familie \U0001f468\u200d\U0001f469\u200d\U0001f467 da.\n", "Familie \U0001f468"),
        "span-splits-character",
        f"{A}/boilerplate/101_mini.jsonl",
        2,
    ),
    "span splitting an Indic vowel sign": (
        _boundary_case("Sprache \u0939\u093f\u0928\u094d\u0926\u0940 hier.\n", "Sprache \u0939"),
        "span-splits-character",
        f"{A}/boilerplate/101_mini.jsonl",
        2,
    ),
    "cue a thousand characters away, in boilerplate": (
        _cue_far_away_in_boilerplate,
        "cue-outside-claim",
        CLAIMS0,
        1,
    ),
}

# Rules a catalogue case must NOT also produce: the misleading second message the hostile test found.
NOT_ALSO: dict[str, set[str]] = {
    "ids differing only by a trailing newline": {"duplicate-id"},
    "duplicate in conflicts_with": {"dangling-ref"},
    "claim citing a mention whose note is malformed": {"dangling-ref"},
    "empty seed": {"document-missing"},
    "invalid UTF-8 in seeds/SHA256SUMS": {"seed-unpinned", "internal-error"},
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
    assert not [p.text() for p in problems if p.rule in NOT_ALSO.get(name, set())]
    # fmt --check judges form only, so it may pass on canonical but invalid data; the others must refuse.
    for command, codes in (
        (["validate"], {1}),
        (["validate", "--format", "github"], {1}),
        (["build"], {1}),
        (["stats"], {0, 1} if path.startswith(f"{A}/review/") else {1}),  # stats reads the final annotation only
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
    """The command line in a fresh process, running this checkout's package from whatever working directory."""
    path = os.pathsep.join([str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "dataset", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": path.rstrip(os.pathsep), **(env or {})},
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


# Round two: the classes that are not one validator rule, each with its refusal and its proof of no damage.

ROOT = Path(__file__).resolve().parent.parent


def _schemas() -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "schema").glob("*.json"))}


def _nodes(node: object) -> list[dict]:
    """Every object in a schema document, nested ones included."""
    if isinstance(node, dict):
        return [node, *(n for value in node.values() for n in _nodes(value))]
    if isinstance(node, list):
        return [n for value in node for n in _nodes(value)]
    return []


def _classes_and_outside(pattern: str) -> tuple[list[str], str]:
    """The bodies of a pattern's character classes, and the pattern with them cut out."""
    classes, outside, i = [], [], 0
    while i < len(pattern):
        if pattern[i] == "\\":
            outside.append(pattern[i : i + 2])
            i += 2
        elif pattern[i] == "[":
            end = i + 1
            while pattern[end] != "]":
                end += 2 if pattern[end] == "\\" else 1
            classes.append(pattern[i + 1 : end])
            i = end + 1
        else:
            outside.append(pattern[i])
            i += 1
    return classes, "".join(outside)


def test_every_schema_pattern_is_an_anchored_whitelist() -> None:
    """A pattern names the characters it allows: anchored at both ends, no `.`, no negated class, no class
    escape (\\s, \\S, \\W, \\D, \\p), no escaped code point: so no control character or line break can match."""
    patterns = [
        (name, node["pattern"])
        for name, schema in _schemas().items()
        for node in _nodes(schema)
        if isinstance(node.get("pattern"), str)
    ]
    assert len(patterns) >= 10
    for name, pattern in patterns:
        assert pattern.startswith("^") and pattern.endswith("$"), (name, pattern)
        classes, outside = _classes_and_outside(pattern)
        assert "." not in outside.replace("\\.", ""), (name, pattern)
        for body in [*classes, outside]:
            assert not body.startswith("^") or body is outside, (name, pattern)
            assert not re.search(r"\\[sSwWdDpPxuc0-9]", body), (name, pattern)


def test_every_array_in_every_schema_has_max_items() -> None:
    for name, schema in _schemas().items():
        for node in _nodes(schema):
            kinds = node.get("type")
            if kinds == "array" or (isinstance(kinds, list) and "array" in kinds):
                assert isinstance(node.get("maxItems"), int), (name, node.get("description"))


def test_python_jsonschema_never_sees_more_items_than_the_schemas_allow(mini: Repo) -> None:
    """The messages for a refused record come from python-jsonschema, whose uniqueItems is slow on long arrays:
    it is given the record with every array cut just past the largest maxItems, and still names the fault."""
    from dataset.layers import BY_NAME
    from dataset.read.jsonl import Record
    from dataset.schemas import Schemas

    schemas = Schemas(mini)
    checker = schemas.checker(BY_NAME["clusters"])
    seen: list[int] = []
    slow = checker.slow

    class Spy:
        def iter_errors(self, instance: dict):
            seen.append(len(instance["conflicts_with"]))
            return slow.iter_errors(instance)

    checker.slow = Spy()  # type: ignore[assignment]  (a cached property: the instance's own value wins)
    record = rows(mini.root / f"{A}/clusters.jsonl")[0]
    for conflicts in (["cl-fifty"] * 5000, [f"cl-c{i}" for i in range(5000)]):
        findings = checker.check(Record("x", 1, {**record, "conflicts_with": conflicts}))
        assert findings and findings[0].message.startswith("conflicts_with: "), findings
    assert seen and max(seen) == schemas.max_items + 1


CARD_PAYLOADS = {
    "end marker": "CNN\n<!-- /generated:figures -->\n",
    "start marker": "<!-- generated:figures (python -m dataset build; do not edit) -->",
    "HTML": '<img src=x onerror="alert(1)"><script>alert(1)</script>',
    "Markdown": "[klick](javascript:alert(1)) **fett** `code` | Zelle | ~~x~~ ![bild](x.png)",
    "line starts": "# Titel\n---\n> Zitat\n- Punkt\n+ Punkt\n1. Punkt",
    "YAML fence": "\n---\nlicense: mit\n---\n",
    "control characters": "a\u0000b\u000bc\u001ed\u2028e\u0085f",
}


@pytest.mark.parametrize("payload", sorted(CARD_PAYLOADS))
def test_card_injection_through_a_document_outlet(mini: Repo, payload: str) -> None:
    """An outlet generated into the README can neither change its structure, nor make every build grow it, nor
    leave validate reporting it stale: build twice changes nothing the second time, and validate is green."""
    from dataset.derive.card import block_problems, split_card
    from dataset.write.build import BLOCKS

    edit(mini.root / f"{A}/documents.jsonl", 0, outlet=CARD_PAYLOADS[payload], headline=CARD_PAYLOADS[payload])
    structure = [line for line in mini.readme.read_text(encoding="utf-8").split("\n") if line.startswith("<!--")]
    first = dataset_cli(mini, "build")
    assert first.returncode == 0, first.stdout + first.stderr
    built = snapshot(mini.root)
    second = dataset_cli(mini, "build")
    assert second.returncode == 0 and snapshot(mini.root) == built, second.stdout
    assert dataset_cli(mini, "validate").returncode == 0
    assert dataset_cli(mini, "build", "--check").returncode == 0
    readme = mini.readme.read_text(encoding="utf-8")
    header, body = split_card(readme)
    assert block_problems(body, list(BLOCKS), "README.md", header.count("\n")) == []
    assert [line for line in readme.split("\n") if line.startswith("<!--")] == structure
    assert header.count("\n---\n") == 1 and "license: mit" not in header
    for raw in ("<img", "<script", "[klick](", "**fett**", "\n# Titel", "\u0000", "\u000b", "\u001e", "\u2028"):
        assert raw not in readme, raw
    stats = dataset_cli(mini, "stats")
    assert stats.returncode == 0 and "<img" not in stats.stdout and "<!-- /generated" not in stats.stdout


def _git(repo: Repo, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo.root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_diff_markdown_is_escaped(mini: Repo) -> None:
    """diff's Markdown reaches the CI job summary: every value in it is escaped, every line keeps its shape."""
    _git(mini, "init", "-q", "-b", "main")
    _git(mini, "add", "-A")
    _git(mini, "commit", "-qm", "base")
    _git(mini, "tag", "v<b>1")
    hostile = "<img src=x onerror=alert(1)>\n## Eingeschleust\n[x](javascript:alert(1)) | `a` **b**"
    edit(mini.root / f"{A}/entities.jsonl", 0, name=hostile, description=hostile)
    append(mini.root / f"{A}/entities.jsonl", {**rows(mini.root / f"{A}/entities.jsonl")[1], "id": "ent-x`<i>"})
    result = dataset_cli(mini, "diff", "v<b>1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[0].startswith("## Annotation changes v&lt;b>1 → working tree")
    assert all(line == "" or line.startswith(("## ", "### ", "- added ", "- removed ", "- changed ")) for line in lines)
    for raw in ("<img", "<i>", "<b>", "[x](", "**b**", "`a`", "\n## Eingeschleust"):
        assert raw not in result.stdout, raw
    assert "- changed `ent-cnn`: name: " in result.stdout and "- added `ent-x'&lt;i>`" in result.stdout


LINKED = {"generated documents": "annotations/generated/documents.jsonl", "README": "README.md"}
LINK_COMMANDS = {"validate": (["validate"], 1), "build --check": (["build", "--check"], 1), "build": (["build"], 1)}


@pytest.mark.parametrize("command", [*sorted(LINK_COMMANDS), "publish"])
@pytest.mark.parametrize("which", sorted(LINKED))
def test_a_generated_file_linked_outside_is_never_read_or_printed(
    mini: Repo, tmp_path: Path, which: str, command: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT\n", encoding="utf-8")
    linked = mini.root / LINKED[which]
    linked.unlink()
    linked.symlink_to(secret)
    before = snapshot(mini.root)
    args, code = LINK_COMMANDS.get(command, (["publish", "--out", str(tmp_path / "out")], 1))
    result = dataset_cli(mini, *args)
    output = result.stdout + result.stderr
    assert result.returncode == code, output
    assert f"{LINKED[which]}:1: symlink: " in output
    assert "TOP-SECRET" not in output and "Traceback" not in output and "internal-error" not in output
    assert linked.is_symlink() and secret.read_text(encoding="utf-8") == "TOP-SECRET-CONTENT\n"
    assert snapshot(mini.root) == before and not (tmp_path / "out").exists()


def test_every_file_read_goes_through_the_safe_reader() -> None:
    """No module opens a repository file by itself: reads go through read/files.SafeReader (package resources,
    and files a command built itself in a fresh folder, are listed with why)."""
    allowed = {
        "read/files.py": "the safe reader itself",
        "hub/values.py": "a resource of the datasets package",
        "report/site.py": "the report's own static assets (package data)",
        "hub/croissant.py": "Parquet files publish itself just wrote into its staging folder",
        "hub/publish.py": "publish's own marker in the output folder, after checking it is a regular file",
        "write/folder.py": "a command's own marker in its output folder, after checking it is a regular file",
        "benchmark.py": "the benchmark's synthetic corpus, which it built itself",
        "write/files.py": "writes only (the atomic file)",
        "read/stream.py": "the process's own thread names under /proc (whether it may fork its workers)",
    }
    reads = re.compile(r"(?<!reader)\.read_text\(|(?<!reader)\.read_bytes\(|(?<![\w.])open\(|\.open\(|fdopen\(")
    found = []
    for path in sorted((ROOT / "dataset").rglob("*.py")):
        rel = path.relative_to(ROOT / "dataset").as_posix()
        if rel in allowed or rel.startswith(("tools/", "benchmark/")):  # tools read the exports a user names
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            code = line.split("#", 1)[0]
            if reads.search(code) and "os.devnull" not in code and "SafeReader" not in code:
                found.append(f"{rel}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_nothing_contributed_is_executed() -> None:
    """No module evaluates, unpickles or shell-runs anything; YAML is read with the safe loader; every subprocess
    gets an argument list (never a shell), so no file name, revision or value becomes a command."""
    import ast

    forbidden = re.compile(
        r"(?<![\w.])(eval|exec|__import__)\(|\bpickle\b|\bmarshal\b|yaml\.(load|unsafe_load|full_load)\(|"
        r"os\.(system|popen|exec\w*)\(|shell\s*=\s*True"
    )
    found = []
    for path in sorted((ROOT / "dataset").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT).as_posix()
        found += [f"{rel}: {m.group(0)}" for m in forbidden.finditer(source)]
        for node in ast.walk(ast.parse(source)):
            func = getattr(node, "func", None)
            calls = {"run", "Popen", "call", "check_call", "check_output"}
            if isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "subprocess" and func.attr in calls:
                first = node.args[0] if node.args else None  # type: ignore[attr-defined]
                if not isinstance(first, ast.List):
                    found.append(f"{rel}:{node.lineno}: subprocess.{func.attr} without an argument list")
    assert not found, "\n".join(found)


def test_no_writer_writes_through_a_link(mini: Repo, tmp_path: Path) -> None:
    """A layer folder that is a link to a folder outside: every writer refuses, and nothing outside changes."""
    elsewhere = tmp_path / "claims-elsewhere"
    folder = mini.root / f"{A}/claims"
    folder.rename(elsewhere)
    folder.symlink_to(elsewhere)
    outside = {p.name: p.read_bytes() for p in elsewhere.iterdir()}
    before = snapshot(mini.root)
    add = ["add", "claims", "--doc", "101_mini", "--quote", "sagte Patel", "--type", "event"]
    for args in ([*add, "--modality", "asserted", "--annotated-by", "x"], ["fmt"], ["reanchor", "--doc", "100_mini"]):
        result = dataset_cli(mini, *args)
        assert result.returncode == 1, (args, result)
        assert f"{A}/claims:1: symlink: " in result.stdout + result.stderr, (args, result)
        assert "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in elsewhere.iterdir()} == outside
    assert snapshot(mini.root) == before and folder.is_symlink()


def test_security_policy_cites_tests_that_exist() -> None:
    """Every guarantee in .github/SECURITY.md names its tests, and every test it names exists."""
    policy = (ROOT / ".github/SECURITY.md").read_text(encoding="utf-8")
    guarantees = policy.split("## What is guaranteed", 1)[1].split("\n## ", 1)[0]
    bullets = [b for b in re.split(r"\n- ", guarantees) if b.strip().startswith("**")]
    assert len(bullets) >= 10
    for bullet in bullets:
        assert "Tests: `tests/" in bullet, bullet[:80]
    cited = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", policy)
    assert cited
    for file, name in cited:
        assert re.search(rf"^def {name}\(", (ROOT / file).read_text(encoding="utf-8"), re.M), f"{file}::{name}"


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_file_name_cannot_forge_a_problem_line_or_drive_the_terminal(mini: Repo, fmt: str) -> None:
    """A file named with a newline and a terminal escape: its problem is still one line, shown escaped."""
    name = "x\n::error file=README.md::forged\x1b[31m.jsonl"
    (mini.root / f"{A}/claims" / name).write_text("", encoding="utf-8")
    result = dataset_cli(mini, "validate", "--format", fmt)
    assert result.returncode == 1
    lines = result.stdout.strip("\n").split("\n")
    assert len(lines) == 1 and "document-unknown" in lines[0], lines
    assert "\x1b" not in result.stdout


def test_fmt_never_says_canonical_while_refusing_a_file(mini: Repo) -> None:
    broken = mini.root / CLAIMS0
    broken.write_text(broken.read_text(encoding="utf-8") + "{oops\n", encoding="utf-8")
    before = snapshot(mini.root)
    for args in (["fmt"], ["fmt", "--check"]):
        result = dataset_cli(mini, *args)
        assert result.returncode == 1 and f"{CLAIMS0}:2: json: " in result.stdout, result
        assert "all files canonical" not in result.stderr and "1 file(s) not read" in result.stderr, result.stderr
    assert snapshot(mini.root) == before


def test_a_failed_write_names_the_file_not_a_temporary_one(mini: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only folder (simulated: as root every folder is writable) is reported as the file to be written."""
    import tempfile

    import dataset.write.files

    def read_only(*args: object, dir: str, prefix: str, suffix: str) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", f"{dir}/{prefix}x1y2z3{suffix}")

    monkeypatch.setattr(dataset.write.files.tempfile, "mkstemp", read_only)
    before = snapshot(mini.root)
    result = dataset_cli(
        mini, "add", "sources", "--doc", "101_mini", "--quote", "Patel", "--entity-id", "ent-patel",
        "--annotated-by", "x",
    )  # fmt: skip
    assert result.returncode == 2, result
    assert f"{A}/sources/101_mini.jsonl:0: io: Permission denied" in result.stderr, result.stderr
    assert ".tmp" not in result.stderr and "x1y2z3" not in result.stderr and "Traceback" not in result.stderr
    assert snapshot(mini.root) == before
    monkeypatch.setattr(dataset.write.files.tempfile, "mkstemp", tempfile.mkstemp)
    (mini.root / "a-file").write_text("", encoding="utf-8")
    with pytest.raises(OSError) as raised:
        dataset.write.files.atomic_write(mini.root / "a-file" / "x.jsonl", "{}\n")
    assert ".tmp" not in str(raised.value)


def test_reanchor_refuses_when_the_digests_cannot_be_read(mini: Repo) -> None:
    """Rewriting an undecodable SHA256SUMS would drop every other seed's pin: reanchor refuses instead."""
    mini.digests.write_bytes(mini.digests.read_bytes() + b"\xff\n")
    seed = mini.seed("100_mini")
    seed.write_text("Vorspann. " + seed.read_text(encoding="utf-8"), encoding="utf-8")
    before = snapshot(mini.root)
    result = dataset_cli(mini, "reanchor", "--doc", "100_mini")
    assert result.returncode == 1 and "seeds/SHA256SUMS:3: encoding: " in result.stdout, result
    assert snapshot(mini.root) == before


# Denial of service inside the documented limits: the benchmark's worst cases, built at small sizes.


def _benchmark() -> ModuleType:
    """dataset/benchmark/hostile.py (loaded by path while dataset/benchmark.py is still a module; once the bench
    command's package is merged, `from dataset.benchmark import hostile` is the same module)."""
    try:
        return importlib.import_module("dataset.benchmark.hostile")
    except ImportError:
        spec = importlib.util.spec_from_file_location(
            "dataset_benchmark_hostile", ROOT / "dataset/benchmark/hostile.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module


def _run_case(case, monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    before = snapshot(case.root)
    result = dataset_cli(Repo(case.root), *case.argv)
    assert result.returncode == case.expect, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "internal-error" not in result.stdout + result.stderr
    assert snapshot(case.root) == before
    return result


def test_blank_lines_are_counted_not_collected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataset.problems import MAX_PER_FILE_AND_RULE

    case = _benchmark().blank_lines(Repo(ROOT), tmp_path / "blank", size=15_000)
    result = _run_case(case, monkeypatch)
    rel = "annotations/claims/000_hostile.jsonl"
    reported = [line for line in result.stdout.split("\n") if line.startswith(f"{rel}:")]
    left_out = [line for line in reported if ": blank-line: " in line and "left out" in line]
    assert len(reported) == MAX_PER_FILE_AND_RULE + 1 and len(left_out) == 1, reported[:3]
    total = (case.root / rel).read_bytes().count(b"\n") - 1  # every line but the record
    assert left_out[0].startswith(f"{rel}:0: blank-line: {total - MAX_PER_FILE_AND_RULE} more ")


def test_invalid_lines_are_refused_and_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = _benchmark().invalid_lines(Repo(ROOT), tmp_path / "invalid", size=15_000)
    result = _run_case(case, monkeypatch)
    assert "annotations/claims/000_hostile.jsonl:0: json: " in result.stdout and "more json problem(s)" in result.stdout


def test_claims_and_mentions_against_boilerplate_are_swept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every claim, cue and mention placed against every boilerplate span of one document (a sweep: n log n)."""
    import dataset.read.limits

    monkeypatch.setattr(dataset.read.limits, "MAX_FILE_BYTES", 1 << 20)
    monkeypatch.setattr(dataset.read.limits, "MAX_RECORDS", 1000)
    hostile = _benchmark()
    case = hostile.spans_against_boilerplate(Repo(ROOT), tmp_path / "spans", n=150)
    result = _run_case(case, monkeypatch)
    assert "150 boilerplate, 150 sources, 150 claims" in result.stdout
    # The same corpus with every claim moved into the boilerplate before it: each is found, none is missed.
    (claims,) = (case.root / "annotations/claims").glob("*.jsonl")
    boilerplate = rows(case.root / "annotations/boilerplate" / claims.name)
    inside = {"cue": None, "quantity": None, "type": "event"}
    spans = [{"start": bp["start"], "end": bp["end"], "text": bp["text"]} for bp in boilerplate]
    moved = [{**claim, **span, **inside} for claim, span in zip(rows(claims), spans, strict=True)]
    write_rows(claims, moved)
    problems = validate(Repo(case.root)).problems
    assert sum(p.rule == "claim-in-boilerplate" and p.line > 0 for p in problems) == 50  # the Sink keeps 50 ...
    assert any(p.line == 0 and p.rule == "claim-in-boilerplate" and "100 more" in p.message for p in problems)


def test_refused_records_are_worded_up_to_the_limit_and_counted_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataset.read.limits
    from dataset.problems import MAX_PER_FILE_AND_RULE

    monkeypatch.setattr(dataset.read.limits, "MAX_RECORDS", 1000)
    case = _benchmark().refused_records(Repo(ROOT), tmp_path / "refused", n=300)
    result = _run_case(case, monkeypatch)
    rel = "annotations/claims/000_hostile.jsonl"
    worded = [line for line in result.stdout.split("\n") if line.startswith(f"{rel}:") and ": schema: " in line]
    assert len(worded) == MAX_PER_FILE_AND_RULE + 1, worded[:3]
    assert f"{rel}:0: schema: {300 - MAX_PER_FILE_AND_RULE} more schema problem(s)" in result.stdout


def test_a_valid_record_with_a_float_never_reaches_the_slow_validator(mini: Repo) -> None:
    """Only an integral float (5.0) needs python-jsonschema's strict integers; 1.5 is judged alike by both."""
    from dataset.layers import BY_NAME
    from dataset.read.jsonl import parse_line
    from dataset.schemas import Schemas

    checker = Schemas(mini).checker(BY_NAME["claims"])
    checker.slow = None  # type: ignore[assignment]  (any use of the slow validator would fail)
    line = (mini.root / CLAIMS0).read_text(encoding="utf-8").split("\n")[0].replace('"value": 50', '"value": 50.5')
    record = parse_line(CLAIMS0, 1, line)
    assert record.floats and checker.valid(record)  # type: ignore[union-attr]


def test_long_arrays_are_refused_by_max_items(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = _benchmark().long_arrays(Repo(ROOT), tmp_path / "arrays", lines=3, chars=4_000)
    result = _run_case(case, monkeypatch)
    refused = [line for line in result.stdout.split("\n") if line.startswith("annotations/clusters.jsonl:")]
    assert [line.split(": ", 2)[1] for line in refused] == ["schema"] * 3, refused


# The CI workflow: every action pinned to a commit, no persisted credentials, and the zizmor audit clean.

WORKFLOW = ROOT / ".github/workflows/validate.yml"


def test_every_action_is_pinned_to_a_commit_and_checkout_keeps_no_credentials() -> None:
    import yaml

    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    uses = [step for step in steps if "uses" in step]
    assert len(uses) >= 3
    for step in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    for line in WORKFLOW.read_text(encoding="utf-8").split("\n"):
        if "uses:" in line:
            assert re.search(r"@[0-9a-f]{40}  # v\d+\.\d+\.\d+$", line), line  # the version the commit is
    checkout = [step for step in uses if step["uses"].startswith("actions/checkout@")]
    assert checkout and all(step["with"]["persist-credentials"] is False for step in checkout)
    assert any("zizmor" in step.get("run", "") for step in steps)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers and "pull_request_target" not in triggers
    assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in workflow["jobs"].values())


def test_zizmor_finds_nothing_in_the_workflow() -> None:
    zizmor = shutil.which("zizmor")
    if zizmor is None:
        pytest.skip("zizmor is not installed (pip install -e '.[test]' installs it)")
    result = subprocess.run([zizmor, "--offline", str(WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
