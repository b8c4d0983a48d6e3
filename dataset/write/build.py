"""build: every generated file from one pass over the corpus; with check=True, compare instead of writing.

What is generated: annotations/generated/documents.jsonl (the documents layer with the fields derived from the
seeds), the README's YAML header (the Hugging Face card metadata and configs) and the README's generated blocks
(the corpus and the figures). The build is a set of consumers on the corpus stream, so `validate` can run its
check on the same pass as the rules; checking data never depends on it (`load()` never refuses data over README prose).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

from ..derive import agreement
from ..derive.card import (
    block,
    block_problems,
    card_configs,
    card_header,
    card_metadata,
    data_digest,
    replace_block,
    split_card,
    start_marker,
)
from ..derive.documents import GeneratedDocuments
from ..derive.figures import corpus_summary, figures, people
from ..derive.tally import Tally
from ..evaluate import docs
from ..evaluate.scoreboard import Scoreboard
from ..evaluate.tables import results
from ..layers import DOCUMENT_LAYER, LAYERS, SPAN_LAYERS
from ..problems import Problem
from ..read import stream
from ..read.corpus import Corpus, Document
from ..read.jsonl import BOM
from ..repo import Repo
from ..schemas import Schemas
from .files import AtomicFile, atomic_write

BLOCKS = ("corpus", "people", "figures", "results", "tasks")  # the README's generated blocks, in the order they stand


@dataclass
class SpanDigests:
    """A stream consumer: each span layer's files (path, content digest) in document order, folded into a hash."""

    gold: str
    files: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def fresh(self) -> SpanDigests:
        return SpanDigests(self.gold)

    def document(self, doc: Document) -> None:
        if doc.flawed:
            return  # the checker reported it; nothing is derived from a flawed document
        for layer in SPAN_LAYERS:
            file = doc.files[self.gold][layer.name]
            if file.digest is not None:
                self.files.setdefault(layer.name, []).append((file.rel, file.digest))

    def end_batch(self) -> None:
        pass

    def merge(self, other: SpanDigests) -> None:
        for name, files in other.files.items():
            self.files.setdefault(name, []).extend(files)


def _first_difference(want: Iterator[str], have: Iterator[str]) -> tuple[int, str, str] | None:
    """(line number, expected, found) around the first character where two streams of lines differ."""
    end = "<end of file>"
    for number, (expected, found) in enumerate(zip_longest(want, have, fillvalue=end), start=1):
        if expected != found:
            at = next(
                (i for i, (a, b) in enumerate(zip(expected, found, strict=False)) if a != b),
                min(len(expected), len(found)),
            )
            window = slice(max(at - 20, 0), at + 40)
            return number, expected[window].rstrip("\n"), found[window].rstrip("\n")
    return None


class _Compare:
    """Compares the generated lines, as they stream in, with the file on disk (itself streamed)."""

    def __init__(self, existing: Iterator[bytes] | None) -> None:
        self.existing = existing if existing is not None else iter(())
        self.number = 0
        self.difference: tuple[int, str, str] | None = None

    def __call__(self, lines: list[str]) -> None:
        for line in lines:
            self.number += 1
            found = next(self.existing, None)
            if self.difference is None:
                have = "<end of file>" if found is None else found.decode("utf-8", errors="replace")
                if have != line:
                    diff = _first_difference(iter([line]), iter([have]))
                    if diff is not None:
                        self.difference = (self.number, diff[1], diff[2])

    def finish(self) -> tuple[int, str, str] | None:
        if self.difference is None and next(self.existing, None) is not None:
            self.difference = (self.number + 1, "<end of file>", "more lines")
        return self.difference


