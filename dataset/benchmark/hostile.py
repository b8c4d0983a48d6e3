"""The hostile worst cases inside the documented limits, as corpora to run commands on (issue 12, round two).

Each function builds one repository under a given folder and returns a Case: what to run on it and the exit code
a bounded, correct run gives. `python -m dataset bench` runs them at the issue's sizes and reports time and peak
memory; tests/test_hostile.py runs the same builders at small sizes (tests never time anything). What each case
once cost: 16 MiB of blank lines ran out of memory; 40,000 claims and mentions against 40,000 boilerplate spans
took 320 s and 1.1 GB (pairwise); five 99,000-character `conflicts_with` lines took 111 s (quadratic uniqueItems).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dataset.derive.card import skeleton
from dataset.layers import BY_NAME, DOCUMENT_LAYER, SPAN_LAYERS
from dataset.read.digests import sha256_hex
from dataset.repo import Repo
from dataset.write.build import BLOCKS, build

MiB = 1024 * 1024
PROVENANCE = {"annotated_by": "b", "reviewed_by": None, "review_status": "unreviewed", "note": None}


@dataclass(frozen=True)
class Case:
    """A built repository, the command line to run on it (after `python -m dataset --root ROOT`), the exit code
    a correct run gives, and what is hostile about it."""

    name: str
    root: Path
    argv: tuple[str, ...]
    expect: int
    what: str
    size: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Measurement:
    case: Case
    code: int
    seconds: float
    peak_mib: float
    output: str


def _jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def repository(
    real: Repo,
    folder: Path,
    seeds: dict[str, str],
    spans: dict[str, dict[str, list[dict]]] | None = None,
    entities: list[dict] | None = None,
    clusters: list[dict] | None = None,
) -> Repo:
    """A valid repository from its parts (spans: layer -> doc -> records) with the real schemas, built."""
    repo = Repo(folder)
    shutil.copytree(real.schema_dir, repo.schema_dir)
    repo.seeds.mkdir(parents=True)
    sums = []
    for doc, text in seeds.items():
        repo.seed(doc).write_bytes(text.encode("utf-8"))
        sums.append(f"{sha256_hex(text.encode('utf-8'))}  {doc}.txt\n")
    repo.digests.write_text("".join(sums), encoding="utf-8")
    metadata = {
        "language": "de",
        "headline": None,
        "outlet": None,
        "published": None,
        "url": None,
        "extraction": "web-page",
        "lineage": [],
    }
    documents = [{"doc_id": doc, **metadata, **PROVENANCE} for doc in seeds]
    files = {
        repo.layer_file(DOCUMENT_LAYER): documents,
        repo.layer_file(BY_NAME["entities"]): entities or [],
        repo.layer_file(BY_NAME["clusters"]): clusters or [],
    }
    for layer in SPAN_LAYERS:
        for doc in seeds:
            files[repo.layer_file(layer, doc)] = (spans or {}).get(layer.name, {}).get(doc, [])
    for path, records in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_jsonl(records), encoding="utf-8")
    repo.readme.write_text(skeleton("Hostile benchmark", list(BLOCKS)), encoding="utf-8")
    problems, _ = build(repo)
    if problems:
        raise RuntimeError("the base corpus does not validate: " + "; ".join(p.text() for p in problems[:5]))
    return repo


def _span(doc: str, start: int, text: str, **fields: object) -> dict:
    return {"doc_id": doc, "start": start, "end": start + len(text), "text": text, **fields}


def _small(real: Repo, folder: Path) -> Repo:
    """One short valid document with one record in each span layer."""
    doc, text = "000_hostile", "Menü\n\nLaut CNN sind 50 Soldaten in Kursk.\n"
    cnn = {"id": "ent-cnn", "name": "CNN", "type": "outlet", "description": "US news network.", **PROVENANCE}
    spans = {
        "boilerplate": {doc: [{"id": f"{doc}:bp-001", **_span(doc, 0, "Menü", category="navigation"), **PROVENANCE}]},
        "sources": {doc: [{"id": f"{doc}:src-001", **_span(doc, 11, "CNN", entity_id="ent-cnn"), **PROVENANCE}]},
        "claims": {doc: [_claim(doc, 1, 6, "Laut CNN sind 50 Soldaten in Kursk", f"{doc}:src-001")]},
    }
    return repository(real, folder, {doc: text}, spans, [cnn])


def _claim(doc: str, number: int, start: int, text: str, mention: str, value: float | None = None) -> dict:
    """A reported claim with its cue; with a value, a quantity claim (a float literal on every line)."""
    cue = {"start": start, "end": start + 4, "text": text[:4]}
    kind = "event" if value is None else "quantity"
    quantity = None if value is None else {"value": value, "unit": "men", "qualifier": "about"}
    return {
        "id": f"{doc}:claim-{number:06d}",
        **_span(doc, start, text, type=kind, modality="reportive", source_ids=[mention], cue=cue),
        "quantity": quantity,
        "cluster_id": None,
        **PROVENANCE,
    }


def blank_lines(real: Repo, folder: Path, size: int = 16 * MiB) -> Case:
    """A span file padded with empty lines to `size` bytes: every line is a problem, memory must stay flat."""
    repo = _small(real, folder)
    path = repo.layer_file(BY_NAME["claims"], "000_hostile")
    data = path.read_bytes()
    path.write_bytes(data + b"\n" * max(size - len(data), 1))
    return Case("blank lines", repo.root, ("validate",), 1, f"{size} bytes of empty lines", {"bytes": size})


def invalid_lines(real: Repo, folder: Path, size: int = 16 * MiB) -> Case:
    """A span file of `{x}` lines (each parsed, each refused): the reader's per-line worst case."""
    repo = _small(real, folder)
    path = repo.layer_file(BY_NAME["claims"], "000_hostile")
    data = path.read_bytes()
    path.write_bytes(data + b"{x}\n" * max((size - len(data)) // 4, 1))
    return Case("invalid JSON lines", repo.root, ("validate",), 1, f"{size} bytes of '{{x}}' lines", {"bytes": size})


def spans_against_boilerplate(real: Repo, folder: Path, n: int = 40_000) -> Case:
    """One document with n boilerplate spans, n quantity claims (each with a cue and a float value) and n source
    mentions, interleaved: the cross-layer rules must sweep (n log n), never compare pairs, and a float literal
    must not send a valid record to the slow validator."""
    doc = "h"  # short ids and texts: 40,000 quantity claims must fit the file size limit
    parts: list[str] = []
    at = 0
    spans: dict[str, list[dict]] = {"boilerplate": [], "sources": [], "claims": []}
    for i in range(1, n + 1):
        label = f"Menü {i}"
        sentence = f"Laut CNN {i} Mann"
        spans["boilerplate"].append(
            {"id": f"{doc}:bp-{i:06d}", **_span(doc, at, label, category="navigation"), **PROVENANCE}
        )
        start = at + len(label) + 2
        mention = f"{doc}:src-{i:06d}"
        spans["sources"].append({"id": mention, **_span(doc, start + 5, "CNN", entity_id="ent-cnn"), **PROVENANCE})
        spans["claims"].append(_claim(doc, i, start, sentence, mention, i + 0.5))
        parts.append(f"{label}\n\n{sentence}.\n\n")
        at += len(parts[-1])
    cnn = {"id": "ent-cnn", "name": "CNN", "type": "outlet", "description": "US news network.", **PROVENANCE}
    layers = {name: {doc: records} for name, records in spans.items()}
    repo = repository(real, folder, {doc: "".join(parts)}, layers, [cnn])
    what = f"{n} claims and {n} mentions against {n} boilerplate spans in one document"
    return Case("spans against boilerplate", repo.root, ("validate",), 0, what, {"n": n})


def long_arrays(real: Repo, folder: Path, lines: int = 5, chars: int = 99_000) -> Case:
    """Cluster records whose `conflicts_with` repeats one id up to `chars` characters a line: refused (maxItems,
    uniqueItems), and the messages for the refusal must cost no more than the schema's maxItems allows."""
    repo = _small(real, folder)
    base = {"statement_de": "Ein Satz.", "statement_en": "A sentence.", **PROVENANCE}
    records = []
    for i in range(lines):
        record = {"id": f"cl-hostile-{i}", **base, "conflicts_with": []}
        room = chars - len(json.dumps(record))
        record["conflicts_with"] = ["cl-hostile-0"] * max(room // len('"cl-hostile-0", '), 1)
        records.append(record)
    repo.layer_file(BY_NAME["clusters"]).write_text(_jsonl(records), encoding="utf-8")
    what = f"{lines} cluster lines of {chars} characters, one id repeated in conflicts_with"
    return Case("long arrays", repo.root, ("validate",), 1, what, {"lines": lines, "chars": chars})


def refused_records(real: Repo, folder: Path, n: int = 99_999) -> Case:
    """A span file of n records that parse but are refused by the schema (the record limit's worth): the report
    words the first few and counts the rest, so python-jsonschema never runs n times (with the one good record,
    n = 99,999 fills the file to the record limit)."""
    repo = _small(real, folder)
    doc = "000_hostile"
    lines = [{"id": f"{doc}:claim-{i:06d}", "doc_id": doc} for i in range(2, n + 2)]
    path = repo.layer_file(BY_NAME["claims"], doc)
    path.write_text(path.read_text(encoding="utf-8") + _jsonl(lines), encoding="utf-8")
    return Case("refused records", repo.root, ("validate",), 1, f"{n} records refused by the schema", {"n": n})


# The issue's sizes (and the limits' worst), and the builders at them: the benchmark's table.
WORST_CASES: dict[str, Callable[[Repo, Path], Case]] = {
    "blank-lines-16MiB": lambda real, folder: blank_lines(real, folder),
    "invalid-lines-16MiB": lambda real, folder: invalid_lines(real, folder),
    "spans-against-boilerplate-10k": lambda real, folder: spans_against_boilerplate(real, folder, 10_000),
    "spans-against-boilerplate-20k": lambda real, folder: spans_against_boilerplate(real, folder, 20_000),
    "spans-against-boilerplate-40k": lambda real, folder: spans_against_boilerplate(real, folder, 40_000),
    "long-arrays-5x99k": lambda real, folder: long_arrays(real, folder),
    "long-arrays-16MiB": lambda real, folder: long_arrays(real, folder, lines=16 * MiB // 99_001),
    "refused-records-100k": lambda real, folder: refused_records(real, folder),
}

_CHILD = (
    "import resource, subprocess, sys;"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode;"
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def measure(case: Case) -> Measurement:
    """Run the case's command in a fresh process; its own peak memory (a wrapper process per case reads its
    children's maximum resident set, KiB on Linux) and wall time."""
    argv = [sys.executable, "-m", "dataset", "--root", str(case.root), *case.argv]
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _CHILD, *argv], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    code, peak = (int(v) for v in result.stdout.split())
    return Measurement(case, code, seconds, peak / 1024 if sys.platform != "darwin" else peak / MiB, result.stderr)


def run(real: Repo, folder: Path, names: list[str] | None = None) -> list[Measurement]:
    """Build and measure the worst cases (all, or those named), each in its own folder under `folder`."""
    measurements = []
    for name in names or list(WORST_CASES):
        case = WORST_CASES[name](real, folder / name)
        measurements.append(measure(case))
    return measurements


def table(measurements: list[Measurement]) -> list[str]:
    """The benchmark's Markdown table: case, size, exit code (and whether it is the correct one), time, memory."""
    lines = ["| hostile case | exit (expected) | seconds | peak memory (MiB) |", "|---|---|---|---|"]
    for m in measurements:
        mark = "" if m.code == m.case.expect else " WRONG"
        lines.append(f"| {m.case.what} | {m.code} ({m.case.expect}){mark} | {m.seconds:.1f} | {m.peak_mib:.0f} |")
    return lines
