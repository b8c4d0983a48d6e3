"""Progress on long work shows on a terminal, and nowhere else: not when stderr is a file or a pipe, not with
--quiet, not with machine-readable output (--format json|github). And the benchmark runs end to end.

The commands run as processes (a pseudo-terminal is their stderr where a terminal is needed), with this
checkout's package first on the path. Nothing here times anything.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

import dataset
from dataset.repo import Repo

from .conftest import dataset_cli

PACKAGE_ROOT = Path(dataset.__file__).resolve().parent.parent
BAR = ("records/s", " left]")  # what a progress line holds: records per second, time left

pty = pytest.importorskip("pty")  # POSIX only
fcntl = pytest.importorskip("fcntl")
termios = pytest.importorskip("termios")


def _environment() -> dict[str, str]:
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT) + (os.pathsep + path if path else ""), "COLUMNS": "120"}


def _command(repo: Repo, *args: str) -> list[str]:
    return [sys.executable, "-m", "dataset", "--root", str(repo.root), *args]


def _stderr_on_a_terminal(argv: list[str]) -> tuple[int, str]:
    """Run argv with a pseudo-terminal as its stderr; its exit code and everything it wrote there."""
    master, slave = pty.openpty()
    # A terminal of 24 rows and 120 columns (a fresh pseudo-terminal has none, and tqdm draws no bar on row 0 of 0).
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    try:
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave, env=_environment()
        )
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the command has closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return process.wait(timeout=120), b"".join(chunks).decode("utf-8", errors="replace")


def test_progress_shows_on_a_terminal_with_time_left(mini: Repo) -> None:
    code, shown = _stderr_on_a_terminal(_command(mini, "validate"))
    assert code == 0
    assert "validate: " in shown and "/2 documents" in shown and all(part in shown for part in BAR), shown


@pytest.mark.parametrize(
    "args",
    [("--quiet", "validate"), ("validate", "--format", "json"), ("validate", "--format", "github")],
    ids=["quiet", "json", "github"],
)
def test_no_progress_on_a_terminal_when_asked_for_quiet_or_machine_output(mini: Repo, args: tuple[str, ...]) -> None:
    code, shown = _stderr_on_a_terminal(_command(mini, *args))
    assert code == 0
    redrawn = "\r" in shown.replace("\r\n", "\n")  # a terminal ends lines with \r\n; a bar redraws with \r
    assert not any(part in shown for part in BAR) and not redrawn, shown


@pytest.mark.parametrize("command", ["validate", "build", "stats"])
def test_nothing_extra_when_stderr_is_not_a_terminal(mini: Repo, command: str) -> None:
    result = subprocess.run(_command(mini, command), capture_output=True, text=True, env=_environment())
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_bench_measures_generated_corpora_and_prints_a_table(mini: Repo) -> None:
    result = dataset_cli(mini, "bench", "--records", "7", "14", "--steps", "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""  # no progress: not a terminal
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| span records |"))
    rows = [line.split("|") for line in lines[header + 2 : header + 4]]
    assert [int(row[2].strip()) for row in rows] == [2, 4]  # documents: the two copied once, then twice
    assert all("exit" not in row[3] for row in rows)  # validate passed on both corpora
    assert any(line.startswith("| `build` |") for line in lines)


def test_bench_times_the_commands_asked_for_without_validate(mini: Repo) -> None:
    result = dataset_cli(mini, "bench", "--records", "7", "--steps", "build", "--repeat", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "| span records | documents | validate s |" not in result.stdout
    assert any(line.startswith("| `build` | 7 |") for line in result.stdout.splitlines()), result.stdout


def test_bench_lists_its_scenarios_and_refuses_an_unknown_one(mini: Repo) -> None:
    listed = dataset_cli(mini, "bench", "--list-scenarios")
    assert listed.returncode == 0 and listed.stdout.startswith("copies: ")
    unknown = dataset_cli(mini, "bench", "--scenario", "no-such-scenario")
    assert unknown.returncode == 2 and "usage" in unknown.stderr and "copies" in unknown.stderr