class BuildPass:
    """The build's consumers on one corpus stream, and the files (or the differences) they make."""

    def __init__(self, corpus: Corpus, *, check: bool) -> None:
        self.corpus, self.check = corpus, check
        self.repo, self.schemas = corpus.repo, corpus.schemas
        gold = corpus.gold_store().name
        self.tally = Tally.start(corpus)
        self.scoreboard = Scoreboard(corpus)
        self.digests = SpanDigests(gold)
        self.hash = hashlib.sha256()
        self.problems: list[Problem] = []
        if check:
            existing, problem = corpus.reader.lines(self.repo.generated_documents)
            if problem is not None:
                self.problems.append(problem)
            self.compare = _Compare(existing)
            self.generated = GeneratedDocuments(self.schemas, self._compare)
        else:
            self._file = AtomicFile(self.repo.generated_documents)
            self.generated = GeneratedDocuments(self.schemas, self._write)

    def discard(self) -> None:
        """Give up a write-mode pass: its temporary file goes."""
        if not self.check:
            self._file.discard()

    def consumers(self) -> list[stream.Consumer]:
        return [self.generated, self.tally, self.scoreboard, self.digests]

    def _compare(self, lines: list[str]) -> None:
        for line in lines:
            self.hash.update(line.encode("utf-8"))
        self.compare(lines)

    def _write(self, lines: list[str]) -> None:
        for line in lines:
            data = line.encode("utf-8")
            self.hash.update(data)
            self._file.write(data)

    # -- after the stream --------------------------------------------------------------------------------------

    def _digests(self) -> dict[str, str]:
        repo = self.repo
        digests = {DOCUMENT_LAYER.name: data_digest([(repo.rel(repo.generated_documents), self.hash.hexdigest())])}
        registries = self.corpus.registries[self.corpus.gold_store().name]
        for layer in LAYERS:
            if layer.is_registry:
                file = registries[layer.name]
                digests[layer.name] = data_digest([(file.rel, file.digest)] if file.digest else [])
            elif layer.is_span:
                digests[layer.name] = data_digest(self.digests.files.get(layer.name, []))
        return digests

    def readme(self, current: str) -> str:
        """The README as the build makes it from the current one (whose blocks are known to be well formed)."""
        rows = max((self.tally.layer_total(layer.name) for layer in LAYERS), default=0)
        configs = card_configs(self.schemas, self._digests(), self.repo.published_path)
        header = card_header(card_metadata(rows), configs)
        _, body = split_card(current)
        contents = self.blocks()
        for name in BLOCKS:
            body = replace_block(body, name, contents[name])
        return header + body

    def blocks(self) -> dict[str, str]:
        from ..check.review import assignments, read_clusterings
        from ..problems import Sink

        clusterings = {
            rel: assignments(records) for rel, records in read_clusterings(self.corpus, Sink()).files.items()
        }
        statuses = self.schemas.enum(DOCUMENT_LAYER, "review_status")
        board = self.scoreboard
        return {
            "corpus": corpus_summary(self.tally),
            "people": people(self.tally),
            "figures": figures(self.tally, statuses, agreement.tables(board, clusterings)),
            "results": results(board.rows(clusterings), board.sizes(), len(board.gathered.texts)),
            "tasks": docs.markdown(),
        }

    def _current_readme(self) -> tuple[str | None, list[Problem]]:
        rel = self.repo.rel(self.repo.readme)
        text, problem = self.corpus.reader.read_text(self.repo.readme)
        if problem is not None:
            return None, [problem]
        text = text or ""
        if text.startswith(BOM):
            return None, [
                Problem(rel, 1, "bom", "the README starts with a byte-order mark", "UTF-8 without BOM", "U+FEFF")
            ]
        header, body = split_card(text)
        offset = header.count("\n")
        problems = block_problems(body, list(BLOCKS), rel, offset)
        return (None if problems else text), problems

    def finish(self) -> tuple[list[Problem], list[Path]]:
        """Check mode: the stale files as problems. Write mode: the files that changed (or the problems that stop)."""
        current, problems = self._current_readme()
        problems = self.problems + problems
        if self.check:
            return self._finish_check(current, problems), []
        return self._finish_write(current, problems)

    def _finish_check(self, current: str | None, problems: list[Problem]) -> list[Problem]:
        repo = self.repo
        difference = self.compare.finish()
        if difference is not None and not self.problems:  # an unreadable file is reported as such, not as stale
            number, expected, found = difference
            message = "generated documents differ from what the build makes (run: python -m dataset build)"
            problems.append(
                Problem(repo.rel(repo.generated_documents), number, "generated-stale", message, expected, found)
            )
        if current is None:
            return problems
        wanted = self.readme(current)
        rel = repo.rel(repo.readme)
        want_header, want_body = split_card(wanted)
        have_header, have_body = split_card(current)
        diff = _first_difference(
            iter(want_header.splitlines(keepends=True)), iter(have_header.splitlines(keepends=True))
        )
        if diff is not None:
            message = "README YAML header differs from what the build makes (run: python -m dataset build)"
            problems.append(Problem(rel, diff[0], "card-stale", message, diff[1], diff[2]))
        offset = have_header.count("\n")
        for name in BLOCKS:
            want, have = block(want_body, name), block(have_body, name)
            diff = _first_difference(iter(want.splitlines(keepends=True)), iter(have.splitlines(keepends=True)))
            if diff is not None:
                line = offset + have_body[: have_body.index(start_marker(name))].count("\n") + 1 + diff[0]
                message = f"README {name} block differs from what the build makes (run: python -m dataset build)"
                problems.append(Problem(rel, line, "card-stale", message, diff[1], diff[2]))
        return problems

    def _finish_write(self, current: str | None, problems: list[Problem]) -> tuple[list[Problem], list[Path]]:
        repo = self.repo
        if problems or current is None:
            self._file.discard()
            return problems, []
        changed: list[Path] = []
        old, unreadable = self.corpus.reader.lines(repo.generated_documents)
        if unreadable is not None:  # a link or a folder where the generated file belongs: never replaced silently
            self._file.discard()
            return [unreadable], []
        old_hash = hashlib.sha256()
        for line in old or ():
            old_hash.update(line)
        if old is None or old_hash.hexdigest() != self.hash.hexdigest():
            self._file.commit()
            changed.append(repo.generated_documents)
        else:
            self._file.discard()
        wanted = self.readme(current)
        if wanted != current:
            atomic_write(repo.readme, wanted)
            changed.append(repo.readme)
        return [], changed


