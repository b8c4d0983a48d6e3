"""Validate a dataset repository: read (with file and line) -> check -> report, streaming by document.

Memory stays bounded by one document's annotations plus the registries (documents, entities, clusters),
the sets of ids used from them, and the fixed set of double-annotated documents under annotations/review/.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

from .build import card_header, document_row, generated_document_lines, split_card
from .checks.corpus import check_cluster_documents, check_conflicts, check_unused
from .checks.overlap import check_boilerplate, check_claims, check_cues, check_duplicate_spans, check_mentions
from .checks.seeds import check_documents_cover_seeds, check_seeds
from .checks.shape import check_shape
from .checks.spans import check_spans
from .checks.tables import check_table
from .figures import current_figures, figures
from .layers import BY_NAME, LAYERS, REGISTRY_LAYERS, SPAN_LAYERS, Layer
from .problems import Problem
from .reading import Record, read_jsonl, read_text
from .repo import Repo
from .review import REVIEW_PASSES, check_review
from .schemas import Schemas

# The placeholder derived values a documents record is shape-checked with when its seed cannot be read.
_PLACEHOLDER = {"seed_file": "seeds/placeholder.txt", "sha256": "0" * 64, "length": 1, "text": ""}


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

    def add(self, problems: Iterable[Problem]) -> None:
        self.report.problems.extend(problems)

    def missing(self, path: Path, what: str) -> bool:
        """Report a required file that is absent; True if it is."""
        if path.is_file() or path.is_symlink():
            return False
        self.add(
            [
                Problem(
                    self.repo.rel(path),
                    1,
                    "annotations-missing",
                    f"{what} file is missing",
                    self.repo.rel(path),
                    "no such file",
                )
            ]
        )
        return True

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
    if run.missing(path, "documents"):
        return {}
    records, problems = read_jsonl(path, run.repo.rel(path))
    run.add(problems)
    validator = run.schemas.validator(layer)
    valid: list[Record] = []
    for record in records:
        derived = [f for f in layer.derived if f in record.data]
        for name in derived:
            message = f"{name} is derived from the seed and must not be written by hand"
            run.add([Problem(record.path, record.line, "derived-field", message, "no such key", name)])
        doc_id = record.data.get("doc_id")
        merged = {**record.data, **_PLACEHOLDER}
        if isinstance(doc_id, str) and doc_id in good_seeds:
            merged = document_row(run.repo, record.data, run.schemas)
        shape = list(check_shape(record, validator, merged))
        run.add(shape)
        if not shape:  # a hand-written derived field is reported above and overridden by the build
            valid.append(record)
    run.add(check_table(layer, valid, {}))
    documents = {r.data["doc_id"]: r for r in valid}
    run.add(check_documents_cover_seeds(run.repo, {k: (r.path, r.line) for k, r in documents.items()}))
    return documents


def _check_registries(run: _Run) -> dict[str, list[Record]]:
    registries = {}
    for layer in REGISTRY_LAYERS:
        path = run.repo.layer_file(layer)
        registries[layer.name] = [] if run.missing(path, layer.name) else run.read_layer_file(layer, path)[0]
    targets = {name: {r.data["id"] for r in records} for name, records in registries.items()}
    for layer in REGISTRY_LAYERS:
        run.add(check_table(layer, registries[layer.name], targets))
    return registries


@dataclass
class _Uses:
    """What the documents reference in the registries: which ids, and from which documents."""

    ids: dict[str, set[str]] = field(default_factory=lambda: {layer.name: set() for layer in REGISTRY_LAYERS})
    documents: dict[str, dict[str, set[str]]] = field(
        default_factory=lambda: {layer.name: {} for layer in REGISTRY_LAYERS}
    )

    def count(self, layer: Layer, doc_id: str, records: list[Record]) -> None:
        """Counted from every parsed record, so one broken record does not also report its targets unused."""
        for ref in layer.references:
            if ref.target not in self.ids:
                continue
            for record in records:
                value = record.data.get(ref.field)
                for target in value if ref.many and isinstance(value, list) else [value]:
                    if isinstance(target, str):
                        self.ids[ref.target].add(target)
                        seen = self.documents[ref.target].setdefault(target, set())
                        if len(seen) < 2:  # the rules only ask "one document or several": memory stays flat
                            seen.add(doc_id)


def _check_document(run: _Run, doc_id: str, text: str | None, targets: dict[str, set[str]], uses: _Uses) -> None:
    """All span layers of one document (only their references when its seed cannot be read)."""
    by_layer: dict[str, list[Record]] = {}
    for layer in SPAN_LAYERS:
        path = run.repo.layer_file(layer, doc_id)
        if run.missing(path, f"{layer.name} ({doc_id}; create it empty if the layer has nothing)"):
            by_layer[layer.name] = []
            continue
        if text is None:
            records, _ = read_jsonl(path, run.repo.rel(path))  # its problems are reported once the seed is fixed
            uses.count(layer, doc_id, records)
            continue
        records, parsed = run.read_layer_file(layer, path)
        uses.count(layer, doc_id, parsed)
        local = {**targets, "sources": {r.data["id"] for r in by_layer.get("sources", [])}}
        run.add(check_table(layer, records, local, len(text)))
        for record in records:
            run.add(check_spans(layer, record, doc_id, text))
        by_layer[layer.name] = [r for r in records if 0 <= r.data["start"] < r.data["end"] <= len(text)]
        run.add(check_duplicate_spans(by_layer[layer.name]))
        run.report.counts[layer.name] += len(records)
    if text is None:
        return
    boilerplate = by_layer["boilerplate"]
    run.add(check_boilerplate(boilerplate))
    run.add(check_claims(by_layer["claims"], boilerplate))
    run.add(check_mentions(by_layer["sources"], boilerplate))
    run.add(check_cues(by_layer["claims"], by_layer["sources"]))


def _check_folders(run: _Run) -> bool:
    """Seeds and annotation folders must be real folders inside the repository; links are never followed."""
    review = run.repo.annotations / "review"
    folders = [
        run.repo.seeds,
        run.repo.annotations,
        *(run.repo.annotations / layer.name for layer in SPAN_LAYERS),
        review,
        *(review / name for name in REVIEW_PASSES),
    ]
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


def _check_unknown_files(run: _Run, documents: dict[str, Record]) -> None:
    for layer in SPAN_LAYERS:
        folder = run.repo.annotations / layer.name
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.stem not in documents or path.suffix != ".jsonl":
                expected = f"annotations/{layer.name}/<doc_id>.jsonl for a doc_id in annotations/documents.jsonl"
                run.add(
                    [
                        Problem(
                            run.repo.rel(path),
                            1,
                            "document-unknown",
                            "annotation file for no known document",
                            expected,
                            path.name,
                        )
                    ]
                )


def _first_difference(want: Iterable[str], have: Iterable[str]) -> tuple[int, str, str] | None:
    """(line number, expected, found) around the first character where two streams of lines differ."""
    end = "<end of file>"
    for number, (expected, found) in enumerate(zip_longest(want, have, fillvalue=end), start=1):
        if expected != found:
            at = next(
                (i for i, (a, b) in enumerate(zip(expected, found, strict=False)) if a != b),
                min(len(expected), len(found)),
            )
            window = slice(max(at - 20, 0), at + 40)
            return number, expected[window].rstrip("\n"), found[window].rstrip("\n")
    return None


def _file_lines(path: Path) -> Iterator[str]:
    """A file's lines split on newline only, decoded one at a time (a generated file may be large)."""
    if path.is_file():
        with path.open("rb") as handle:
            yield from (line.decode("utf-8", errors="replace") for line in handle)


