"""export-tool and import-tool: annotation-tool files from the corpus stream, and a tool's export back.

Export is a consumer on the one corpus stream, behind the checker (as the build is): invalid data is refused and
nothing is written; the tool's files are staged in a temporary folder that takes the output folder's place whole.
Import reads the tool's folder through the safe opener, lets the tool's converter say which files belong to which
document and turn them into records (dataset/tools), and writes only the files whose content changed, through
one validated transaction: an import that would add a problem writes nothing.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..check.run import Checker, all_stores
from ..derive.canonical import canonical_file
from ..layers import BY_NAME, REGISTRY_LAYERS, SPAN_LAYERS
from ..problems import Problem
from ..read import stream
from ..read.corpus import Corpus, Document
from ..read.files import SafeReader
from ..repo import PREDICTION, Repo, Store
from ..schemas import Schemas
from ..tools import MAX_TOOL_FILE_BYTES, load
from ..tools.labels import Labels, build_labels
from ..tools.model import ToolDocument, editable
from .files import atomic_write
from .folder import FolderRefusedError, staged_folder
from .store import ChangeRejectedError, transaction

MARKER = ".dataset-export-tool"
MARKER_TEXT = "Made by `python -m dataset export-tool`; the next export-tool run into this folder replaces it whole.\n"
SUGGESTIONS = "suggestions"  # the store name of a folder outside the repository's stores given with --suggestions


def tool_document(doc: Document, store: str) -> ToolDocument:
    """A document's records in one store, as the converters take them."""
    layers = {layer.name: [record.data for record in doc.files[store][layer.name].records] for layer in SPAN_LAYERS}
    return ToolDocument(doc.doc_id, doc.seed.text or "", layers)


def _registries(corpus: Corpus, store: str) -> dict[str, list[dict]]:
    return {name: [record.data for record in file.records] for name, file in corpus.registries[store].items()}


# ---------------------------------------------------------------- export


@dataclass
class Exporter:
    """A stream consumer: each selected, valid document's tool files, written into the staging folder."""

    tool: str
    labels: Labels
    folder: Path
    gold: str
    suggestions: str | None
    registries: dict[str, list[dict]]
    config: dict[str, bytes]
    selected: frozenset[str] | None
    written: list[str] = field(default_factory=list)

    def fresh(self) -> Exporter:
        return replace(self, written=[])

    def document(self, doc: Document) -> None:
        if doc.flawed or doc.seed.text is None or (self.selected is not None and doc.doc_id not in self.selected):
            return
        hints = tool_document(doc, self.suggestions) if self.suggestions else None
        files = load(self.tool).export_document(
            tool_document(doc, self.gold),
            self.registries["entities"],
            self.registries["clusters"],
            self.labels,
            hints,
        )
        for name, data in files.items():
            if name in self.config:  # the project configuration again (INCEpTION's type system): written once
                if data != self.config[name]:
                    raise AssertionError(f"{self.tool}: {name} of {doc.doc_id} differs from the project's")
                continue
            atomic_write(self.folder / name, data)
        self.written.append(doc.doc_id)

    def end_batch(self) -> None:
        pass

    def merge(self, other: Exporter) -> None:
        self.written += other.written


class _Refused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _suggestion_store(path: Path, stores: list[Store]) -> tuple[Store | None, list[Problem]]:
    """The store of --suggestions: one the repository has (a stored pass keeps its role), else a prediction."""
    where = Path(os.path.abspath(path))
    known = next((store for store in stores if Path(os.path.abspath(store.path)) == where), None)
    store = known or Store(SUGGESTIONS, where, PREDICTION)
    if not any(store.layer_folder(layer).is_dir() for layer in SPAN_LAYERS):
        folders = ", ".join(f"{layer.name}/" for layer in SPAN_LAYERS)
        message = "--suggestions: not a folder laid out like annotations/"
        return None, [Problem(str(path), 0, "usage", message, f"a folder holding {folders}", "none of them")]
    return store, []


