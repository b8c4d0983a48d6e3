"""new-document: a text becomes a valid document in one step, or is refused with the seed rules' ids and no change."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import dataset.write.store
from dataset.check.run import validate
from dataset.commands.new_document import document_id, next_number
from dataset.repo import Repo

from .conftest import MINI_SEEDS, dataset_cli, snapshot
from .test_add import refused

TEXT = "Eilmeldung\n\nLaut Kiew sind 60 Soldaten in Kursk.\n"
OPTIONS = ["--language", "de", "--extraction", "web-page", "--annotated-by", "contributor-1"]


def new_document(repo: Repo, path: Path, *options: str):
    return dataset_cli(repo, "new-document", str(path), *OPTIONS, *options)


def test_a_text_becomes_a_valid_document(mini: Repo, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    result = new_document(mini, path, "--headline", "Eilmeldung", "--lineage", "translated-from:CNN")
    assert result.returncode == 0, result.stderr
    doc = result.stdout.strip()  # the id, and only the id, on stdout
    digest = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    assert doc == f"102_{digest[:16]}"  # the next number after 101_mini, and the text's digest
    assert mini.seed(doc).read_bytes() == path.read_bytes()
    assert mini.digests.read_text(encoding="utf-8").endswith(f"{digest}  {doc}.txt\n")
    record = json.loads((mini.annotations / "documents.jsonl").read_text(encoding="utf-8").split("\n")[-2])
    assert record == {
        "doc_id": doc,
        "language": "de",
        "headline": "Eilmeldung",
        "outlet": None,
        "published": None,
        "url": None,
        "extraction": "web-page",
        "lineage": [{"relation": "translated-from", "outlet": "CNN"}],
        "annotated_by": "contributor-1",
        "reviewed_by": None,
        "review_status": "unreviewed",
        "note": None,
    }
    for layer in ("boilerplate", "sources", "claims"):
        assert (mini.annotations / layer / f"{doc}.jsonl").read_bytes() == b""
    assert validate(mini).ok
    assert f"`{doc}`" in mini.readme.read_text(encoding="utf-8")  # rebuilt: the README lists it
    assert "annotate it with: python -m dataset add LAYER --doc " + doc in result.stderr


def test_document_ids_follow_the_convention() -> None:
    assert next_number([]) == 0
    assert next_number(["000_a", "004_b", "zz-unnumbered"]) == 5
    assert next_number(["999_a"]) == 1000  # more digits once past 999
    assert document_id(7, b"x") == "007_" + hashlib.sha256(b"x").hexdigest()[:16]


SEED_RULES = {
    "not UTF-8": (b"Gr\xfc\xdfe\n", "encoding", 1),
    "empty": (b"", "seed-empty", 1),
    "byte-order mark": (b"\xef\xbb\xbf" + TEXT.encode(), "seed-bom", 1),
    "Windows line endings": (TEXT.replace("\n", "\r\n").encode(), "seed-line-ending", 1),
    "old Mac line endings": (b"Erste Zeile\nzweite\rdritte\n", "seed-line-ending", 2),
    "not NFC": ("Titel\nMu\u0308nchen\n".encode(), "seed-not-nfc", 2),
}


@pytest.mark.parametrize("case", sorted(SEED_RULES))
def test_what_the_seed_rules_refuse_is_refused(mini: Repo, tmp_path: Path, case: str) -> None:
    data, rule, line = SEED_RULES[case]
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    before = snapshot(mini.root)
    result = new_document(mini, path)
    refused(mini, before, result, 1, f"{path}:{line}: {rule}: ", "new-document: not written")
    assert result.stdout == ""


def test_a_text_that_is_already_a_seed_is_refused(mini: Repo, tmp_path: Path) -> None:
    path = tmp_path / "again.txt"
    path.write_text(MINI_SEEDS["101_mini"], encoding="utf-8")
    before = snapshot(mini.root)
    result = new_document(mini, path)
    refused(mini, before, result, 1, "seeds/SHA256SUMS:2: duplicate-seed: this text is already the seed 101_mini.txt")


def test_a_file_that_is_not_a_regular_text_file_is_refused(mini: Repo, tmp_path: Path) -> None:
    before = snapshot(mini.root)
    refused(mini, before, new_document(mini, tmp_path / "missing.txt"), 1, "missing.txt:1: io: no such file")
    (tmp_path / "folder.txt").mkdir()
    refused(mini, before, new_document(mini, tmp_path / "folder.txt"), 1, "folder.txt:1: not-a-file: ")
    (tmp_path / "real.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    refused(mini, before, new_document(mini, tmp_path / "link.txt"), 1, "link.txt:1: symlink: ")


def test_options_are_checked_against_the_schema(mini: Repo, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    before = snapshot(mini.root)
    result = new_document(mini, path, "--published", "15.11.2024")
    refused(mini, before, result, 2, ".:0: usage: new-document: --published: ", "new-document: not written")
    result = new_document(mini, path, "--lineage", "copied-from:CNN")
    refused(mini, before, result, 2, "argument --lineage: relation 'copied-from' is not one of translated-from")
    result = dataset_cli(mini, "new-document", str(path), "--language", "de", "--annotated-by", "c")
    refused(mini, before, result, 2, "the following arguments are required: --extraction")


def test_a_failure_on_the_way_leaves_the_repository_as_it_was(
    mini: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    before = snapshot(mini.root)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dataset.write.store, "check_and_build", full_disk)  # fails after every file was written
    result = new_document(mini, path)
    refused(mini, before, result, 2, "io: No space left on device")
