"""Every validation rule fires on a minimal broken fixture, at the right file and line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from dataset.check.run import validate
from dataset.repo import Repo
from dataset.write.build import build


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def write_rows(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def edit(path: Path, index: int, **changes) -> None:
    records = rows(path)
    records[index].update(changes)
    write_rows(path, records)


def append(path: Path, record: dict) -> None:
    write_rows(path, [*rows(path), record])


def bp(doc: str, text: str, quote: str, category: str, number: int) -> dict:
    start = text.index(quote)
    return {
        "id": f"{doc}:bp-{number:03d}",
        "doc_id": doc,
        "start": start,
        "end": start + len(quote),
        "text": quote,
        "category": category,
        "annotated_by": "t",
        "reviewed_by": None,
        "review_status": "unreviewed",
        "note": None,
    }


def seed_text(repo: Repo, doc: str) -> str:
    return repo.seed(doc).read_text(encoding="utf-8")


A = "annotations"
CLAIMS0 = f"{A}/claims/100_mini.jsonl"
SOURCES0 = f"{A}/sources/100_mini.jsonl"
BP0 = f"{A}/boilerplate/100_mini.jsonl"


def _add_bp(quote: str, category: str) -> Callable[[Repo], None]:
    def mutate(repo: Repo) -> None:
        append(repo.root / BP0, bp("100_mini", seed_text(repo, "100_mini"), quote, category, 9))

    return mutate


def _new_seed(pin: bool) -> Callable[[Repo], None]:
    def mutate(repo: Repo) -> None:
        (repo.seeds / "102_extra.txt").write_text("Neu.\n", encoding="utf-8")
        if pin:
            import hashlib

            digest = hashlib.sha256(b"Neu.\n").hexdigest()
            with repo.digests.open("a", encoding="utf-8") as handle:
                handle.write(f"{digest}  102_extra.txt\n")

    return mutate


def _readme_header(repo: Repo) -> None:
    text = repo.readme.read_text(encoding="utf-8")
    repo.readme.write_text(text.replace("config_name: claims", "config_name: claimz", 1), encoding="utf-8")


def _append_raw(relative: str, raw: bytes) -> Callable[[Repo], None]:
    def mutate(repo: Repo) -> None:
        with (repo.root / relative).open("ab") as handle:
            handle.write(raw)

    return mutate


def _prepend_raw(relative: str, raw: bytes) -> Callable[[Repo], None]:
    def mutate(repo: Repo) -> None:
        path = repo.root / relative
        path.write_bytes(raw + path.read_bytes())

    return mutate


def _strip_final_newline(repo: Repo) -> None:
    path = repo.root / CLAIMS0
    path.write_bytes(path.read_bytes().rstrip(b"\n"))


def _symlink(repo: Repo) -> None:
    (repo.root / f"{A}/claims/100_mini.jsonl").unlink()
    (repo.root / f"{A}/claims/100_mini.jsonl").symlink_to("/etc/hostname")


def _prediction_without_metadata(repo: Repo) -> None:
    """A committed prediction folder (annotations/predictions/<name>/) that does not say which system made it."""
    folder = repo.annotations / "predictions" / "sys" / "claims"
    folder.mkdir(parents=True)
    (folder / "100_mini.jsonl").write_text("", encoding="utf-8")


def set_seed(repo: Repo, doc: str, text: str) -> None:
    """Replace a seed and pin its digest, as a contributor who corrected it would."""
    import hashlib

    repo.seed(doc).write_text(text, encoding="utf-8")
    lines = [
        f"{hashlib.sha256(text.encode()).hexdigest()}  {doc}.txt" if line.endswith(f"  {doc}.txt") else line
        for line in repo.digests.read_text(encoding="utf-8").split("\n")
        if line
    ]
    repo.digests.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from dataset.write.build import build

    build(repo)


def _combining_seed(quote: str) -> Callable[[Repo], None]:
    def mutate(repo: Repo) -> None:
        text = seed_text(repo, "101_mini") + "Cafe\u0301 hier.\n"
        set_seed(repo, "101_mini", text)
        append(repo.root / f"{A}/boilerplate/101_mini.jsonl", bp("101_mini", text, quote, "layout-artifact", 9))

    return mutate


def _nfd_quote(repo: Repo) -> None:
    import unicodedata

    edit(repo.root / BP0, 0, text=unicodedata.normalize("NFD", "Menü"))


def _nfd_seed(repo: Repo) -> None:
    """An umlaut as a letter and a combining mark, on the seed's third line (pinned, so only NFC is wrong)."""
    set_seed(repo, "101_mini", seed_text(repo, "101_mini") + "Mu\u0308nchen\n")


