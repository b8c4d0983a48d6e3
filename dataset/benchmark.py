"""A benchmark, apart from the tests: validate synthetic corpora N times the real one and report time and memory.

The corpus copies every real document N times under new ids (seeds, metadata and span layers; the registries
are shared), builds its derived files, then runs `validate` in a fresh process and reads its peak resident memory.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .layers import BY_NAME, SPAN_LAYERS
from .problems import Sink
from .read.digests import sha256_hex
from .read.jsonl import parse_jsonl
from .read.revisions import layer_paths
from .repo import Repo
from .write.build import build
from .write.files import atomic_write


def read_jsonl(path: Path, rel: str) -> tuple[list, list]:
    sink = Sink()
    return parse_jsonl(path.read_text(encoding="utf-8"), rel, sink), sink.problems()


def sha256_of(path: Path) -> str:
    return sha256_hex(path.read_bytes())


@dataclass(frozen=True)
class Measurement:
    scale: int
    documents: int
    records: int
    seconds: float
    peak_mib: float


def _retarget(record: dict, old: str, new: str) -> str:
    """A span record moved to a copy of its document: doc_id and every id that carries it."""
    text = json.dumps(record, ensure_ascii=False).replace(f'"{old}', f'"{new}')
    return text + "\n"


def synthetic_corpus(repo: Repo, scale: int, root: Path) -> Repo:
    target = Repo(root)
    shutil.copytree(repo.schema_dir, target.schema_dir)
    for name in ("entities", "clusters"):
        layer = BY_NAME[name]
        target.layer_file(layer).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(repo.layer_file(layer), target.layer_file(layer))
    target.seeds.mkdir()
    documents_file = repo.layer_file(BY_NAME["documents"])
    documents = [r.data for r in read_jsonl(documents_file, repo.rel(documents_file))[0]]
    digests, metadata = [], []
    for copy in range(scale):
        for document in documents:
            old = document["doc_id"]
            new = f"{copy:05d}-{old}"
            shutil.copy(repo.seed(old), target.seed(new))
            digests.append(f"{sha256_of(target.seed(new))}  {new}.txt\n")
            metadata.append(json.dumps({**document, "doc_id": new}, ensure_ascii=False) + "\n")
            for layer in SPAN_LAYERS:
                records, _ = read_jsonl(repo.layer_file(layer, old), repo.rel(repo.layer_file(layer, old)))
                atomic_write(target.layer_file(layer, new), "".join(_retarget(r.data, old, new) for r in records))
    atomic_write(target.digests, "".join(digests))
    atomic_write(target.layer_file(BY_NAME["documents"]), "".join(sorted(metadata)))
    atomic_write(target.readme, "---\n---\n")
    build(target)
    return target


def measure(repo: Repo, scale: int) -> Measurement:
    with tempfile.TemporaryDirectory(prefix="kursk-bench-") as tmp:
        corpus = synthetic_corpus(repo, scale, Path(tmp) / "corpus")
        records = sum(
            len(read_jsonl(path, path.name)[0]) for layer in SPAN_LAYERS for path in layer_paths(corpus, layer)
        )
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "dataset", "--root", str(corpus.root), "validate"], capture_output=True, text=True
        )
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if result.returncode != 0:
            raise RuntimeError(f"synthetic corpus did not validate:\n{result.stdout[:2000]}")
        documents = len(list(corpus.seeds.glob("*.txt")))
    # ru_maxrss is the largest child so far (KiB on Linux): run scales in increasing order.
    return Measurement(scale, documents, records, seconds, max(peak, before) / 1024)
