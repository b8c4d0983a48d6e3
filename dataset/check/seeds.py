"""Seeds against their pinned digests, and documents against seeds."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from ..problems import Finding, short
from ..repo import GOLD
from .engine import CORPUS, SEED, Where, rule
from .views import CorpusView, SeedView


@rule("seed-digest", SEED, roles=[GOLD])
def seed_digest(view: SeedView) -> Iterator[Finding]:
    if view.pinned is not None and view.seed.digest is not None and view.seed.digest != view.pinned[0]:
        name = view.seed.path.name
        message = f"{name} changed since its digest was pinned (re-anchor the spans: python -m dataset reanchor)"
        yield Finding(message, view.pinned[0], view.seed.digest, Where(view.digests_rel, view.pinned[1]))


@rule("seed-empty", SEED, roles=[GOLD])
def seed_empty(view: SeedView) -> Iterator[Finding]:
    if view.seed.text == "":
        yield Finding(
            "the seed is empty; a document needs its text", "at least one character", "0 bytes", Where(view.seed.rel)
        )


# A seed is the text as a reader sees it: no byte-order mark, `\n` line endings, NFC. A quote typed or copied
# on any system then matches it, git cannot convert it, and new-document refuses the same texts (it runs these).


@rule("seed-bom", SEED, roles=[GOLD])
def seed_bom(view: SeedView) -> Iterator[Finding]:
    if view.seed.text and view.seed.text.startswith("\ufeff"):
        message = "the seed starts with a byte-order mark, which is not part of the text (remove it)"
        yield Finding(message, "UTF-8 without BOM", "U+FEFF", Where(view.seed.rel))


@rule("seed-line-ending", SEED, roles=[GOLD])
def seed_line_ending(view: SeedView) -> Iterator[Finding]:
    text = view.seed.text or ""
    at = text.find("\r")
    if at >= 0:
        found = "\\r\\n (Windows)" if text.startswith("\r\n", at) else "\\r (old Mac)"
        message = "the seed has carriage returns; convert its line endings to \\n (e.g. dos2unix)"
        yield Finding(message, "\\n line endings", found, Where(view.seed.rel, text.count("\n", 0, at) + 1))


@rule("seed-not-nfc", SEED, roles=[GOLD])
def seed_not_nfc(view: SeedView) -> Iterator[Finding]:
    text = view.seed.text or ""
    if text and not unicodedata.is_normalized("NFC", text):
        lines = enumerate(text.split("\n"), 1)
        number, line = next(((n, line) for n, line in lines if not unicodedata.is_normalized("NFC", line)), (1, text))
        message = (
            "the seed is not in Unicode NFC (e.g. an umlaut as a letter and a combining mark); normalise it to NFC"
        )
        yield Finding(message, "NFC text", short(line, 60), Where(view.seed.rel, number))


@rule("symlink", CORPUS, roles=[GOLD])
def seed_link(view: CorpusView) -> Iterator[Finding]:
    """A seed is a regular file: a link is never followed (a link streamed as a document is the reader's)."""
    for entry in view.corpus.seed_entries().values():
        if entry.link and entry.path.stem not in view.corpus.records:
            message = "a seed must be a regular file; links are never followed"
            yield Finding(message, "a regular file", "a symbolic link", Where(view.corpus.reader.rel(entry.path)))


@rule("not-a-file", CORPUS, roles=[GOLD])
def seed_not_a_file(view: CorpusView) -> Iterator[Finding]:
    for entry in view.corpus.seed_entries().values():
        if not entry.link and not entry.file and entry.path.stem not in view.corpus.records:
            yield Finding(
                "a seed must be a regular file",
                "a regular file",
                "a folder or special file",
                Where(view.corpus.reader.rel(entry.path)),
            )


@rule("seed-unpinned", CORPUS, roles=[GOLD])
def seed_unpinned(view: CorpusView) -> Iterator[Finding]:
    corpus = view.corpus
    for name, entry in corpus.seed_entries().items():
        path = entry.path
        if not entry.regular and path.stem not in corpus.records:
            continue  # the two rules above speak
        if not corpus.schemas.is_doc_id(path.stem):
            rel = corpus.reader.rel(path)
            yield Finding("seed file name is not a document id", corpus.schemas.doc_id_pattern, name, Where(rel))
        elif name not in corpus.pinned:
            found = "none (pin it: python -m dataset new-document, or cd seeds && sha256sum *.txt > SHA256SUMS)"
            rel = corpus.reader.rel(path)
            yield Finding("seed has no digest in seeds/SHA256SUMS", f"a line '<sha256>  {name}'", found, Where(rel))


@rule("seed-missing", CORPUS, roles=[GOLD])
def seed_missing(view: CorpusView) -> Iterator[Finding]:
    corpus = view.corpus
    present = corpus.seed_entries()
    rel = corpus.repo.rel(corpus.repo.digests)
    for name, (_, number) in sorted(corpus.pinned.items()):
        if name not in present:
            message = "digest pinned for a seed that does not exist"
            yield Finding(message, f"seeds/{name}", "no such file", Where(rel, number))


@rule("document-missing", CORPUS, roles=[GOLD])
def document_missing(view: CorpusView) -> Iterator[Finding]:
    corpus = view.corpus
    present = corpus.seed_entries()
    stems = {entry.path.stem for entry in present.values()}
    for entry in present.values():
        stem = entry.path.stem
        if stem not in corpus.records and corpus.schemas.is_doc_id(stem) and entry.regular:
            expected = f"a documents record with doc_id {stem}"
            message = "seed has no record in annotations/documents.jsonl"
            yield Finding(message, expected, "none", Where(corpus.reader.rel(entry.path)))
    for doc_id, record in sorted(corpus.records.items()):
        if doc_id not in stems:
            yield Finding("documents record has no seed file", f"seeds/{doc_id}.txt", "no such file", record)