def export_tool(
    repo: Repo,
    tool: str,
    out: Path,
    *,
    docs: list[str] | None = None,
    suggestions: Path | None = None,
    progress: bool = False,
) -> tuple[list[Problem], list[str]]:
    """Write the tool's project configuration and every (selected) document's files to ``out``.

    Returns the problems that stopped it (nothing was written) or the documents written.
    """
    module = load(tool)  # first: a missing optional dependency is said before anything is read
    schemas = Schemas(repo)
    if schemas.problems():
        return schemas.problems(), []
    stores = all_stores(repo)
    hints: Store | None = None
    if suggestions is not None:
        hints, problems = _suggestion_store(suggestions, stores)
        if hints is None:
            return problems, []
        if hints not in stores:
            stores.append(hints)
    corpus = Corpus(repo, schemas, stores)
    unknown = sorted(set(docs or ()) - set(corpus.doc_ids))
    if unknown:
        expected = "a doc_id of annotations/documents.jsonl"
        return [Problem(".", 0, "usage", f"--doc: unknown document {d!r}", expected, d) for d in unknown], []
    labels = build_labels(schemas)
    gold = corpus.gold_store().name
    registries = _registries(corpus, gold)
    if hints is not None:  # a prediction's own registry records travel with its suggestions
        for name, records in _registries(corpus, hints.name).items():
            known = {record.get("id") for record in registries[name]}
            registries[name] += [record for record in records if record.get("id") not in known]
    config = module.project_config(labels)
    checker = Checker(corpus).start()
    try:
        with staged_folder(out, MARKER, MARKER_TEXT) as folder:
            for name, data in config.items():
                atomic_write(folder / name, data)
            exporter = Exporter(
                tool,
                labels,
                folder,
                gold,
                hints.name if hints is not None else None,
                registries,
                config,
                frozenset(docs) if docs else None,
            )
            if checker.readable:
                stream.run(corpus, [checker, exporter], label="export-tool", progress=progress)
            report = checker.finish()
            if report.problems:
                raise _Refused(report.problems)
    except _Refused as refused:
        return refused.problems, []
    except FolderRefusedError as err:
        return [Problem(str(out), 0, "tool-out", str(err))], []
    return [], sorted(exporter.written)


# ---------------------------------------------------------------- import


def _tool_files(folder: Path) -> list[str]:
    """Every file under the folder, by relative path; a linked folder is not entered (a linked file is refused
    when read)."""
    found = []
    for base, dirs, names in os.walk(folder):
        dirs.sort()
        found += [Path(base, name).relative_to(folder).as_posix() for name in sorted(names)]
    return found


def _digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


@dataclass
class Import:
    """What an import would write: new file contents, and per file the ids it adds and removes."""

    writes: dict[Path, str] = field(default_factory=dict)
    ids: dict[Path, dict[str, list[str]]] = field(default_factory=dict)  # path -> added/removed/changed -> ids

    def change(self, path: Path, content: str, digest: str | None, old: list[dict], new: list[dict]) -> None:
        if digest == _digest(content):
            return
        self.writes[path] = content
        before, after = {str(r.get("id")): r for r in old}, {str(r.get("id")): r for r in new}
        self.ids[path] = {
            "added": [i for i in after if i not in before],
            "removed": [i for i in before if i not in after],
            "changed": [i for i in after if i in before and before[i] != after[i]],
        }


def _unreadable(corpus: Corpus, doc: Document, gold: str) -> list[Problem]:
    """Why a document cannot be imported into: a seed that is not the pinned one, or layer files the import would
    rewrite that did not read cleanly (rewriting them would drop the lines that did not parse)."""
    seed = doc.seed
    if seed.text is None:
        return [seed.problem or Problem(seed.rel, 1, "seed-missing", "the seed is missing")]
    pinned = corpus.pinned.get(seed.path.name)
    if pinned is None or pinned[0] != seed.digest:
        digests = corpus.repo.rel(corpus.repo.digests)
        message = f"the seed of {doc.doc_id} is not the pinned one: spans are checked against the pinned seed"
        found = f"{seed.digest} for {seed.rel}"
        return [Problem(digests, pinned[1] if pinned else 1, "seed-digest", message, pinned and pinned[0], found)]
    return [problem for file in doc.files[gold].values() for problem in file.sink.problems()]