def _check_derived(run: _Run) -> None:
    """Generated files must be exactly what the build makes now, compared line by line."""
    repo, schemas = run.repo, run.schemas
    readme = repo.readme.read_text(encoding="utf-8") if repo.readme.is_file() else ""
    block = current_figures(readme)
    block_line = readme[: readme.index(block)].count("\n") if block else 0
    targets = (
        (repo.generated_documents, 0, "generated-stale", generated_document_lines(repo, schemas),
         _file_lines(repo.generated_documents), "generated documents differ"),
        (repo.readme, 0, "card-stale", card_header(repo, schemas).splitlines(keepends=True),
         split_card(readme)[0].splitlines(keepends=True), "README YAML header differs"),
        (repo.readme, block_line, "card-stale", figures(repo).splitlines(keepends=True),
         block.splitlines(keepends=True), "README figures block differs"),
    )  # fmt: skip
    for target, offset, rule, want, found, what in targets:
        difference = _first_difference(want, found)
        if difference is not None:
            number, expected, actual = difference
            message = f"{what} from what the build makes (run: python -m dataset build)"
            run.add([Problem(repo.rel(target), number + offset, rule, message, expected, actual)])


def validate(repo: Repo) -> Report:
    schemas = Schemas(repo)
    run = _Run(repo, schemas)
    run.add(schemas.problems())
    if run.report.problems or not _check_folders(run):
        return run.report  # nothing can be read safely without the schemas and real folders
    good_seeds, problems = check_seeds(repo, schemas.doc_id_pattern)
    run.add(problems)
    documents = _check_documents(run, good_seeds)
    run.report.counts["documents"] = len(documents)
    registries = _check_registries(run)
    for name, records in registries.items():
        run.report.counts[name] = len(records)
    targets = {name: {r.data["id"] for r in records} for name, records in registries.items()}
    uses = _Uses()
    for doc_id in sorted(documents):
        text = None
        if doc_id in good_seeds:
            text, problems = read_text(repo.seed(doc_id), repo.rel(repo.seed(doc_id)))
            run.add(problems)
        _check_document(run, doc_id, text, targets, uses)
    _check_unknown_files(run, documents)
    run.add(check_unused("unused-entity", registries["entities"], uses.ids["entities"], "entity"))
    run.add(check_unused("unused-cluster", registries["clusters"], uses.ids["clusters"], "cluster"))
    run.add(check_cluster_documents(registries["clusters"], uses.documents["clusters"]))
    run.add(check_conflicts(registries["clusters"]))
    run.add(check_review(repo, schemas))
    if not run.report.problems:  # derived files are only meaningful for data that is otherwise valid
        _check_derived(run)
    run.report.problems.sort()
    return run.report
