"""A layer's records at a git revision (or in the working tree), read-only: git ls-tree and git show, nothing else.

One place for "what did the records look like at REV", shared by `diff` and `report --changed-since`. The revision
comes from the user, so it is never handed to git as it is: anything starting with "-" is refused (git would take
it as an option, e.g. `git show --output=FILE` writes a file), and the rest is resolved to a commit hash with
`git rev-parse --verify --end-of-options`; only that hash reaches ls-tree and show. Files are read as
the corpus reader reads them: split on "\\n" only (never str.splitlines, which also splits on U+2028 inside a JSON
string), and a file that is not text (invalid UTF-8, too large, a link) is a RevisionError, never a traceback.
"""

from __future__ import annotations

import subprocess

from ..layers import Layer
from ..problems import Problem, Sink
from ..repo import Repo
from . import limits
from .files import SafeReader, decode
from .jsonl import Record, parse_jsonl


class RevisionError(Exception):
    """git cannot read the revision or a file at it, or a file is not text; the message says which."""


def _git(repo: Repo, *args: str) -> bytes:
    """git's standard output as bytes (decoding is the caller's business, so bad bytes never raise here)."""
    try:
        result = subprocess.run(["git", "-C", str(repo.root), *args], capture_output=True, check=False)
    except OSError as err:  # no git on this machine
        raise RevisionError(f"cannot run git: {err}") from err
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", errors="replace").strip()
        raise RevisionError(message or f"git {args[0]} failed (exit {result.returncode})")
    return result.stdout


def resolve(repo: Repo, rev: str) -> str:
    """The commit hash a user-given revision names; RevisionError if it is option-like or names no commit."""
    if not rev or rev.startswith("-") or "\0" in rev:
        raise RevisionError(f"{rev!r} is not a revision name (a revision never starts with '-')")
    try:
        output = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    except RevisionError as err:
        detail = f" ({err})" if str(err).startswith("fatal:") else ""
        raise RevisionError(f"unknown revision {rev!r}: git knows no commit by that name{detail}") from err
    return output.decode("ascii").strip()


def parse_jsonl_bytes(data: bytes, rel: str) -> tuple[list[Record], list[Problem]]:
    """A file's bytes as git show gives them, read like the corpus reader reads a file.

    Lines are split on "\\n" only and parsed with the same line parser (same limits, same problems). The
    formatting rules of a file in the working tree (BOM, CRLF, blank lines, final newline) are the validator's,
    not a diff's: here they are tolerated silently.
    """
    if len(data) > limits.MAX_FILE_BYTES:
        size = f"{len(data)} bytes"
        expected = f"at most {limits.MAX_FILE_BYTES}"
        return [], [Problem(rel, 1, "file-too-large", "file is over the size limit", expected, size)]
    text, problem = decode(data, rel)
    if text is None:
        return [], [problem]  # type: ignore[list-item]
    sink = Sink()
    records = parse_jsonl(text, rel, sink, strict=False)
    return records, sink.problems()


# Problems that leave a whole file unread: a diff of it would be wrong, so it is an error instead.
_FILE_PROBLEMS = frozenset({"encoding", "file-too-large", "symlink"})


def _readable(read: tuple[list[Record], list[Problem]], where: str) -> list[Record]:
    """The records of a file as read; RevisionError if the file is not text at all."""
    records, problems = read
    for problem in problems:
        if problem.rule in _FILE_PROBLEMS:
            raise RevisionError(f"{where}: {problem.text()}")
    return records  # lines that do not parse are skipped: reporting them is the validator's business


def layer_paths(repo: Repo, layer: Layer) -> list:
    """The layer's files in the working tree: one per document for span layers, else the single file."""
    if layer.is_span:
        folder = repo.gold.layer_folder(layer)
        if folder.is_symlink():
            return [folder]  # read as a file, it is refused as the link it is (never silently skipped)
        return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []
    return [repo.layer_file(layer)]


def _working_tree_records(repo: Repo, layer: Layer) -> list[Record]:
    reader = SafeReader(repo.root)
    records = []
    for path in layer_paths(repo, layer):
        data, problem = reader.read(path)
        if problem is not None:
            raise RevisionError(f"in the working tree: {problem.text()}")
        if data is not None:
            records += _readable(parse_jsonl_bytes(data, reader.rel(path)), "in the working tree")
    return records


def _listed(repo: Repo, where: str, *args: str) -> list[str]:
    """The paths git ls-tree lists (NUL-separated, so any name survives); a name that is not UTF-8 is an error."""
    try:
        return [p for p in _git(repo, "ls-tree", "-z", "--name-only", *args).decode("utf-8").split("\0") if p]
    except UnicodeDecodeError as err:
        raise RevisionError(f"{where}: a file name under {args[-1]} is not valid UTF-8") from err


def _revision_records(repo: Repo, layer: Layer, rev: str) -> list[Record]:
    commit = resolve(repo, rev)
    where = f"at revision {rev!r} ({commit[:12]})"
    if layer.is_span:
        folder = repo.rel(repo.annotations / layer.name) + "/"
        paths = _listed(repo, where, "-r", commit, "--", folder)
        paths = [p for p in paths if p.endswith(".jsonl") and "/" not in p[len(folder) :]]
    else:
        paths = _listed(repo, where, commit, "--", repo.rel(repo.layer_file(layer)))
    records = []
    for path in paths:
        # ls-tree names paths relative to the root; "./" makes git show read them so too (the root may be a subfolder).
        content = _git(repo, "show", f"{commit}:./{path}")
        records += _readable(parse_jsonl_bytes(content, path), where)
    return records


def layer_records(repo: Repo, layer: Layer, rev: str | None) -> dict[str, dict]:
    """A layer's records by id at a revision (None = the working tree); RevisionError if they cannot be read."""
    records = _working_tree_records(repo, layer) if rev is None else _revision_records(repo, layer, rev)
    return {str(record.data.get(layer.id_field)): record.data for record in records}


def changed_files(repo: Repo, commit: str, folder: str) -> list[str]:
    """Files under folder (relative to the root) whose content differs between a commit (a hash from resolve) and
    the working tree, files git does not track yet included: a comparison then reads only these."""
    where = f"comparing with commit {commit[:12]}"
    outputs = [
        _git(repo, "diff", "--name-only", "-z", "--no-renames", "--relative", commit, "--", folder),
        _git(repo, "ls-files", "-z", "--others", "--exclude-standard", "--", folder),
    ]
    try:
        return sorted({path for output in outputs for path in output.decode("utf-8").split("\0") if path})
    except UnicodeDecodeError as err:
        raise RevisionError(f"{where}: a file name under {folder} is not valid UTF-8") from err


def file_records(repo: Repo, layer: Layer, path: str, commit: str | None) -> dict[str, dict]:
    """One layer file's records by id at a commit (a hash from resolve; None = the working tree); a file that is
    not there is empty."""
    if commit is None:
        reader = SafeReader(repo.root)
        data, problem = reader.read(repo.root / path)
        if problem is not None:
            raise RevisionError(f"in the working tree: {problem.text()}")
        records = _readable(parse_jsonl_bytes(data, path), "in the working tree") if data is not None else []
    else:
        where = f"at commit {commit[:12]}"
        present = _listed(repo, where, commit, "--", path)
        records = _readable(parse_jsonl_bytes(_git(repo, "show", f"{commit}:./{path}"), path), where) if present else []
    return {str(record.data.get(layer.id_field)): record.data for record in records}
