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
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        except OSError as err:
            raise self._about_target(err) from err
        self.tmp = Path(tmp)
        try:
            os.chmod(tmp, _file_mode())  # mkstemp makes 0600; a data file is as readable as any other
            self.handle = os.fdopen(fd, "wb")
        except BaseException as err:
            os.close(fd)
            self.tmp.unlink(missing_ok=True)
            if isinstance(err, OSError):
                raise self._about_target(err) from err
            raise

    def _about_target(self, err: OSError) -> OSError:
        """The same error, said of the file being written: the temporary file's name means nothing to a user
        (a read-only folder must be reported as the folder of the file they asked to change)."""
        return OSError(err.errno, err.strerror or str(err), str(self.path))

    def write(self, data: bytes) -> None:
        try:
            self.handle.write(data)
        except OSError as err:  # a full disk: the caller discards
            raise self._about_target(err) from err

    def commit(self) -> None:
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())  # the rename must never expose a file whose bytes are not on disk
            self.handle.close()
            os.replace(self.tmp, self.path)
        except BaseException as err:
            self.discard()
            if isinstance(err, OSError):
                raise self._about_target(err) from err
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