def _break_schema(repo: Repo) -> None:
    (repo.schema_dir / "entities.schema.json").write_text("{", encoding="utf-8")


def _bad_clustering(repo: Repo) -> None:
    folder = repo.annotations / "review" / "clusters"
    folder.mkdir(parents=True)
    (folder / "k1.jsonl").write_text('{"claim_id": "100_mini:claim-001"}\n', encoding="utf-8")


def _lone_surrogate_note(repo: Repo) -> None:
    """JSON may spell a lone surrogate as an escape; the file itself is valid UTF-8."""
    path = repo.root / CLAIMS0
    path.write_text(path.read_text(encoding="utf-8").replace('"note": null', '"note": "\\ud800"', 1), encoding="utf-8")


def _folder_for_file(repo: Repo) -> None:
    path = repo.root / CLAIMS0
    path.unlink()
    path.mkdir()


def _far_cue(repo: Repo) -> None:
    """A cue in the next sentence, inside page furniture ("Mehr lesen"), a long way from its claim."""
    text = seed_text(repo, "100_mini")
    start = text.index("Mehr")
    edit(repo.root / CLAIMS0, 0, cue={"start": start, "end": start + 4, "text": "Mehr"})


def _unclosed_block(repo: Repo) -> None:
    repo.readme.write_text(repo.readme.read_text(encoding="utf-8").replace("<!-- /generated:figures -->\n", ""))


# Rules of the build's check (build --check, and validate's summary): derived files against what the build makes.
BUILD_CASES: dict[str, tuple[Callable[[Repo], None], str, int | None]] = {
    "generated-stale": (
        lambda r: edit(r.root / f"{A}/documents.jsonl", 0, headline="Neu"),
        f"{A}/generated/documents.jsonl",
        1,
    ),
    "card-stale": (_readme_header, "README.md", None),
    "card-block": (
        lambda r: r.readme.write_text(
            r.readme.read_text(encoding="utf-8").replace("<!-- /generated:figures -->\n", "")
        ),
        "README.md",
        None,
    ),
}


# Small limits for the tests, so a hostile file is cheap to make.
LIMITS = {"MAX_FILE_BYTES": 20_000, "MAX_LINE_CHARS": 5000, "MAX_RECORDS": 3}

