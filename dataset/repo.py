"""Where things live in a clone of the repository, and which clone a command acts on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .layers import Layer

# A folder is a dataset repository when it holds these (the design card's top level); found as git finds .git.
MARKERS = ("schema", "annotations", "seeds")


class RepositoryNotFoundError(LookupError):
    """No dataset repository at or above the working directory."""


def _is_repository(folder: Path) -> bool:
    return all((folder / name).is_dir() for name in MARKERS)


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
    def generated_documents(self) -> Path:
        return self.annotations / "generated" / "documents.jsonl"

    @property
    def readme(self) -> Path:
        return self.root / "README.md"

    @property
    def lock_file(self) -> Path:
        """Held by every command that writes (dataset.lock): inside .git where there is one, so git never sees it;
        else .dataset.lock in the root (git-ignored)."""
        git = self.root / ".git"
        if git.is_dir() and not git.is_symlink():
            return git / "dataset.lock"
        return self.root / ".dataset.lock"

    def span_roots(self) -> list[Path]:
        """Every folder laid out like annotations/ whose span files point into the seeds: the final layers, the
        stored annotation passes (annotations/review/<pass>/) and system predictions (annotations/predictions/<name>/).
        A command that moves spans (reanchor) must move them in all of these, or the figures computed from them break.
        """
        roots = [self.annotations]
        for group in ("review", "predictions"):
            folder = self.annotations / group
            if folder.is_dir() and not folder.is_symlink():
                roots += sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())
        return roots

    def seed(self, doc_id: str) -> Path:
        return self.seeds / f"{doc_id}.txt"

    def layer_file(self, layer: Layer, doc_id: str | None = None) -> Path:
        if layer.is_span:
            assert doc_id is not None, layer.name
            return self.annotations / layer.name / f"{doc_id}.jsonl"
        return self.annotations / f"{layer.name}.jsonl"

    def layer_glob(self, layer: Layer) -> str:
        """The data_files pattern of a layer, relative to the root (as the card declares it)."""
        if layer.name == "documents":
            return self.rel(self.generated_documents)
        if layer.is_span:
            return f"annotations/{layer.name}/*.jsonl"
        return f"annotations/{layer.name}.jsonl"

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
