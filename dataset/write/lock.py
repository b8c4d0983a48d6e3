"""One writer at a time: every command that writes holds the repository's lock for its whole run.

Two `add` runs at once would otherwise both read the same file, both pick the same next id, and the later
rename would drop the earlier record; a rollback could undo the other run's work. The lock is an operating
system lock (flock) on `.dataset.lock` in the repository root, so it is released when its holder exits, even
after `kill -9`: a stale lock cannot block anyone.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from ..repo import Repo

WAIT_SECONDS = 120.0  # overridable with DATASET_LOCK_TIMEOUT (seconds)


class LockTimeoutError(Exception):
    """Another command held the repository lock for longer than we wait."""


def _lock(repo: Repo) -> FileLock:
    # One instance per path in this process, so a command that takes the lock twice (cli, then transaction) nests.
    return FileLock(repo.lock_file, is_singleton=True, thread_local=False)


def wait_seconds() -> float:
    try:
        return float(os.environ.get("DATASET_LOCK_TIMEOUT", WAIT_SECONDS))
    except ValueError:
        return WAIT_SECONDS


@contextmanager
def repository_lock(repo: Repo) -> Iterator[None]:
    """Hold the lock; say so on stderr when another command holds it, and give up after wait_seconds()."""
    lock = _lock(repo)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        limit = wait_seconds()
        print(
            f"waiting for another dataset command that is writing to {repo.root} (lock {repo.rel(repo.lock_file)}; "
            f"giving up after {limit:g} s)",
            file=sys.stderr,
        )
        try:
            lock.acquire(timeout=limit)
        except Timeout as err:
            raise LockTimeoutError(
                f"gave up after {limit:g} s: another dataset command is still writing to this repository "
                f"(set DATASET_LOCK_TIMEOUT to wait longer)"
            ) from err
    try:
        yield
    finally:
        lock.release()
