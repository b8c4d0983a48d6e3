"""Read and write layer files in canonical form; writes are atomic and roll back if they break the dataset."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .build import atomic_write, build
from .canonical import canonical_file
from .layers import Layer
from .lock import repository_lock
from .problems import FORMATTERS, Problem
from .reading import read_jsonl
from .repo import Repo
from .schemas import Schemas
from .validate import validate

DERIVED_RULES = frozenset({"generated-stale", "card-stale"})


class ChangeRejectedError(Exception):
    """The change would add problems to the dataset; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def read_records(repo: Repo, path: Path) -> tuple[list[dict], list[Problem]]:
    """Records of a layer file (a missing file is empty) and the problems that forbid rewriting it."""
    if not path.is_file() and not path.is_symlink():
        return [], []
    records, problems = read_jsonl(path, repo.rel(path))
    return [r.data for r in records], problems


def refuse_if_invalid(repo: Repo, command: str) -> bool:
    """Print the problems that block a command that reads the data (stale derived files do not); True if any."""
    problems = [p for p in validate(repo).problems if p.rule not in DERIVED_RULES]
    if problems:
        print(FORMATTERS["text"](problems))
        print(f"{command}: {len(problems)} problem(s) to fix first", file=sys.stderr)
    return bool(problems)


def _key(problem: Problem) -> tuple:
    return (problem.path, problem.rule, problem.message, problem.expected, problem.found)


def blocking(problems: list[Problem]) -> set[tuple]:
    """Problems other than stale derived files, comparable across two validation runs."""
    return {_key(p) for p in problems if p.rule not in DERIVED_RULES}


@contextmanager
def transaction(repo: Repo, *, guard: bool = True) -> Iterator[dict[Path, str]]:
    """Collect new file contents; on exit write them atomically, validate, and roll back on new problems.

    The whole change runs under the repository lock, so no other command can write in between; a rollback
    restores only the files this change wrote, and only while they still hold what it wrote.
    guard=False is for changes that cannot alter meaning (fmt); they are written without the comparison.
    The derived files are rebuilt after a successful change, so the dataset stays valid.
    """
    with repository_lock(repo):
        before = blocking(validate(repo).problems) if guard else set()
        writes: dict[Path, str] = {}
        yield writes
        old = {path: (path.read_bytes() if path.is_file() else None) for path in writes}
        written: dict[Path, bytes] = {}

        def restore() -> None:
            for path, data in written.items():
                current = path.read_bytes() if path.is_file() else None
                if current != data:
                    continue  # not what this change wrote: not this change's to undo
                if old[path] is None:
                    path.unlink(missing_ok=True)
                else:
                    atomic_write(path, old[path])

        try:
            for path, content in writes.items():
                data = content.encode("utf-8")
                atomic_write(path, data)
                written[path] = data
            after = validate(repo).problems
            if guard:
                new = [p for p in after if p.rule not in DERIVED_RULES and _key(p) not in before]
                if new:
                    restore()
                    raise ChangeRejectedError(new)
            if not blocking(after):
                build(repo)
        except ChangeRejectedError:
            raise
        except BaseException:  # an interrupted or failed change leaves every file as it was
            restore()
            raise


def write_layer(writes: dict[Path, str], layer: Layer, path: Path, records: list[dict], schemas: Schemas) -> None:
    writes[path] = canonical_file(layer, records, schemas)