@dataclass
class Built:
    """What one pass made: the data's problems (then nothing was written), else the derived files' problems (in
    check mode: the stale ones) and the files that changed."""

    data: list[Problem]
    derived: list[Problem]
    changed: list[Path]


def check_and_build(repo: Repo, *, check: bool = False, jobs: int | None = None, progress: bool | None = None) -> Built:
    """Check the data and derive every generated file in one pass; write them only if the data is valid."""
    from ..check.run import Checker, all_stores

    schemas = Schemas(repo)
    if schemas.problems():
        return Built(schemas.problems(), [], [])
    corpus = Corpus(repo, schemas, all_stores(repo))
    checker = Checker(corpus).start()
    work = BuildPass(corpus, check=check)
    try:
        if checker.readable:
            stream.run(corpus, [checker, *work.consumers()], jobs=jobs, label="build", progress=progress)
        report = checker.finish()
    except BaseException:
        work.discard()
        raise
    if report.problems:
        work.discard()
        return Built(report.problems, [], [])
    derived, changed = work.finish()
    return Built([], derived, changed)


def build(
    repo: Repo, *, check: bool = False, jobs: int | None = None, progress: bool | None = None
) -> tuple[list[Problem], list[Path]]:
    """Regenerate (or, with check, compare) every derived file in one pass; returns (problems, changed files).

    The checker rides on the same pass: data that does not validate is reported and nothing is written.
    """
    built = check_and_build(repo, check=check, jobs=jobs, progress=progress)
    return (built.data or built.derived), built.changed
