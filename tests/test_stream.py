"""The corpus stream forked over worker processes gives what one process gives: the same problems, the same
summary, the same generated files.

A small repository is below the size at which the stream starts workers, so the commands run here in a fresh
process that lowers that size to nothing (a fresh process, because the test process may already run polars'
thread pool, and the stream never forks then).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dataset
from dataset.read import stream
from dataset.repo import Repo

from .test_rules import CLAIMS0, edit

PACKAGE_ROOT = Path(dataset.__file__).resolve().parent.parent
SCRIPT = """
import sys
from dataset.read import stream
stream.SERIAL_BELOW = 0
stream.BATCH_DOCUMENTS = 1
from dataset.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _run(repo: Repo, *args: str, parallel: bool) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-c", SCRIPT] if parallel else [sys.executable, "-m", "dataset"]
    path = os.environ.get("PYTHONPATH")
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT) + (os.pathsep + path if path else "")}
    return subprocess.run([*argv, "--root", str(repo.root), *args], capture_output=True, text=True, env=env)


def test_workers_report_what_one_process_reports(mini: Repo) -> None:
    valid = _run(mini, "validate", "--jobs", "2", parallel=True)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert valid.stdout == _run(mini, "validate", "--jobs", "1", parallel=False).stdout
    edit(mini.root / CLAIMS0, 0, source_ids=["100_mini:src-009"], end=10_000)
    broken = _run(mini, "validate", "--format", "json", "--jobs", "2", parallel=True)
    serial = _run(mini, "validate", "--format", "json", "--jobs", "1", parallel=False)
    assert broken.returncode == serial.returncode == 1
    rules = {problem["rule"] for problem in json.loads(broken.stdout)}
    assert {"dangling-ref", "span-bounds"} <= rules
    assert broken.stdout == serial.stdout


def test_workers_build_the_files_one_process_builds(mini: Repo) -> None:
    generated = mini.generated_documents.read_bytes()
    readme = mini.readme.read_bytes()
    mini.generated_documents.unlink()
    result = _run(mini, "build", "--jobs", "2", parallel=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert mini.generated_documents.read_bytes() == generated and mini.readme.read_bytes() == readme


def test_the_stream_does_not_fork_a_process_running_a_native_thread_pool() -> None:
    import polars as pl

    pl.DataFrame({"a": [1, 2]}).lazy().select(pl.col("a").is_first_distinct()).collect()  # starts polars' pool
    assert not stream.fork_safe()