def _merge_registry(
    changed: dict[str, dict[str, tuple[dict, str]]], name: str, records: list[dict], where: str
) -> list[Problem]:
    """Registry records changed by several documents' exports must agree."""
    problems = []
    for record in records:
        first = changed.setdefault(name, {}).get(record["id"])
        if first is None:
            changed[name][record["id"]] = (record, where)
        elif editable(first[0]) != editable(record):
            message = f"{name} record {record['id']} is described differently in the exports of two documents"
            problems.append(Problem(where, 1, "tool-reference", message, f"as in {first[1]}", "other values"))
    return problems


def import_tool(
    repo: Repo, tool: str, folder: Path, *, user: str | None = None, reviewer: str | None = None
) -> tuple[list[Problem], Import]:
    """Read a tool's export folder back into the annotation files; returns the problems (nothing was written) or
    what was written."""
    module = load(tool)
    shown = str(folder).rstrip("/") or "/"

    def located(problem: Problem) -> Problem:
        return replace(problem, path=f"{shown}/{problem.path}")

    if not folder.is_dir() or folder.is_symlink():
        return [Problem(shown, 0, "tool-file", "no such folder", "the folder of the tool's export", "none")], Import()
    schemas = Schemas(repo)
    if schemas.problems():
        return schemas.problems(), Import()
    labels = build_labels(schemas)
    corpus = Corpus(repo, schemas)
    gold = corpus.gold_store().name
    reader = SafeReader(folder)
    paths = set(_tool_files(folder))

    def read(path: str) -> tuple[bytes | None, Problem | None]:
        return reader.read(folder / path, limit=MAX_TOOL_FILE_BYTES)

    routed, found = module.route(paths, read, set(corpus.doc_ids))
    problems = [located(p) for p in found]
    if not routed and not problems:
        message = f"no {tool} export of any document of the dataset in this folder"
        problems.append(Problem(shown, 0, "tool-file", message, "files named after doc_ids", f"{len(paths)} file(s)"))
    registry_files = corpus.registries[gold]
    for file in registry_files.values():
        problems += file.sink.problems()
    registries = _registries(corpus, gold)
    changed: dict[str, dict[str, tuple[dict, str]]] = {}
    result = Import()
    for doc_id in sorted(routed):
        doc = corpus.document(doc_id)
        unreadable = _unreadable(corpus, doc, gold)
        if unreadable:
            problems += unreadable
            continue
        existing = tool_document(doc, gold)
        back, entities, clusters, found = module.import_document(
            routed[doc_id],
            doc_id,
            existing.text,
            existing,
            registries["entities"],
            registries["clusters"],
            labels,
            user,
            reviewer,
        )
        problems += [located(p) for p in found]
        where = f"{shown}/{next(iter(routed[doc_id]))}"  # the main file: converters route it first
        problems += _merge_registry(changed, "entities", entities, where)
        problems += _merge_registry(changed, "clusters", clusters, where)
        for layer in SPAN_LAYERS:
            records = back.layers.get(layer.name, [])
            file = doc.files[gold][layer.name]
            content = canonical_file(layer, records, schemas)
            result.change(file.path, content, file.digest, existing.layers[layer.name], records)
    for layer in REGISTRY_LAYERS:
        updates = {ident: record for ident, (record, _) in changed.get(layer.name, {}).items()}
        if not updates:
            continue
        old = registries[layer.name]
        new = [updates.pop(r.get("id"), r) for r in old] + list(updates.values())
        file = registry_files[layer.name]
        result.change(file.path, canonical_file(BY_NAME[layer.name], new, schemas), file.digest, old, new)
    if problems:
        return problems, Import()
    if result.writes:
        try:
            with transaction(repo) as writes:
                writes.update(result.writes)
        except ChangeRejectedError as err:
            return err.problems, Import()
    return [], result
