"""Which records a pull request added, changed or removed: every layer now against the same files at a revision.

Read-only: the old files come from `git show REV:path` (dataset.revisions); the work tree is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..layers import LAYERS
from ..read.revisions import layer_records
from ..repo import Repo

ADDED = "added"
CHANGED = "changed"


@dataclass
class Changes:
    """Status of every added or changed record by (layer name, id), and the removed records by layer."""

    revision: str
    status: dict[tuple[str, str], str] = field(default_factory=dict)
    removed: dict[str, list[dict]] = field(default_factory=dict)

    def of(self, layer: str, record_id: str) -> str | None:
        return self.status.get((layer, record_id))

    def count(self, layer: str, kind: str) -> int:
        return sum(1 for (name, _), status in self.status.items() if name == layer and status == kind)


def changes_since(repo: Repo, revision: str) -> Changes:
    """Compare every layer's records by id with the same files at the revision (RevisionError if git cannot)."""
    changes = Changes(revision)
    for layer in LAYERS:
        old = layer_records(repo, layer, revision)
        now = layer_records(repo, layer, None)
        for record_id, record in now.items():
            if record_id not in old:
                changes.status[(layer.name, record_id)] = ADDED
            elif old[record_id] != record:
                changes.status[(layer.name, record_id)] = CHANGED
        changes.removed[layer.name] = [old[i] for i in sorted(old) if i not in now]
    return changes
