"""Which files hold a layer's records: one place, so every command walks the same set."""

from __future__ import annotations

from pathlib import Path

from .layers import Layer
from .repo import Repo


def layer_paths(repo: Repo, layer: Layer) -> list[Path]:
    """The layer's hand-written files: one per document for span layers, else the single file."""
    if layer.is_span:
        folder = repo.annotations / layer.name
        return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []
    return [repo.layer_file(layer)]
