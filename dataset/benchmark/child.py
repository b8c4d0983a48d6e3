"""Run one command as a user runs it, in a fresh process, and read its wall time, processor time and peak memory.

The figures are the kernel's for that one process (os.wait4: its own ru_maxrss, which covers the workers it
waited for, and its user and system time, theirs included), read by a small starter process (see _STARTER), so
neither the bench's own memory nor an earlier, larger command's peak leaks into them. The command's output goes
to a file, never to a terminal: it shows no progress of its own.
"""

from __future__ import annotations

import contextlib
import json
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


# A small process between the bench and the command: a process starts with the peak memory of the one that made
# it (the kernel carries it over fork and exec), and the bench may hold a large corpus's bookkeeping. The starter
# is a fresh, small interpreter; it starts the command, waits for it and writes what the kernel says of it.
_STARTER = """
import json, os, sys, time
result, argv = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
with open(result, "w") as out:
    json.dump([seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status)], out)
"""


def run(argv: list[str], *, timeout: float | None = None, cwd: Path | None = None) -> Run:
    """Start argv, wait for it (killing its process group after `timeout` seconds), and measure it."""
    with tempfile.TemporaryDirectory(prefix="kursk-bench-run-") as folder:
        result, output = Path(folder) / "result.json", Path(folder) / "output"
        started = time.perf_counter()
        with output.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-S", "-c", _STARTER, str(result), *argv],  # an argument list, never a shell line
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=cwd,
                env=_environment(),
                start_new_session=True,  # its own process group, so a timeout stops the command and its workers
            )
            expired = threading.Event()
            timer = None
            if timeout is not None:
                timer = threading.Timer(timeout, _stop, (process.pid, expired))
                timer.start()
            try:
                process.wait()
            except BaseException:
                _stop(process.pid, expired)
                process.wait()
                raise
            finally:
                if timer is not None:
                    timer.cancel()
        text = output.read_bytes()[-16_000:].decode("utf-8", errors="replace")
        if expired.is_set() or not result.is_file():
            return Run(time.perf_counter() - started, 0.0, 0.0, process.returncode, text[-4000:], expired.is_set())
        seconds, cpu, peak_kib, code = json.loads(result.read_text(encoding="utf-8"))
    return Run(seconds, cpu, peak_kib / 1024, code, text[-4000:])


def _stop(pid: int, expired: threading.Event) -> None:
    expired.set()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
