"""The stored annotation passes under annotations/review/: checked like the layers before anything reads them."""

from __future__ import annotations

from collections.abc import Iterator

from .checks.shape import check_shape
from .layers import SPAN_LAYERS
from .problems import Problem, short
from .reading import read_jsonl
from .repo import Repo
from .schemas import Schemas

REVIEW_PASSES = ("first-pass", "blind-pass")
CLUSTERINGS = "clusters"  # annotations/review/clusters/<annotator>.jsonl: {"claim_id": ..., "cluster_id": ...}


def check_review(repo: Repo, schemas: Schemas) -> Iterator[Problem]:
    """Each pass file parses, has the shape of its layer, and no file or folder in it is a link."""
    review = repo.annotations / "review"
    for name in REVIEW_PASSES:
        for layer in SPAN_LAYERS:
            folder = review / name / layer.name
            if folder.is_symlink():
                yield Problem(
                    repo.rel(folder),
                    1,
                    "symlink",
                    "folder is a link; links are never followed",
                    "a real folder",
                    "a link",
                )
                continue
            validator = schemas.validator(layer)
            for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
                records, problems = read_jsonl(path, repo.rel(path))
                yield from problems
                for record in records:
                    yield from check_shape(record, validator)
    folder = review / CLUSTERINGS
    if folder.is_symlink():
        yield Problem(
            repo.rel(folder), 1, "symlink", "folder is a link; links are never followed", "a real folder", "a link"
        )
        return
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        records, problems = read_jsonl(path, repo.rel(path))
        yield from problems
        for record in records:
            if sorted(record.data) != ["claim_id", "cluster_id"] or not all(
                isinstance(v, str) for v in record.data.values()
            ):
                yield Problem(
                    record.path,
                    record.line,
                    "review-file",
                    "a clustering line is one claim and its cluster",
                    '{"claim_id": str, "cluster_id": str}',
                    short(record.data),
                )