# rule id -> (mutation, path of the expected problem, line of the expected problem)
CASES: dict[str, tuple[Callable[[Repo], None], str, int]] = {
    "encoding": (lambda r: (r.root / SOURCES0).write_bytes(b'{"id": "\xff"}\n'), SOURCES0, 1),
    "json": (lambda r: (r.root / f"{A}/entities.jsonl").open("a").write("{not json\n"), f"{A}/entities.jsonl", 3),
    "json-duplicate-key": (
        lambda r: (r.root / f"{A}/entities.jsonl").open("a").write('{"id": "ent-x", "id": "ent-y"}\n'),
        f"{A}/entities.jsonl",
        3,
    ),
    "schema": (lambda r: edit(r.root / CLAIMS0, 0, modality="maybe"), CLAIMS0, 1),
    "duplicate-id": (
        lambda r: append(r.root / f"{A}/entities.jsonl", rows(r.root / f"{A}/entities.jsonl")[0]),
        f"{A}/entities.jsonl",
        3,
    ),
    "span-order": (lambda r: edit(r.root / BP0, 0, end=0, start=0), BP0, 1),
    "span-bounds": (lambda r: edit(r.root / BP0, 1, end=10_000), BP0, 2),
    "dangling-ref": (lambda r: edit(r.root / SOURCES0, 0, entity_id="ent-nobody"), SOURCES0, 1),
    "span-text": (lambda r: edit(r.root / SOURCES0, 0, text="NBC"), SOURCES0, 1),
    "span-whitespace": (lambda r: edit(r.root / BP0, 0, end=5, text="Menü\n"), BP0, 1),
    "id-prefix": (lambda r: edit(r.root / CLAIMS0, 0, id="101_mini:claim-001"), CLAIMS0, 1),
    "wrong-file": (lambda r: edit(r.root / SOURCES0, 0, doc_id="101_mini"), SOURCES0, 1),
    "boilerplate-overlap": (_add_bp("nü\n\nLaut", "navigation"), BP0, 3),
    "claim-boilerplate-overlap": (_add_bp("Soldaten", "navigation"), CLAIMS0, 1),
    "claim-in-boilerplate": (_add_bp("Laut CNN sind 50 Soldaten in Kursk.", "promotion"), CLAIMS0, 1),
    "mention-placement": (_add_bp("CNN sind", "navigation"), SOURCES0, 1),
    "unused-entity": (
        lambda r: append(
            r.root / f"{A}/entities.jsonl", {**rows(r.root / f"{A}/entities.jsonl")[0], "id": "ent-unused"}
        ),
        f"{A}/entities.jsonl",
        3,
    ),
    "unused-cluster": (
        lambda r: append(
            r.root / f"{A}/clusters.jsonl", {**rows(r.root / f"{A}/clusters.jsonl")[0], "id": "cl-unused"}
        ),
        f"{A}/clusters.jsonl",
        2,
    ),
    "cluster-single-document": (
        lambda r: edit(r.root / f"{A}/claims/101_mini.jsonl", 0, cluster_id=None),
        f"{A}/clusters.jsonl",
        1,
    ),
    "conflict-asymmetric": (
        lambda r: edit(r.root / f"{A}/clusters.jsonl", 0, conflicts_with=["cl-fifty"]),
        f"{A}/clusters.jsonl",
        1,
    ),
    "document-unknown": (
        lambda r: (r.root / f"{A}/claims/999_ghost.jsonl").write_text(""),
        f"{A}/claims/999_ghost.jsonl",
        1,
    ),
    "annotations-missing": (
        lambda r: (r.root / f"{A}/boilerplate/101_mini.jsonl").unlink(),
        f"{A}/boilerplate/101_mini.jsonl",
        1,
    ),
    "document-missing": (_new_seed(pin=True), "seeds/102_extra.txt", 1),
    "derived-field": (lambda r: edit(r.root / f"{A}/documents.jsonl", 0, length=3), f"{A}/documents.jsonl", 1),
    "seed-digest": (
        lambda r: r.seed("101_mini").write_text("Etwas anderes.\n", encoding="utf-8"),
        "seeds/SHA256SUMS",
        2,
    ),
    "seed-unpinned": (_new_seed(pin=False), "seeds/102_extra.txt", 1),
    "seed-missing": (lambda r: r.digests.open("a").write(f"{'0' * 64}  103_gone.txt\n"), "seeds/SHA256SUMS", 3),
    "digest-format": (lambda r: r.digests.open("a").write("not a digest line\n"), "seeds/SHA256SUMS", 3),
    "json-number": (_append_raw(f"{A}/entities.jsonl", b'{"id": 1e400}\n'), f"{A}/entities.jsonl", 3),
    "lone-surrogate": (_lone_surrogate_note, CLAIMS0, 1),
    "not-a-file": (_folder_for_file, f"{A}/claims/100_mini.jsonl", 1),
    "seed-empty": (lambda r: set_seed(r, "101_mini", ""), "seeds/101_mini.txt", 1),
    "cue-outside-claim": (_far_cue, CLAIMS0, 1),
    "blank-line": (_append_raw(f"{A}/entities.jsonl", b"\n"), f"{A}/entities.jsonl", 3),
    "no-final-newline": (_strip_final_newline, CLAIMS0, 1),
    "bom": (_prepend_raw(SOURCES0, b"\xef\xbb\xbf"), SOURCES0, 1),
    "crlf": (
        lambda r: (r.root / SOURCES0).write_bytes((r.root / SOURCES0).read_bytes().replace(b"\n", b"\r\n")),
        SOURCES0,
        1,
    ),
    "symlink": (_symlink, f"{A}/claims/100_mini.jsonl", 1),
    "file-too-large": (lambda r: (r.root / SOURCES0).write_bytes(b" " * (LIMITS["MAX_FILE_BYTES"] + 1)), SOURCES0, 1),
    "line-too-long": (
        _append_raw(f"{A}/entities.jsonl", b'{"id": "' + b"x" * LIMITS["MAX_LINE_CHARS"] + b'"}\n'),
        f"{A}/entities.jsonl",
        3,
    ),
    "json-too-deep": (
        _append_raw(f"{A}/entities.jsonl", b'{"id": ' + b"[" * 40 + b"]" * 40 + b"}\n"),
        f"{A}/entities.jsonl",
        3,
    ),
    "too-many-records": (_append_raw(f"{A}/entities.jsonl", b"{}\n" * 3), f"{A}/entities.jsonl", 4),
    "span-normalization": (_nfd_quote, BP0, 1),
    "span-inside-word": (_combining_seed("Caf"), f"{A}/boilerplate/101_mini.jsonl", 2),
    "span-splits-character": (_combining_seed("Cafe"), f"{A}/boilerplate/101_mini.jsonl", 2),
    "schema-file": (_break_schema, "schema/entities.schema.json", 1),
    "review-file": (_bad_clustering, f"{A}/review/clusters/k1.jsonl", 1),
    "duplicate-span": (
        lambda r: append(r.root / SOURCES0, {**rows(r.root / SOURCES0)[0], "id": "100_mini:src-002"}),
        SOURCES0,
        2,
    ),
    "cue-is-mention": (lambda r: edit(r.root / CLAIMS0, 0, cue={"start": 11, "end": 14, "text": "CNN"}), CLAIMS0, 1),
    "prediction-metadata": (_prediction_without_metadata, f"{A}/predictions/sys/system.jsonl", 0),
    "seed-bom": (lambda r: set_seed(r, "101_mini", "\ufeff" + seed_text(r, "101_mini")), "seeds/101_mini.txt", 1),
    "seed-line-ending": (
        lambda r: set_seed(r, "101_mini", seed_text(r, "101_mini").replace("\n", "\r\n")),
        "seeds/101_mini.txt",
        1,
    ),
    "seed-not-nfc": (_nfd_seed, "seeds/101_mini.txt", 3),
}


