"""Change layer files in canonical form: atomically, under the repository lock, rolled back if they break the data."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..check.run import validate
from ..derive.canonical import canonical_file
from ..layers import Layer
from ..problems import Problem, Sink
from ..read.files import SafeReader, decode
from ..read.jsonl import parse_jsonl
from ..repo import Repo
from ..schemas import Schemas
from .build import check_and_build
from .files import atomic_write
from .lock import repository_lock


class ChangeRejectedError(Exception):
    """The change would add problems to the dataset; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def read_records(repo: Repo, path: Path) -> tuple[list[dict], list[Problem]]:
    """Records of a layer file (a missing file is empty) and the problems that forbid rewriting it."""
    reader = SafeReader(repo.root)
    data, problem = reader.read(path)
    if problem is not None:
        return [], [problem]
    if data is None:
        return [], []
    text, problem = decode(data, reader.rel(path))
    if text is None:
        return [], [problem]  # type: ignore[list-item]
    sink = Sink()
    records = parse_jsonl(text, reader.rel(path), sink)
    return [r.data for r in records], sink.problems()


def _key(problem: Problem) -> tuple:
    return (problem.path, problem.rule, problem.message, problem.expected, problem.found)


@contextmanager
def transaction(repo: Repo, *, guard: bool = True) -> Iterator[dict[Path, str]]:
    """Collect new file contents; on exit write them atomically, check, and roll back on new problems.

    The whole change runs under the repository lock, so no other command can write in between; a rollback
    restores only the files this change wrote, and only while they still hold what it wrote. One pass over the
    changed repository checks it and rebuilds the derived files; only when it finds problems is the repository
    as it was checked too, to tell the change's problems from older ones. guard=False is for changes that cannot
    alter meaning (fmt): they are kept whatever the check finds.
    """
    with repository_lock(repo):
        writes: dict[Path, str] = {}
        yield writes
        reader = SafeReader(repo.root)
        old: dict[Path, bytes | None] = {}
        for path in writes:  # what each file held, to restore; a link or a folder in the way is never written
            old[path], problem = reader.read(path, limit=sys.maxsize)
            if problem is not None:
                raise ChangeRejectedError([problem])
        written: dict[Path, bytes] = {}

        def write() -> None:
            for path, content in writes.items():
                data = content.encode("utf-8")
                atomic_write(path, data)
                written[path] = data

        def restore() -> None:
            for path, data in written.items():
                current, _ = reader.read(path, limit=sys.maxsize)
                if current != data:
                    continue  # not what this change wrote: not this change's to undo
                if old[path] is None:
                    path.unlink(missing_ok=True)
                else:
                    atomic_write(path, old[path])  # type: ignore[arg-type]

        try:
            write()
            # One pass checks the changed repository and, if it is valid, rebuilds the derived files.
            problems = check_and_build(repo).data
            if problems and guard:
                restore()  # the repository as it was: were these problems there before the change?
                before = {_key(p) for p in validate(repo).problems}
                new = [p for p in problems if _key(p) not in before]
                if new:
                    raise ChangeRejectedError(new)
                write()  # the change adds no problem to a repository that already had some
        except ChangeRejectedError:
            raise
        except BaseException:  # an interrupted or failed change leaves every file as it was
            restore()
            raise


def write_layer(writes: dict[Path, str], layer: Layer, path: Path, records: list[dict], schemas: Schemas) -> None:
    writes[path] = canonical_file(layer, records, schemas)
