"""seeds/SHA256SUMS, the pinned digests in the form `sha256sum -c` checks: read and rewritten in one place."""

from __future__ import annotations

import hashlib
import re

from ..problems import Problem
from ..repo import Repo
from .files import SafeReader


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_digests(
    repo: Repo, reader: SafeReader, doc_id_pattern: str
) -> tuple[dict[str, tuple[str, int]], list[Problem]]:
    """{seed file name: (digest, line)} and the problems of an unreadable file or malformed lines."""
    line_form = re.compile(r"(?P<digest>[0-9a-f]{64})  (?P<name>" + doc_id_pattern.strip("^$") + r"\.txt)")
    rel = repo.rel(repo.digests)
    data, problem = reader.read(repo.digests)
    if data is None:
        return {}, [problem or Problem(rel, 1, "digest-format", "no pinned digests", "a regular file", "none")]
    pinned: dict[str, tuple[str, int]] = {}
    problems: list[Problem] = []
    offset = 0  # decoded line by line: a line that is not UTF-8 is its own problem; the other seeds stay pinned
    for number, raw in enumerate(data.split(b"\n"), start=1):
        start, offset = offset, offset + len(raw) + 1
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            found = f"byte 0x{raw[err.start]:02x} at byte {start + err.start}"
            problems.append(Problem(rel, number, "encoding", "line is not valid UTF-8", "UTF-8 text", found))
            continue
        if not line:
            continue
        match = line_form.fullmatch(line)
        if match is None:
            expected = "'<64 hex digits>  <doc_id>.txt'"
            problems.append(Problem(rel, number, "digest-format", "not a sha256sum line", expected, line[:80]))
            continue
        pinned[match["name"]] = (match["digest"], number)
    return pinned, problems


def with_digest(current: str, doc_id: str, digest: str) -> str:
    """The digests file's text with one seed's line replaced or appended, order kept."""
    name = f"{doc_id}.txt"
    lines = [line for line in current.split("\n") if line]
    replaced = [f"{digest}  {name}" if line.endswith(f"  {name}") else line for line in lines]
    if not any(line.endswith(f"  {name}") for line in lines):
        replaced.append(f"{digest}  {name}")
    return "\n".join(replaced) + "\n"
