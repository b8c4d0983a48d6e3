"""The one safe opener: every file any command reads from a repository comes through here.

A contributed repository is untrusted. Nothing here follows a symbolic link (neither the file nor any folder
between the repository root and it), reads a file outside the root, waits on something that is not a regular
file (a FIFO would block forever), or reads more than the size limit.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from ..problems import Problem
from . import limits as _limits

_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class SafeReader:
    """Reads files under one root; remembers the folders it has found to be real, so each is checked once."""

    def __init__(self, root: Path, display: str | None = None) -> None:
        self.root = Path(os.path.abspath(root))
        self.display = display  # how paths under root are shown (default: relative to root)
        # Paths are handled as strings on the way (one os.path call each): this runs for every file of a corpus.
        self._root = str(self.root)
        self._prefix = self._root.rstrip(os.sep) + os.sep
        self._real: set[str] = {self._root}

    def _under(self, absolute: str) -> str | None:
        """The part of an absolute path below the root ("." for the root itself), or None when outside it."""
        if absolute.startswith(self._prefix):
            return absolute[len(self._prefix) :].replace(os.sep, "/")
        return "." if absolute == self._root else None

    def rel(self, path: str | Path) -> str:
        relative = self._under(os.path.abspath(path))
        if relative is None:
            return Path(path).as_posix()
        return f"{self.display.rstrip('/')}/{relative}" if self.display else relative

    def _link_between(self, path: str) -> Path | None:
        """The first link among the folders from the root down to path's folder, if any."""
        missing: list[str] = []
        folder = os.path.dirname(path)
        while folder not in self._real:
            parent = os.path.dirname(folder)
            if folder == parent:
                return None
            missing.append(folder)
            folder = parent
        for folder in reversed(missing):
            if os.path.islink(folder):
                return Path(folder)
            if os.path.isdir(folder):
                self._real.add(folder)
        return None

    def exists(self, path: Path) -> bool:
        """Whether anything (a file, a folder, a link) is at path."""
        return os.path.lexists(path)

    def _open(self, absolute: str, rel: str) -> tuple[int | None, Problem | None]:
        """A descriptor of the regular file at absolute, reached through no link; (None, None) if absent."""
        link = self._link_between(absolute)
        if link is not None:
            message = "a folder on the way to this file is a link; links are never followed"
            return None, Problem(self.rel(link), 1, "symlink", message, "a real folder", "a symbolic link")
        try:
            fd = os.open(absolute, _FLAGS)
        except FileNotFoundError:
            return (None, None) if not os.path.islink(absolute) else (None, _link(rel))
        except OSError as err:
            if err.errno == errno.ELOOP or os.path.islink(absolute):
                return None, _link(rel)
            return None, Problem(rel, 1, "io", f"cannot read the file: {err.strerror}", "a readable file", str(err))
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            os.close(fd)
            return None, Problem(rel, 1, "not-a-file", "not a regular file", "a regular file", _kind(mode))
        return fd, None

    def read(self, path: Path, limit: int | None = None) -> tuple[bytes | None, Problem | None]:
        """(bytes, None); (None, problem) for a file that must not or cannot be read; (None, None) if absent."""
        limit = _limits.MAX_FILE_BYTES if limit is None else limit
        absolute = os.path.abspath(path)
        rel = self.rel(absolute)
        if self._under(absolute) is None:
            return None, Problem(
                rel, 1, "outside-repository", "file lies outside the repository", "a file under it", rel
            )
        fd, problem = self._open(absolute, rel)
        if fd is None:
            return None, problem
        try:
            size = os.fstat(fd).st_size
            if size > limit:
                return None, Problem(
                    rel, 1, "file-too-large", "file is over the size limit", f"at most {limit}", f"{size} bytes"
                )
            chunks, total = [], 0
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:  # grew while being read
                    return None, Problem(
                        rel, 1, "file-too-large", "file is over the size limit", f"at most {limit}", ">"
                    )
            return b"".join(chunks), None
        finally:
            os.close(fd)

    def lines(self, path: Path) -> tuple[Iterator[bytes] | None, Problem | None]:
        """A generated file's lines (split on \\n only), streamed with no size limit: the build makes these files,
        and at scale they exceed the limit on contributed ones. Links and non-files are refused as in read()."""
        absolute = os.path.abspath(path)
        fd, problem = self._open(absolute, self.rel(absolute))
        if fd is None:
            return None, problem
        os.set_blocking(fd, True)
        handle = os.fdopen(fd, "rb")  # owned by the file object now: closed when the stream ends or is dropped

        def stream() -> Iterator[bytes]:
            with handle:
                yield from handle

        return stream(), None

    def read_text(self, path: Path, limit: int | None = None) -> tuple[str | None, Problem | None]:
        """A file decoded as UTF-8 (invalid bytes are a problem with their line)."""
        data, problem = self.read(path, limit)
        if data is None:
            return None, problem
        return decode(data, self.rel(path))


def _link(rel: str) -> Problem:
    return Problem(rel, 1, "symlink", "links are never followed", "a regular file", "a symbolic link")


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a device or special file"


def decode(data: bytes, rel: str) -> tuple[str | None, Problem | None]:
    """Bytes as UTF-8 text; invalid bytes are a problem with the line they are on."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        found = f"byte 0x{data[err.start]:02x} at byte {err.start}"
        return None, Problem(rel, line, "encoding", "file is not valid UTF-8", "UTF-8 text", found)
