"""Validate a dataset repository: read (with file and line) -> check -> report, streaming by document.

Memory stays bounded by one document's annotations plus the registries
(documents, entities, clusters) and the sets of ids used from them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .build import card_header, document_row, generated_documents, split_card
from .checks.corpus import check_cluster_documents, check_conflicts, check_unused
from .checks.overlap import check_boilerplate, check_claims, check_mentions
from .checks.seeds import check_documents_cover_seeds, check_seeds
from .checks.shape import check_shape
from .checks.spans import check_spans
from .checks.tables import check_table
from .figures import current_figures, figures
from .layers import BY_NAME, LAYERS, REGISTRY_LAYERS, SPAN_LAYERS, Layer
from .problems import Problem
from .reading import Record, read_jsonl, read_text
from .repo import Repo
from .schemas import Schemas


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return "valid: " + ", ".join(f"{self.counts[layer.name]} {layer.name}" for layer in LAYERS)


@dataclass
class _Run:
    """State of one validation run; each step adds problems and passes on only what it checked."""

    repo: Repo
    schemas: Schemas
    report: Report = field(default_factory=Report)

    def add(self, problems) -> None:
        self.report.problems.extend(problems)

    def read_layer_file(self, layer: Layer, path: Path) -> tuple[list[Record], list[Record]]:
        """Read and shape-check one file; returns (records that match the schema, all parsed records)."""
        records, problems = read_jsonl(path, self.repo.rel(path))
        self.add(problems)
        validator = self.schemas.validator(layer)
        valid = []
        for record in records:
            shape = list(check_shape(record, validator))
            self.add(shape)
            if not shape:
                valid.append(record)
        return valid, records


def _check_documents(run: _Run, good_seeds: set[str]) -> dict[str, Record]:
    layer = BY_NAME["documents"]
    path = run.repo.layer_file(layer)
    records, problems = read_jsonl(path, run.repo.rel(path))
    run.add(problems)
    validator = run.schemas.validator(layer)
    placeholder = {"sha256": "0" * 64, "length": 1, "text": ""}
    valid: list[Record] = []
    for record in records:
        derived = [f for f in layer.derived if f in record.data]
        for name in derived:
            run.add(
                [
                    Problem(
                        record.path,
                        record.line,
                        "derived-field",
                        f"{name} is derived from the seed and must not be written by hand",
                        "no such key",
                        name,
                    )
                ]
            )
        doc_id = record.data.get("doc_id")
        merged = {**record.data, **placeholder}
        if isinstance(doc_id, str) and doc_id in good_seeds:
            merged = document_row(run.repo, record.data, run.schemas)
        shape = list(check_shape(record, validator, merged))
        run.add(shape)
        if not shape and not derived:
            valid.append(record)
    run.add(check_table(layer, valid, {}))
    documents = {r.data["doc_id"]: r for r in valid}
    run.add(check_documents_cover_seeds(run.repo, {k: (r.path, r.line) for k, r in documents.items()}))
    return documents


def _check_registries(run: _Run) -> dict[str, list[Record]]:
    registries = {layer.name: run.read_layer_file(layer, run.repo.layer_file(layer))[0] for layer in REGISTRY_LAYERS}
    targets = {name: {r.data["id"] for r in records} for name, records in registries.items()}
    for layer in REGISTRY_LAYERS:
        run.add(check_table(layer, registries[layer.name], targets))
    return registries


def _check_document(
    run: _Run,
    doc_id: str,
    text: str,
    targets: dict[str, set[str]],
    used: dict[str, set[str]],
    documents_of: dict[str, set[str]],
) -> None:
    """All span layers of one document; records what the document uses from the registries."""
    by_layer: dict[str, list[Record]] = {}
    parsed: dict[str, list[Record]] = {}
    for layer in SPAN_LAYERS:
        path = run.repo.layer_file(layer, doc_id)
        if not path.is_file():
            run.add(
                [
                    Problem(
                        run.repo.rel(path),
                        1,
                        "annotations-missing",
                        f"document {doc_id} has no {layer.name} file",
                        f"{run.repo.rel(path)} (empty if there is nothing to annotate)",
                        "no such file",
                    )
                ]
            )
            by_layer[layer.name] = parsed[layer.name] = []
            continue
        records, parsed[layer.name] = run.read_layer_file(layer, path)
        local = {**targets, "sources": {r.data["id"] for r in by_layer.get("sources", [])}}
        run.add(check_table(layer, records, local, len(text)))
        for record in records:
            run.add(check_spans(layer, record, doc_id, text))
        by_layer[layer.name] = [r for r in records if 0 <= r.data["start"] < r.data["end"] <= len(text)]
        run.report.counts[layer.name] += len(records)
    boilerplate = by_layer["boilerplate"]
    run.add(check_boilerplate(boilerplate))
    run.add(check_claims(by_layer["claims"], boilerplate))
    run.add(check_mentions(by_layer["sources"], boilerplate))
    # Count uses from every parsed record, so one broken record does not also report its targets unused.
    used["entities"].update(_strings(r.data.get("entity_id")) for r in parsed["sources"])
    for claim in parsed["claims"]:
        cluster = _strings(claim.data.get("cluster_id"))
        if cluster:
            used["clusters"].add(cluster)
            documents_of.setdefault(cluster, set()).add(doc_id)


def _strings(value: object) -> str:
    return value if isinstance(value, str) else ""


def _check_unknown_files(run: _Run, documents: dict[str, Record]) -> None:
    for layer in SPAN_LAYERS:
        folder = run.repo.annotations / layer.name
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.stem not in documents or path.suffix != ".jsonl":
                run.add(
                    [
                        Problem(
                            run.repo.rel(path),
                            1,
                            "document-unknown",
                            "annotation file for no known document",
                            f"annotations/{layer.name}/<doc_id>.jsonl for a doc_id in annotations/documents.jsonl",
                            path.name,
                        )
                    ]
                )


def _first_difference(want: str, have: str) -> tuple[int, str, str] | None:
    """(line number, expected line, found line) of the first line where two texts differ."""
    want_lines, have_lines = want.split("\n"), have.split("\n")
    for number in range(1, max(len(want_lines), len(have_lines)) + 1):
        expected = want_lines[number - 1] if number <= len(want_lines) else "<end of file>"
        found = have_lines[number - 1] if number <= len(have_lines) else "<end of file>"
        if expected != found:
            return number, expected[:60], found[:60]
    return None


def _check_derived(run: _Run) -> None:
    """Generated files must be exactly what the build makes now."""
    repo, schemas = run.repo, run.schemas
    path = repo.generated_documents
    have = path.read_text(encoding="utf-8") if path.is_file() else ""
    readme = repo.readme.read_text(encoding="utf-8") if repo.readme.is_file() else ""
    block = current_figures(readme)
    block_line = readme[: readme.index(block)].count("\n") if block else 0
    targets = (
        (path, 0, "generated-stale", generated_documents(repo, schemas), have, "generated documents differ"),
        (repo.readme, 0, "card-stale", card_header(repo, schemas), split_card(readme)[0], "README YAML header differs"),
        (repo.readme, block_line, "card-stale", figures(repo), block, "README figures block differs"),
    )
    for target, offset, rule, want, found, what in targets:
        difference = _first_difference(want, found)
        if difference is not None:
            number, expected, actual = difference
            number += offset
            message = f"{what} from what the build makes (run: python -m dataset build)"
            run.add([Problem(repo.rel(target), number, rule, message, expected, actual)])


def _check_folders(run: _Run) -> bool:
    """Seeds and annotation folders must be real folders inside the repository; links are never followed."""
    folders = [run.repo.seeds, run.repo.annotations, *(run.repo.annotations / layer.name for layer in SPAN_LAYERS)]
    links = [f for f in folders if f.is_symlink()]
    for folder in links:
        run.add(
            [
                Problem(
                    run.repo.rel(folder),
                    1,
                    "symlink",
                    "folder is a link; links are never followed",
                    "a real folder",
                    "a link",
                )
            ]
        )
    return not links


def validate(repo: Repo) -> Report:
    run = _Run(repo, Schemas(repo))
    if not _check_folders(run):
        return run.report
    good_seeds, problems = check_seeds(repo)
    run.add(problems)
    documents = _check_documents(run, good_seeds)
    run.report.counts["documents"] = len(documents)
    registries = _check_registries(run)
    for name, records in registries.items():
        run.report.counts[name] = len(records)
    targets = {name: {r.data["id"] for r in records} for name, records in registries.items()}
    used: dict[str, set[str]] = {"entities": set(), "clusters": set()}
    documents_of: dict[str, set[str]] = {}
    for doc_id in sorted(documents):
        if doc_id not in good_seeds:
            continue
        text, problems = read_text(repo.seed(doc_id), repo.rel(repo.seed(doc_id)))
        run.add(problems)
        if text is not None:
            _check_document(run, doc_id, text, targets, used, documents_of)
    _check_unknown_files(run, documents)
    run.add(check_unused("unused-entity", registries["entities"], used["entities"], "entity"))
    run.add(check_unused("unused-cluster", registries["clusters"], used["clusters"], "cluster"))
    run.add(check_cluster_documents(registries["clusters"], documents_of))
    run.add(check_conflicts(registries["clusters"]))
    if not run.report.problems:  # derived files are only meaningful for data that is otherwise valid
        _check_derived(run)
    run.report.problems.sort()
    return run.report
