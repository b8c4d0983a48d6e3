"""Seeds against their pinned digests, and documents against seeds."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..build import sha256_of
from ..problems import Problem
from ..repo import Repo

_DIGEST_LINE = re.compile(r"^(?P<digest>[0-9a-f]{64})  (?P<name>[a-z0-9][a-z0-9_-]{0,63}\.txt)$")


def check_seeds(repo: Repo) -> tuple[set[str], list[Problem]]:
    """Returns the doc ids of seeds whose digest matches, and the problems found."""
    problems: list[Problem] = []
    rel = repo.rel(repo.digests)
    pinned: dict[str, tuple[str, int]] = {}
    lines = repo.digests.read_text(encoding="utf-8").split("\n") if repo.digests.is_file() else []
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        match = _DIGEST_LINE.match(line)
        if match is None:
            problems.append(
                Problem(
                    rel, number, "digest-format", "not a sha256sum line", "'<64 hex digits>  <doc_id>.txt'", line[:80]
                )
            )
            continue
        pinned[match["name"]] = (match["digest"], number)
    present = {p.name: p for p in repo.seeds.glob("*.txt")}
    good: set[str] = set()
    for name, path in sorted(present.items()):
        if path.is_symlink() or not path.is_file():
            message = "a seed must be a regular file; links are never followed"
            problems.append(Problem(repo.rel(path), 1, "symlink", message, "regular file", "link"))
            continue
        if name not in pinned:
            problems.append(
                Problem(
                    repo.rel(path),
                    1,
                    "seed-unpinned",
                    "seed has no digest in seeds/SHA256SUMS",
                    f"a line '<sha256>  {name}'",
                    "none (pin it: cd seeds && sha256sum *.txt > SHA256SUMS)",
                )
            )
            continue
        digest, number = pinned[name]
        actual = sha256_of(path)
        if actual != digest:
            problems.append(
                Problem(
                    rel,
                    number,
                    "seed-digest",
                    f"{name} changed since its digest was pinned (re-anchor the spans before pinning)",
                    digest,
                    actual,
                )
            )
            continue
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
    seeds = {p.stem for p in repo.seeds.glob("*.txt")}
    for doc_id in sorted(seeds - set(documents)):
        yield Problem(
            repo.rel(repo.seed(doc_id)),
            1,
            "document-missing",
            "seed has no record in annotations/documents.jsonl",
            f"a documents record with doc_id {doc_id}",
            "none",
        )
    for doc_id in sorted(set(documents) - seeds):
        path, line = documents[doc_id]
        yield Problem(
            path, line, "document-missing", "documents record has no seed file", f"seeds/{doc_id}.txt", "no such file"
        )
