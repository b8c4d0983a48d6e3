"""Where things live in a clone of the repository, and which clone a command acts on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .layers import DOCUMENT_LAYER, LAYERS, Layer

# A folder is a dataset repository when it holds these (the design card's top level); found as git finds .git.
MARKERS = ("schema", "annotations", "seeds")

# The roles of the folders laid out like annotations/ (see Repo.stores).
GOLD, PASS, PREDICTION = "gold", "pass", "prediction"
REVIEW, PREDICTIONS = "review", "predictions"  # annotations/review/<pass>/, annotations/predictions/<system>/


class RepositoryNotFoundError(LookupError):
    """No dataset repository at or above the working directory."""


def _is_repository(folder: Path) -> bool:
    return all((folder / name).is_dir() for name in MARKERS)


@dataclass(frozen=True)
class Store:
    """A folder laid out like annotations/: one file per document for span layers, one file per registry.

    The final annotation is the gold store; the stored annotation passes (annotations/review/<pass>/) and the
    systems' predictions (annotations/predictions/<system>/, or any folder given to evaluate) have the same layout,
    so they are read, checked, moved by reanchor and scored by the same code.
    """

    name: str
    path: Path
    role: str

    def layer_file(self, layer: Layer, doc_id: str | None = None) -> Path:
        if layer.is_span:
            assert doc_id is not None, layer.name
            return self.path / layer.name / f"{doc_id}.jsonl"
        return self.path / f"{layer.name}.jsonl"

    def layer_folder(self, layer: Layer) -> Path:
        return self.path / layer.name


@dataclass(frozen=True)
class Repo:
    """Paths of one dataset repository (a clone, or a temporary copy in tests)."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))  # Repo("path") works as well as Repo(Path("path"))

    @classmethod
    def find(cls, root: str | Path | None = None, start: Path | None = None) -> Repo:
        """The given root, else the nearest repository at or above the working directory (as git finds .git).

        Never the clone the package was installed from: with an editable install, a command run in another
        clone must act on that clone.
        """
        if root is not None:
            return cls(Path(root).resolve())
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if _is_repository(folder):
                return cls(folder)
        wanted = ", ".join(f"{name}/" for name in MARKERS)
        raise RepositoryNotFoundError(
            f"no dataset repository at or above {here} (a folder holding {wanted}); run inside a clone or pass --root"
        )

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def digests(self) -> Path:
        return self.seeds / "SHA256SUMS"

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    @property
    def annotations(self) -> Path:
        return self.root / "annotations"

    @property
    def gold(self) -> Store:
        return Store("annotations", self.annotations, GOLD)

    @property
    def generated(self) -> Path:
        return self.annotations / "generated"

    @property
    def generated_documents(self) -> Path:
        """The documents layer as published: the hand-written records with the fields derived from the seeds."""
        return self.generated / f"{DOCUMENT_LAYER.name}.jsonl"

    @property
    def readme(self) -> Path:
        return self.root / "README.md"

    @property
    def changelog(self) -> Path:
        return self.root / "CHANGELOG.md"

    @property
    def waivers(self) -> Path:
        """Justified exceptions to the quality warnings of `lint`, one per record and rule."""
        return self.annotations / "waivers.jsonl"

    @property
    def lock_file(self) -> Path:
        """Held by every command that writes (write/lock.py): inside .git where there is one, so git never sees
        it; else .dataset.lock in the root (git-ignored)."""
        git = self.root / ".git"
        if git.is_dir() and not git.is_symlink():
            return git / "dataset.lock"
        return self.root / ".dataset.lock"

    def seed(self, doc_id: str) -> Path:
        return self.seeds / f"{doc_id}.txt"

    def layer_file(self, layer: Layer, doc_id: str | None = None) -> Path:
        return self.gold.layer_file(layer, doc_id)

    def stores(self, group: str) -> list[Store]:
        """The stores under annotations/<group>/ (review passes or predictions), by name; links are not stores."""
        folder = self.annotations / group
        if not folder.is_dir() or folder.is_symlink():
            return []
        role = PASS if group == REVIEW else PREDICTION
        return [
            Store(f"{group}/{p.name}", p, role)
            for p in sorted(folder.iterdir())
            if p.is_dir() and not p.is_symlink() and any((p / layer.name).is_dir() for layer in LAYERS if layer.is_span)
        ]

    def span_stores(self) -> list[Store]:
        """Every store whose span files point into the seeds: gold, stored passes, predictions.

        A command that moves spans (reanchor) must move them in all of these, or what is computed from them breaks.
        """
        return [self.gold, *self.stores(REVIEW), *self.stores(PREDICTIONS)]

    def published_path(self, layer: Layer) -> str:
        """The data_files pattern of a layer's config, relative to the root (as the card declares it)."""
        if layer.is_document:
            return self.rel(self.generated_documents)
        if layer.is_span:
            return f"annotations/{layer.name}/*.jsonl"
        return f"annotations/{layer.name}.jsonl"

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
