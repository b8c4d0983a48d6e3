"""Publish: build a Hub-ready folder from a valid repository, prove it holds the repository's data, then upload.

read -> check -> build -> write: the repository is validated, loaded through the Python API, written as one
Parquet file per config and split with datasets' own writer, described by a dataset card (huggingface_hub) and
a Croissant file (mlcroissant), checked, and loaded back with datasets.load_dataset; only then does the staged
folder take the output folder's place, by renames. Nothing reads a clock (the Croissant datePublished is the
commit's own date), so two builds of one commit are byte-identical.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import datasets
import mlcroissant as mlc
from datasets import DatasetDict
from huggingface_hub import DatasetCard, HfApi, constants

from ..derive.card import split_card
from ..loading import load
from ..problems import Problem
from ..read.files import SafeReader
from ..repo import Repo
from ..schemas import Schemas
from ..write.build import build
from ..write.files import atomic_write
from .card import published_card
from .croissant import croissant_json, croissant_metadata, read_back
from .layout import CARD, CHANGELOG, CROISSANT, MARKER, MARKER_TEXT, parquet_file
from .provenance import Stamp, stamp
from .values import card_data_problems

_BIBTEX = re.compile(r"```bibtex\n(.*?)```", re.DOTALL)


class PublishError(Exception):
    """The folder was not published; the problems say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class PushError(Exception):
    """The upload to the Hub failed or could not start."""


@contextmanager
def _no_progress_bars() -> Iterator[None]:
    was_disabled = datasets.are_progress_bars_disabled()
    datasets.disable_progress_bars()
    try:
        yield
    finally:
        if not was_disabled:
            datasets.enable_progress_bars()


def _readme(repo: Repo) -> str:
    text, _ = SafeReader(repo.root).read_text(repo.readme)
    return text or ""


def _citation(readme: str) -> str | None:
    """The README's BibTeX entry, the one place the citation is written."""
    match = _BIBTEX.search(readme)
    return match.group(1).strip() if match else None


def _header_line(repo: Repo, field: str) -> int:
    """The line of a metadata field in the README's YAML header (built from the same metadata), else 1."""
    header, _ = split_card(_readme(repo))
    for number, line in enumerate(header.splitlines(), start=1):
        if line.startswith(f"{field}:"):
            return number
    return 1


def _check_card(repo: Repo, path: Path) -> list[Problem]:
    """Parse the written card back with huggingface_hub and check its metadata against the Hub's values."""
    problems = []
    for finding in card_data_problems(DatasetCard.load(path).data):
        field, _, message = finding.partition(": ")
        problems.append(
            Problem(repo.rel(repo.readme), _header_line(repo, field), "hub-metadata", f"{field}: {message}")
        )
    return problems


def _same_data(folder: Path, loaded: Mapping[str, DatasetDict]) -> list[Problem]:
    """Load the folder with datasets.load_dataset (fresh cache) and compare with what the API loaded."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="publish-check-cache-") as cache:
        for config, expected in loaded.items():
            published = datasets.load_dataset(str(folder), config, cache_dir=cache)
            for split, rows in expected.items():
                got = published.get(split)
                if got is None or got.features != rows.features or got.to_list() != rows.to_list():
                    message = f"load_dataset of the published folder differs from the repository ({config}/{split})"
                    problems.append(Problem(parquet_file(config, split), 0, "publish-mismatch", message))
    return problems


def _croissant_problems(folder: Path, loaded: Mapping[str, DatasetDict]) -> list[Problem]:
    try:
        records = read_back(folder / CROISSANT)
    except (mlc.ValidationError, mlc.GenerationError) as err:
        return [Problem(CROISSANT, 0, "croissant", f"mlcroissant refuses the file: {err}")]
    return [
        Problem(CROISSANT, 0, "croissant", f"mlcroissant reads {len(records.get(config, []))} {config} records")
        for config, dataset_dict in loaded.items()
        if len(records.get(config, [])) != sum(d.num_rows for d in dataset_dict.values())
    ]


def build_folder(repo: Repo, folder: Path, build_stamp: Stamp) -> None:
    """Write and check the whole published folder; raises PublishError on any problem."""
    schemas = Schemas(repo)
    loaded = load(repo.root, check=False)  # the caller has validated
    with _no_progress_bars():
        for config, dataset_dict in loaded.items():
            for split, rows in dataset_dict.items():
                path = folder / parquet_file(config, split)
                path.parent.mkdir(parents=True, exist_ok=True)
                rows.to_parquet(str(path))
        atomic_write(folder / MARKER, MARKER_TEXT)
        readme = _readme(repo)
        atomic_write(folder / CARD, str(published_card(readme, build_stamp)))
        problems = _check_card(repo, folder / CARD)
        try:
            metadata = croissant_metadata(folder, schemas, build_stamp, cite_as=_citation(readme))
        except mlc.ValidationError as err:
            raise PublishError([*problems, Problem(CROISSANT, 0, "croissant", str(err))]) from err
        atomic_write(folder / CROISSANT, croissant_json(metadata))
        changelog, _ = SafeReader(repo.root).read(repo.changelog)
        if changelog is not None:
            atomic_write(folder / CHANGELOG, changelog)
        problems += _croissant_problems(folder, loaded)
        if not problems:
            problems = _same_data(folder, loaded)
    if problems:
        raise PublishError(problems)


def _replaceable(out: Path) -> bool:
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


def _replace(out: Path, staging: Path) -> None:
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


def publish(repo: Repo, out: Path) -> Stamp:
    """Build the published folder at out (replacing an earlier build there); raises PublishError."""
    problems, _ = build(repo, check=True)  # the data must validate and the card be current: it is published
    if problems:
        raise PublishError(problems)
    out = Path(os.path.abspath(out))  # not resolve(): a link in place of the folder must be seen, not followed
    if not _replaceable(out):
        message = (
            f"exists and is not a build of publish (no {MARKER} file in it); it is never replaced or written "
            "into: choose a new or empty folder"
        )
        raise PublishError([Problem(str(out), 0, "publish-out", message)])
    build_stamp = stamp(repo, out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{out.name}.", suffix=".tmp", dir=out.parent))
        try:
            build_folder(repo, staging, build_stamp)
            staging.chmod(0o755)
            _replace(out, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as err:
        raise PublishError([Problem(str(out), 0, "io", f"cannot write the folder: {err}")]) from err
    return build_stamp


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