@pytest.fixture(autouse=True)
def _small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataset.read.limits

    for name, value in LIMITS.items():
        monkeypatch.setattr(dataset.read.limits, name, value)


def test_every_validator_rule_has_a_case() -> None:
    from dataset.check.engine import REGISTERED
    from dataset.rules import READING, SEEDS, SHAPE, SPANS, TABLES

    registered = {rule.id for rules in REGISTERED.values() for rule in rules}
    assert registered <= set(CASES)
    assert {*READING, *SHAPE, *TABLES, *SEEDS, *SPANS} - {"io", "outside-repository"} <= set(CASES)


@pytest.mark.parametrize("rule", sorted(BUILD_CASES))
def test_build_rule_fires(mini: Repo, rule: str) -> None:
    mutate, path, line = BUILD_CASES[rule]
    mutate(mini)
    assert validate(mini).ok  # the data stays valid: a stale file is the build's business, never the validator's
    problems, _ = build(mini, check=True)
    hits = [p for p in problems if p.rule == rule and p.path == path and (line is None or p.line == line)]
    assert hits, f"expected {path}:{line}: {rule}; got:\n" + "\n".join(p.text() for p in problems)


def test_mini_repository_is_valid(mini: Repo) -> None:
    report = validate(mini)
    assert report.problems == []
    assert report.summary() == "valid: 2 documents, 2 entities, 1 clusters, 3 boilerplate, 2 sources, 2 claims"


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fires(mini: Repo, rule: str) -> None:
    mutate, path, line = CASES[rule]
    mutate(mini)
    problems = validate(mini).problems
    hits = [p for p in problems if p.rule == rule and p.path == path and (line is None or p.line == line)]
    assert hits, f"expected {path}:{line}: {rule}; got:\n" + "\n".join(p.text() for p in problems)
    text = hits[0].text()
    assert text.startswith(f"{path}:{hits[0].line}: {rule}: ")
    assert "(expected " in text and "; found " in text
