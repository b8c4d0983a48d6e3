"""Which commit a build comes from, so a published folder says exactly what it was built from.

No clock is read: two builds of the same commit and tree must be byte-identical.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .. import __version__
from ..repo import Repo

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Stamp:
    """The dataset version and the commit a build comes from."""

    version: str
    commit: str
    committed: datetime | None = None  # the commit's own date, when known (never the build's)


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except OSError:  # no git on this machine
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def _excluded(root: Path, out: Path | None) -> list[str]:
    """A pathspec that leaves the output folder out of the dirty check, when it lies inside the clone."""
    if out is None:
        return []
    try:
        rel = out.resolve().relative_to(root)
    except ValueError:
        return []
    return [f":(exclude){rel.as_posix()}"] if rel.parts else []


def stamp(repo: Repo, out: Path | None = None) -> Stamp:
    """The commit of a git checkout whose top level is the repository ("-dirty" if its files differ), else unknown."""
    top = _git(repo.root, "rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != repo.root.resolve():
        return Stamp(__version__, UNKNOWN)
    head = _git(repo.root, "rev-parse", "HEAD")
    if head is None:  # a repository without commits
        return Stamp(__version__, UNKNOWN)
    status = _git(repo.root, "status", "--porcelain", "--", ".", *_excluded(repo.root, out))
    date = _git(repo.root, "show", "-s", "--format=%cI", "HEAD")
    commit = head if status == "" else f"{head}-dirty"
    return Stamp(__version__, commit, datetime.fromisoformat(date) if date else None)
