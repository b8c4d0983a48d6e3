"""seeds/SHA256SUMS, the pinned digests in the form `sha256sum -c` checks: read and rewrite in one place."""

from __future__ import annotations

import re

from .problems import Problem
from .repo import Repo


def read_digests(repo: Repo, doc_id_pattern: str) -> tuple[dict[str, tuple[str, int]], list[Problem]]:
    """{seed file name: (digest, line)} and the problems of malformed lines."""
    line_form = re.compile(r"^(?P<digest>[0-9a-f]{64})  (?P<name>" + doc_id_pattern.strip("^$") + r"\.txt)$")
    pinned: dict[str, tuple[str, int]] = {}
    problems: list[Problem] = []
    if not repo.digests.is_file() or repo.digests.is_symlink():
        return pinned, [
            Problem(repo.rel(repo.digests), 1, "digest-format", "no pinned digests", "a regular file", "none")
        ]
    for number, line in enumerate(repo.digests.read_text(encoding="utf-8").split("\n"), start=1):
        if not line:
            continue
        match = line_form.match(line)
        if match is None:
            problems.append(
                Problem(
                    repo.rel(repo.digests),
                    number,
                    "digest-format",
                    "not a sha256sum line",
                    "'<64 hex digits>  <doc_id>.txt'",
                    line[:80],
                )
            )
            continue
        pinned[match["name"]] = (match["digest"], number)
    return pinned, problems


def with_digest(repo: Repo, doc_id: str, digest: str) -> str:
    """The digests file with one seed's line replaced or appended, order kept."""
    name = f"{doc_id}.txt"
    lines = [line for line in repo.digests.read_text(encoding="utf-8").split("\n") if line]
    replaced = [f"{digest}  {name}" if line.endswith(f"  {name}") else line for line in lines]
    if replaced == lines and not any(line.endswith(f"  {name}") for line in lines):
        replaced.append(f"{digest}  {name}")
    return "\n".join(replaced) + "\n"
