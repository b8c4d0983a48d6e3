"""Publish: build a Hub-ready folder from a valid repository, prove it holds the repository's data, then upload.

One pass over the corpus: the checker, the build's staleness check and the row writer ride on the same stream, so
the data is validated, the card checked current and every config's rows written to Parquet (hub/parquet.py) as
the documents stream by, with a digest of the rows (hub/digest.py). Then the card (huggingface_hub) and the
Croissant file (mlcroissant) are written and checked, and the folder is loaded back with datasets.load_dataset
and hashed the same way, batch by batch; only when the digests agree does the staged folder take the output
folder's place, by renames. Time grows with the corpus, memory does not: no side is ever held whole.

A text-free build (`text_free=True`) leaves every seed-text field out (hub/texts.py), leaves the README's
passages marked as quotes out of the card and checks the prose for unmarked ones (hub/quotes.py), and adds
hydrate.json (hub/hydrate.py). Nothing reads a clock (the Croissant datePublished is the commit's own date), so
two builds of one commit are byte-identical.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import datasets
import mlcroissant as mlc
import pyarrow as pa
from datasets import Features
from huggingface_hub import DatasetCard, HfApi, constants

from ..check.run import Checker, all_stores
from ..derive.card import SPLIT, split_card
from ..layers import LAYERS
from ..problems import Problem
from ..read import stream
from ..read.corpus import Corpus
from ..read.files import SafeReader
from ..repo import Repo
from ..schemas import Schemas
from ..write.build import BuildPass
from ..write.files import atomic_write
from .card import LICENSE_DETAILS, card_data, published_card
from .croissant import FileFacts, croissant_json, croissant_metadata, file_facts, read_back, validate
from .digest import Digest, read_back_digests
from .hydrate import manifest
from .layout import CARD, CHANGELOG, CROISSANT, HYDRATE, MARKER, MARKER_TEXT, parquet_file
from .parquet import ParquetSink, write_table
from .progress import RowProgress
from .provenance import Stamp, stamp
from .quotes import Prose, QuoteGuard, blanked
from .rows import REVIEW_STATUS, SAMPLE_ROWS, UNREVIEWED, PublishRows, Setup, Totals, Unreviewed
from .values import card_data_problems

_BIBTEX = re.compile(r"```bibtex\n(.*?)```", re.DOTALL)


class PublishError(Exception):
    """The folder was not published; the problems say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class PushError(Exception):
    """The upload to the Hub failed or could not start."""


@dataclass(frozen=True)
class Published:
    """What a build holds: its stamp, rows per config, unreviewed records per config, and whether it is text-free."""

    stamp: Stamp
    rows: dict[str, int]
    unreviewed: dict[str, int]
    text_free: bool = False

    def review_summary(self) -> str:
        total = sum(self.unreviewed.values())
        if not total:
            return f"unreviewed records: none (every record's {REVIEW_STATUS} is set by a review)"
        layers = ", ".join(f"{name} {count}" for name, count in self.unreviewed.items() if count)
        return f"unreviewed records: {total} of {sum(self.rows.values())} ({layers})"


@contextmanager
def _no_progress_bars() -> Iterator[None]:
    was_disabled = datasets.are_progress_bars_disabled()
    datasets.disable_progress_bars()
    try:
        yield
    finally:
        if not was_disabled:
            datasets.enable_progress_bars()


def _citation(readme: str) -> str | None:
    """The README's BibTeX entry, the one place the citation is written."""
    match = _BIBTEX.search(readme)
    return match.group(1).strip() if match else None


def _header_line(readme: str, field: str) -> int:
    """The line of a metadata field in the README's YAML header (built from the same metadata), else 1."""
    header, _ = split_card(readme)
    for number, line in enumerate(header.splitlines(), start=1):
        if line.startswith(f"{field}:"):
            return number
    return 1


def check_card(path: Path, where: str, readme: str = "") -> list[Problem]:
    """Parse the written card back with huggingface_hub and check its metadata against the Hub's values."""
    problems = []
    for finding in card_data_problems(DatasetCard.load(path).data):
        field, _, message = finding.partition(": ")
        problems.append(Problem(where, _header_line(readme, field), "hub-metadata", f"{field}: {message}"))
    return problems


