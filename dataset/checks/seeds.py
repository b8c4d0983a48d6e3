"""Seeds against their pinned digests, and documents against seeds."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..build import sha256_hex
from ..digests import read_digests
from ..limits import MAX_FILE_BYTES
from ..problems import Problem
from ..reading import decode
from ..repo import Repo


def _seed_problem(repo: Repo, path, doc_id_pattern: str) -> Problem | None:
    rel = repo.rel(path)
    if path.is_symlink():
        return Problem(
            rel, 1, "symlink", "a seed must be a regular file; links are never followed", "regular file", "link"
        )
    if not path.is_file():
        return Problem(rel, 1, "seed-missing", "a seed must be a regular file", "regular file", "something else")
    if not re.fullmatch(doc_id_pattern, path.stem):
        return Problem(rel, 1, "seed-unpinned", "seed file name is not a document id", doc_id_pattern, path.name)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:  # checked before anything reads the file
        return Problem(
            rel, 1, "file-too-large", "seed is over the size limit", f"at most {MAX_FILE_BYTES} bytes", f"{size} bytes"
        )
    return None


def check_seeds(repo: Repo, doc_id_pattern: str) -> tuple[set[str], list[Problem]]:
    """Returns the doc ids of seeds whose digest matches and whose text decodes, and the problems found."""
    pinned, problems = read_digests(repo, doc_id_pattern)
    rel = repo.rel(repo.digests)
    present = {p.name: p for p in repo.seeds.glob("*.txt")} if repo.seeds.is_dir() else {}
    good: set[str] = set()
    for name, path in sorted(present.items()):
        problem = _seed_problem(repo, path, doc_id_pattern)
        if problem is not None:
            problems.append(problem)
            continue
        if name not in pinned:
            found = "none (pin it: cd seeds && sha256sum *.txt > SHA256SUMS)"
            problems.append(
                Problem(
                    repo.rel(path),
                    1,
                    "seed-unpinned",
                    "seed has no digest in seeds/SHA256SUMS",
                    f"a line '<sha256>  {name}'",
                    found,
                )
            )
            continue
        digest, number = pinned[name]
        data = path.read_bytes()  # read once: hashed here, decoded below
        actual = sha256_hex(data)
        if actual != digest:
            message = f"{name} changed since its digest was pinned (re-anchor the spans: python -m dataset reanchor)"
            problems.append(Problem(rel, number, "seed-digest", message, digest, actual))
            continue
        text, unreadable = decode(data, repo.rel(path))
        problems.extend(unreadable)
        if text is not None:
            good.add(name.removesuffix(".txt"))
    for name, (_, number) in sorted(pinned.items()):
        if name not in present:
            problems.append(
                Problem(
                    rel,
                    number,
                    "seed-missing",
                    "digest pinned for a seed that does not exist",
                    f"seeds/{name}",
                    "no such file",
                )
            )
    return good, problems


def check_documents_cover_seeds(repo: Repo, documents: dict[str, tuple[str, int]]) -> Iterator[Problem]:
    """documents maps doc_id -> (path, line) of its record."""
    seeds = {p.stem for p in repo.seeds.glob("*.txt")} if repo.seeds.is_dir() else set()
    for doc_id in sorted(seeds - set(documents)):
        expected = f"a documents record with doc_id {doc_id}"
        yield Problem(
            repo.rel(repo.seed(doc_id)),
            1,
            "document-missing",
            "seed has no record in annotations/documents.jsonl",
            expected,
            "none",
        )
    for doc_id in sorted(set(documents) - seeds):
        path, line = documents[doc_id]
        yield Problem(
            path, line, "document-missing", "documents record has no seed file", f"seeds/{doc_id}.txt", "no such file"
        )
