"""Atomic files: a file is either fully old or fully new, never half-written, whatever happens (kill -9 included)."""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path


@cache
def _file_mode() -> int:
    """The mode a newly created file gets under the process umask (read once, when first needed)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class AtomicFile:
    """A temporary file beside the target, renamed over it on commit, removed on discard.

    A link at the target is replaced by the new file, never written through: no write ever leaves the repository.
    As a context manager it commits when the block ends normally and discards on an exception.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        self.tmp = Path(tmp)
        try:
            os.chmod(tmp, _file_mode())  # mkstemp makes 0600; a data file is as readable as any other
            self.handle = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)
            self.tmp.unlink(missing_ok=True)
            raise

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def commit(self) -> None:
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())  # the rename must never expose a file whose bytes are not on disk
            self.handle.close()
            os.replace(self.tmp, self.path)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        if not self.handle.closed:
            self.handle.close()
        self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside the target, then rename: the file is either old or new."""
    with AtomicFile(path) as file:
        file.write(content.encode("utf-8") if isinstance(content, str) else content)
