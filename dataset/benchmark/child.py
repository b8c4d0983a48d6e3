"""Run one command as a user runs it, in a fresh process, and read its wall time and peak memory.

The peak is that process's own ru_maxrss (os.wait4 reports it per child, including the workers it waited for),
not the largest of every child the bench ever ran (RUSAGE_CHILDREN), so a small size after a large one is
measured truly. The command's output goes to a file, never to a terminal: it shows no progress of its own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

# The children never reach the network: publish loads its own folder back with datasets, offline.
OFFLINE = {"HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}
# The folder holding this `dataset` package: the children run this code, whatever is installed elsewhere.
PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


def _environment() -> dict[str, str]:
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, **OFFLINE, "PYTHONPATH": PACKAGE_ROOT + (os.pathsep + path if path else "")}


@dataclass(frozen=True)
class Run:
    """One finished (or stopped) command: wall seconds, processor seconds (user and system, its workers' too),
    peak resident MiB, exit code and the end of its output."""

    seconds: float
    cpu_seconds: float
    peak_mib: float
    exit_code: int
    output: str
    timed_out: bool = False


def dataset_command(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "dataset", "--root", str(root), *args]


def run(argv: list[str], *, timeout: float | None = None, cwd: Path | None = None) -> Run:
    """Start argv, wait for it (killing its process group after `timeout` seconds), and measure it."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            [*argv],  # an argument list, never a shell line
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=_environment(),
            start_new_session=True,  # its own process group, so a timeout stops its workers too
        )
        expired = threading.Event()
        timer = None
        if timeout is not None:
            timer = threading.Timer(timeout, _stop, (process.pid, expired))
            timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            _stop(process.pid, expired)
            process.wait()
            raise
        finally:
            if timer is not None:
                timer.cancel()
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
        output.seek(0)
        text = output.read().decode("utf-8", errors="replace")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, usage.ru_maxrss / 1024, process.returncode, text[-4000:], expired.is_set())


def _stop(pid: int, expired: threading.Event) -> None:
    expired.set()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