def check_data(
    folder: Path, digests: Mapping[str, Digest], features: Mapping[str, Features], *, progress: bool = False
) -> list[Problem]:
    """Load the folder with datasets.load_dataset (fresh cache) and compare each config's digest with the written
    one."""
    problems = []
    bar = RowProgress(sum(digest.rows for digest in digests.values()), "check", progress)
    for config, got, digest in read_back_digests(folder, list(digests), bar):
        want = digests[config]
        if got != features[config]:
            message = f"load_dataset of the published folder gives other features than the schemas ({config}/{SPLIT})"
        elif digest.rows != want.rows:
            message = (
                f"load_dataset of the published folder differs from the repository ({config}/{SPLIT}): "
                f"{digest.rows} rows read, {want.rows} written"
            )
        elif digest.hexdigest() != want.hexdigest():
            message = (
                f"load_dataset of the published folder differs from the repository ({config}/{SPLIT}): rows differ"
            )
        else:
            continue
        problems.append(Problem(parquet_file(config), 0, "publish-mismatch", message))
    bar.close()
    return problems


def _as_mlcroissant_reads(row: dict, features: Features) -> dict:
    """A row as mlcroissant gives it back: a null object comes back with every field null."""
    return {
        key: {sub: None for sub in features[key]} if value is None and isinstance(features[key], dict) else value
        for key, value in row.items()
    }


def _without_facts(text: str) -> str:
    return re.sub(r'"(contentSize|sha256)": "[^"]*"', "", text)


def check_croissant(
    folder: Path,
    describe: Callable[[Mapping[str, FileFacts]], str],
    samples: Mapping[str, pa.Table],
    features: Mapping[str, Features],
) -> list[Problem]:
    """mlcroissant validates the folder's croissant.json and reads back a sample of every record set.

    mlcroissant reads a few hundred records a second, so it reads a copy of the folder that holds each config's
    first SAMPLE_ROWS rows (the whole data of a small corpus), described by the same function as the folder: the
    two descriptions differ only in the files' sizes and digests, which is checked too.
    """
    try:
        validate(folder / CROISSANT)
        with tempfile.TemporaryDirectory(prefix="publish-croissant-") as tmp:
            sample = Path(tmp)
            for name, table in samples.items():
                write_table(sample / parquet_file(name), features[name], table)
            description = describe(file_facts(sample))
            atomic_write(sample / CROISSANT, description)
            if _without_facts(description) != _without_facts((folder / CROISSANT).read_text(encoding="utf-8")):
                return [Problem(CROISSANT, 0, "croissant", "the description of the sample differs from the folder's")]
            records = read_back(sample / CROISSANT, SAMPLE_ROWS)
    except (mlc.ValidationError, mlc.GenerationError, ValueError) as err:  # ValueError: a file's digest differs
        return [Problem(CROISSANT, 0, "croissant", f"mlcroissant refuses the file: {err}")]
    problems = []
    for name, table in samples.items():
        got = records.get(name, [])
        want = [_as_mlcroissant_reads(row, features[name]) for row in table.to_pylist()]
        if len(got) != len(want):
            message = f"mlcroissant reads {len(got)} {name} records (expected {len(want)})"
        elif got != want:
            first = next(i for i, (a, b) in enumerate(zip(got, want, strict=True)) if a != b)
            message = f"mlcroissant reads other values than were written ({name} record {first})"
        else:
            continue
        problems.append(Problem(CROISSANT, 0, "croissant", message))
    return problems


def _unreviewed_problems(unreviewed: Mapping[str, Unreviewed]) -> list[Problem]:
    problems = []
    for layer in LAYERS:
        found = unreviewed.get(layer.name)
        if found is None or not found.count or found.first is None:
            continue
        path, line = found.first
        message = (
            f"{found.count} {layer.name} record(s) are unreviewed ({REVIEW_STATUS} {UNREVIEWED!r}; this is the "
            "first); --require-reviewed publishes reviewed data only"
        )
        problems.append(Problem(path, line, "publish-unreviewed", message, "reviewed records only", UNREVIEWED))
    return problems


