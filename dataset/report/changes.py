"""Which records a pull request added, changed or removed: every layer now against the same files at a revision.

Read-only: the old files come from `git show REV:path` (read/revisions.py); the work tree is never touched. Only
the files git reports as different are read, so the comparison costs what the pull request changed, not what
the corpus holds; each document's page then looks up its own records.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..layers import BY_NAME, LAYERS, Layer
from ..read.revisions import changed_files, file_records, resolve
from ..repo import Repo

ADDED = "added"
CHANGED = "changed"


@dataclass
class Changes:
    """Status of every added or changed record by (layer name, id); removed records by layer and by document."""

    revision: str
    status: dict[tuple[str, str], str] = field(default_factory=dict)
    removed: dict[str, list[dict]] = field(default_factory=dict)
    removed_in: dict[str, list[tuple[str, dict]]] = field(default_factory=dict)  # doc_id -> (layer, record)
    counts: Counter = field(default_factory=Counter)  # (layer, ADDED | CHANGED) -> records

    def of(self, layer: str, record_id: str) -> str | None:
        return self.status.get((layer, record_id))

    def count(self, layer: str, kind: str) -> int:
        return self.counts[(layer, kind)]

    def compare(self, layer: Layer, old: dict[str, dict], now: dict[str, dict]) -> None:
        for record_id, record in now.items():
            if record_id not in old:
                self.status[(layer.name, record_id)] = ADDED
            elif old[record_id] != record:
                self.status[(layer.name, record_id)] = CHANGED
            else:
                continue
            self.counts[(layer.name, self.status[(layer.name, record_id)])] += 1
        for record_id in sorted(old):
            if record_id not in now:
                record = old[record_id]
                self.removed.setdefault(layer.name, []).append(record)
                if layer.is_span and isinstance(record.get("doc_id"), str):
                    self.removed_in.setdefault(record["doc_id"], []).append((layer.name, record))


def _layer_of(repo: Repo, path: str) -> Layer | None:
    """The layer whose file (in the final annotation) a path is, if any."""
    for layer in LAYERS:
        if layer.is_span:
            folder = repo.rel(repo.gold.layer_folder(layer)) + "/"
            rest = path[len(folder) :]
            if path.startswith(folder) and rest.endswith(".jsonl") and "/" not in rest:
                return layer
        elif path == repo.rel(repo.layer_file(layer)):
            return layer
    return None


def changes_since(repo: Repo, revision: str) -> Changes:
    """Compare the records of every file that differs from the revision (RevisionError if git cannot)."""
    commit = resolve(repo, revision)
    changes = Changes(revision)
    for path in changed_files(repo, commit, repo.rel(repo.annotations)):
        layer = _layer_of(repo, path)
        if layer is not None:
            changes.compare(layer, file_records(repo, layer, path, commit), file_records(repo, layer, path, None))
    for name, records in changes.removed.items():
        records.sort(key=lambda record, id_field=BY_NAME[name].id_field: str(record.get(id_field)))
    return changes
