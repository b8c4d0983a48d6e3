"""A whole output folder, written beside its place and renamed into it: never half-written, never someone else's.

A command that makes a folder (export-tool) stages it in a temporary folder next to the target, marks it as
its own with a marker file, and renames it into place only when everything is written. An existing folder is
replaced only when it is empty or carries the same marker, so a folder the command did not make is never
touched, whatever path is given.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .files import atomic_write


class FolderRefusedError(Exception):
    """The target exists and is not a folder this command made."""


def replaceable(out: Path, marker: str, marker_text: str) -> bool:
    """A new path, an empty folder, or a folder holding exactly our marker file may be replaced."""
    if out.is_symlink():
        return False
    if not out.exists():
        return True
    if not out.is_dir():
        return False
    mark = out / marker
    if mark.is_file() and not mark.is_symlink():
        return mark.read_bytes() == marker_text.encode("utf-8")
    return not any(out.iterdir())


def _swap(out: Path, staging: Path) -> None:
    if not out.exists():
        os.replace(staging, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
    os.replace(out, old / out.name)
    try:
        os.replace(staging, out)
    except OSError:
        os.replace(old / out.name, out)  # the earlier folder goes back
        old.rmdir()
        raise
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def staged_folder(out: Path, marker: str, marker_text: str) -> Iterator[Path]:
    """Yield an empty staging folder; when the block ends normally it is marked and takes out's place.

    On an exception (or a refusal raised by the block) the staging folder is removed and out is untouched.
    """
    out = Path(os.path.abspath(out))  # not resolve(): a link in place of the folder must be seen, not followed
    if not replaceable(out, marker, marker_text):
        raise FolderRefusedError(
            f"exists and was not made by this command (no {marker} file in it): it is never replaced or written "
            "into; choose a new or empty folder"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        yield staging
        atomic_write(staging / marker, marker_text)
        staging.chmod(0o755)  # mkdtemp makes 0700; an output folder is as readable as any other
        _swap(out, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