@dataclass
class _Build:
    """The inputs of one build and the folder it is written into."""

    repo: Repo
    schemas: Schemas
    folder: Path
    stamp: Stamp
    readme: str
    changelog: bytes | None
    text_free: bool

    def describe(self, files: Mapping[str, FileFacts]) -> str:
        metadata = croissant_metadata(
            files, self.schemas, self.stamp, cite_as=_citation(self.readme), text_free=self.text_free
        )
        return croissant_json(metadata)

    def prose(self) -> Prose:
        """The text files of a text-free build as they will read, with the README's line numbers kept."""
        repo = self.repo
        readme, _ = blanked(self.readme, repo.rel(repo.readme))
        preview = self.describe({layer.name: FileFacts(0, "0" * 64) for layer in LAYERS})
        files = {repo.rel(repo.readme): readme, CROISSANT: preview}
        if self.changelog is not None:
            files[repo.rel(repo.changelog)] = self.changelog.decode("utf-8", errors="replace")
        return Prose.of(files)

    def rows(self, *, jobs: int | None, progress: bool) -> tuple[Setup, Totals, dict[str, int]]:
        """One pass: check, check the generated files, write the rows (and look for quotes); raises PublishError."""
        repo, schemas = self.repo, self.schemas
        corpus = Corpus(repo, schemas, all_stores(repo))
        gold = corpus.gold_store().name
        checker = Checker(corpus).start()
        work = BuildPass(corpus, check=True)
        setup = Setup(schemas, gold, self.text_free)
        sinks = {
            name: ParquetSink(self.folder / parquet_file(name), features) for name, features in setup.features.items()
        }
        try:
            registries = {name: file.records for name, file in corpus.registries[gold].items()}
            rows = PublishRows.start(setup, sinks, registries)
            guard = QuoteGuard(self.prose()) if self.text_free else None
            consumers = [checker, *work.consumers(), rows, *([guard] if guard else [])]
            if checker.readable:
                stream.run(corpus, consumers, jobs=jobs, label="publish", progress=progress)
            report = checker.finish()
            if report.problems:
                raise PublishError(report.problems)
            stale, _ = work.finish()
            if stale:
                raise PublishError(stale)
            counts = {name: sink.close() for name, sink in sinks.items()}
        except BaseException:
            for sink in sinks.values():
                sink.abort()
            raise
        assert rows.totals is not None
        if guard is not None and guard.problems():
            raise PublishError(guard.problems())
        return setup, rows.totals, counts

    def write(self, setup: Setup, totals: Totals, rows: Mapping[str, int], *, progress: bool) -> list[Problem]:
        """The card, croissant.json, changelog (and hydrate.json), then every check of the written folder."""
        folder, repo = self.folder, self.repo
        atomic_write(folder / MARKER, MARKER_TEXT)
        card = published_card(self.readme, self.stamp, rows, text_free=self.text_free)
        atomic_write(folder / CARD, str(card))
        problems = check_card(folder / CARD, repo.rel(repo.readme), self.readme)
        try:
            atomic_write(folder / CROISSANT, self.describe(file_facts(folder)))
        except mlc.ValidationError as err:
            return [*problems, Problem(CROISSANT, 0, "croissant", str(err))]
        if self.changelog is not None:
            atomic_write(folder / CHANGELOG, self.changelog)
        if self.text_free:
            license_details = str(card_data(self.readme).get(LICENSE_DETAILS) or "")
            atomic_write(folder / HYDRATE, manifest(setup, totals.full, self.stamp, license_details))
        samples = {name: totals.sample_table(name, setup.arrow[name]) for name in setup.features}
        problems += check_croissant(folder, self.describe, samples, setup.features)
        if not problems:
            problems = check_data(folder, totals.digests, setup.features, progress=progress)
        return problems


