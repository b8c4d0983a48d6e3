"""Where things live in a clone of the repository."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .layers import Layer

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Repo:
    """Paths of one dataset repository (a clone, or a temporary copy in tests)."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))  # Repo("path") works as well as Repo(Path("path"))

    @classmethod
    def find(cls, root: str | Path | None = None) -> Repo:
        """The given root, else the clone this package lives in, else the working directory."""
        if root is not None:
            return cls(Path(root).resolve())
        if (PACKAGE_ROOT / "schema").is_dir() and (PACKAGE_ROOT / "annotations").is_dir():
            return cls(PACKAGE_ROOT)
        return cls(Path.cwd().resolve())

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
