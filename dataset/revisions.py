"""A layer's records at a git revision (or in the working tree), read-only: git ls-tree and git show, nothing else.

One place for "what did the records look like at REV", shared by `diff` and `report --changed-since`.
"""

from __future__ import annotations

import json
import subprocess

from .layer_files import layer_paths
from .layers import Layer
from .repo import Repo


class RevisionError(Exception):
    """git cannot read the revision or a file at it; the message is git's."""


def _git(repo: Repo, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo.root), *args], capture_output=True, text=True, encoding="utf-8")
    if result.returncode != 0:
        raise RevisionError(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result.stdout


def layer_files(repo: Repo, layer: Layer, rev: str | None) -> dict[str, str]:
    """{path relative to the root: content} of a layer's files at a revision (None = the working tree)."""
    if rev is None:
        return {repo.rel(path): path.read_text(encoding="utf-8") for path in layer_paths(repo, layer) if path.is_file()}
    if layer.is_span:
        folder = repo.rel(repo.annotations / layer.name) + "/"
        listed = _git(repo, "ls-tree", "-r", "-z", "--name-only", rev, "--", folder).split("\0")
        paths = [p for p in listed if p.endswith(".jsonl") and "/" not in p[len(folder) :]]
    else:
        wanted = repo.rel(repo.layer_file(layer))
        paths = [p for p in _git(repo, "ls-tree", "-z", "--name-only", rev, "--", wanted).split("\0") if p]
    # ls-tree names paths relative to the root; "./" makes git show read them so too (the root may be a subfolder).
    return {path: _git(repo, "show", f"{rev}:./{path}") for path in paths}


def records_by_id(files: dict[str, str], layer: Layer) -> dict[str, dict]:
    """Every record of the files by its id; lines that do not parse are skipped (that is the validator's business)."""
    records = {}
    for content in files.values():
        for line in content.splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                records[str(record.get(layer.id_field))] = record
    return records


def layer_records(repo: Repo, layer: Layer, rev: str | None) -> dict[str, dict]:
    """A layer's records by id at a revision (None = the working tree)."""
    return records_by_id(layer_files(repo, layer, rev), layer)
