"""The floor validate is measured against: read every JSONL file it reads and `json.loads` every line, on one core.

Nothing else: no checks, no records kept. Blank or malformed lines (a hostile corpus) are counted, not fatal.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from ..layers import LAYERS
from ..repo import Repo


@dataclass(frozen=True)
class Parse:
    seconds: float
    files: int
    lines: int
    bytes: int


def jsonl_files(repo: Repo) -> list[Path]:
    """The annotation files validate parses: the documents file, the registries and every store's span files."""
    files = []
    for store in repo.span_stores():
        for layer in LAYERS:
            if layer.is_span:
                folder = store.layer_folder(layer)
                files += sorted(folder.glob("*.jsonl")) if folder.is_dir() else []
            elif store.layer_file(layer).is_file():
                files.append(store.layer_file(layer))
    return files


def parse_all(repo: Repo) -> Parse:
    files = jsonl_files(repo)
    lines = size = 0
    loads = json.loads
    started = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        size += len(data)
        for line in data.decode("utf-8").split("\n"):
            if line:
                lines += 1
                with contextlib.suppress(ValueError):
                    loads(line)
    return Parse(time.perf_counter() - started, len(files), lines, size)