def replaceable(out: Path) -> bool:
    """Only a new folder, an empty one, or one that publish itself marked as its build may be replaced."""
    if out.is_symlink():
        return False
    if not out.exists():
        return True
    if not out.is_dir():
        return False
    marker = out / MARKER
    if marker.is_file() and not marker.is_symlink():
        return marker.read_text(encoding="utf-8", errors="replace") == MARKER_TEXT
    return not any(out.iterdir())


def not_replaceable(out: Path) -> Problem:
    message = (
        f"exists and is not a build of publish (no {MARKER} file in it); it is never replaced or written "
        "into: choose a new or empty folder"
    )
    return Problem(str(out), 0, "publish-out", message)


def replace(out: Path, staging: Path) -> None:
    """Put the staged folder in place of out with renames, so out is always a whole build."""
    if not out.exists():
        os.replace(staging, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
    os.replace(out, old / out.name)
    try:
        os.replace(staging, out)
    except OSError:
        os.replace(old / out.name, out)  # the earlier build goes back
        old.rmdir()
        raise
    shutil.rmtree(old, ignore_errors=True)


def staged(out: Path, write: Callable[[Path], None]) -> None:
    """Write a build into a staging folder beside out and put it in out's place; out is never half-written."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{out.name}.", suffix=".tmp", dir=out.parent))
        try:
            write(staging)
            staging.chmod(0o755)
            replace(out, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as err:
        raise PublishError([Problem(str(out), 0, "io", f"cannot write the folder: {err}")]) from err


def publish(
    repo: Repo,
    out: Path,
    *,
    text_free: bool = False,
    require_reviewed: bool = False,
    jobs: int | None = None,
    progress: bool = False,
) -> Published:
    """Build the published folder at out (replacing an earlier build there); raises PublishError."""
    out = Path(os.path.abspath(out))  # not resolve(): a link in place of the folder must be seen, not followed
    if not replaceable(out):
        raise PublishError([not_replaceable(out)])
    schemas = Schemas(repo)
    if schemas.problems():
        raise PublishError(schemas.problems())
    reader = SafeReader(repo.root)
    readme, problem = reader.read_text(repo.readme)
    changelog, _ = reader.read(repo.changelog)
    if problem is not None:
        raise PublishError([problem])
    readme = readme or ""
    if text_free:
        _, problems = blanked(readme, repo.rel(repo.readme))
        if problems:
            raise PublishError(problems)
    build_stamp = stamp(repo, out)
    result: list[Published] = []

    def write(folder: Path) -> None:
        work = _Build(repo, schemas, folder, build_stamp, readme, changelog, text_free)
        setup, totals, counts = work.rows(jobs=jobs, progress=progress)
        if require_reviewed and _unreviewed_problems(totals.unreviewed):
            raise PublishError(_unreviewed_problems(totals.unreviewed))
        with _no_progress_bars():
            problems = work.write(setup, totals, counts, progress=progress)
        if problems:
            raise PublishError(problems)
        unreviewed = {layer.name: totals.unreviewed.get(layer.name, Unreviewed()).count for layer in LAYERS}
        result.append(Published(build_stamp, counts, unreviewed, text_free))

    staged(out, write)
    return result[0]


def push(out: Path, repo_id: str, build_stamp: Stamp, api: HfApi | None = None) -> str:
    """Upload the published folder as it is to a Hub dataset repository (created if missing); returns its URL.

    Remote files that the folder no longer has are deleted in the same commit (the Hub keeps .gitattributes),
    so the repository on the Hub holds exactly the folder.
    """
    if api is None and constants.HF_HUB_OFFLINE:
        raise PushError("offline mode is on (HF_HUB_OFFLINE): unset it to push")
    api = api or HfApi()
    try:
        url = api.create_repo(repo_id, repo_type="dataset", exist_ok=True)
        api.upload_folder(
            repo_id=repo_id,
            repo_type="dataset",
            folder_path=str(out),
            commit_message=f"Publish version {build_stamp.version} (commit {build_stamp.commit})",
            delete_patterns="*",
            ignore_patterns=[MARKER],
        )
    except Exception as err:  # network, authentication and Hub errors all end the push the same way
        raise PushError(f"{type(err).__name__}: {err}") from err
    return str(url)
