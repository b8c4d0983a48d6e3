"""Build what is derived from the seeds and the annotations: the documents table and the card header."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import yaml

from .canonical import canonical_line
from .features import layer_features
from .figures import figures, replace_figures
from .layers import BY_NAME, LAYERS, Layer
from .reading import read_jsonl
from .repo import Repo
from .schemas import Schemas

CARD_START = "---\n"
CARD_END = "\n---\n"
DEFAULT_CONFIG = "claims"

# Card metadata that is not derived from the layers.
CARD_METADATA = {
    "pretty_name": "Kursk build-up claims: five German news texts annotated for claims, sources and boilerplate",
    "language": ["de"],
    "license": "other",
    "license_name": "mixed-annotations-cc-by-4.0-texts-copyright-holders",
    "license_details": (
        "Annotations, schemas and code: CC BY 4.0. Seed texts: copyright of their publishers, "
        "included for non-commercial research only; see the README section Licensing."
    ),
    "annotations_creators": ["machine-generated"],
    "language_creators": ["found"],
    "multilinguality": ["monolingual"],
    "size_categories": ["n<1K"],
    "source_datasets": ["original"],
    "task_categories": ["text-classification", "token-classification"],
    "task_ids": ["fact-checking", "named-entity-recognition"],
    "tags": ["claim-detection", "attribution", "boilerplate-removal", "news", "cross-document"],
}


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def document_row(repo: Repo, metadata: dict, schemas: Schemas) -> dict:
    """A document's published row: metadata plus the fields derived from its seed, in schema order."""
    path = repo.seed(metadata["doc_id"])
    text = path.read_bytes().decode("utf-8")  # only called for seeds the validator decoded
    derived = {"seed_file": repo.rel(path), "sha256": sha256_of(path), "length": len(text), "text": text}
    merged = {**metadata, **derived}
    return {key: merged[key] for key in schemas.properties(BY_NAME["documents"]) if key in merged}


def document_rows(repo: Repo, schemas: Schemas) -> Iterator[dict]:
    records, _ = read_jsonl(repo.layer_file(BY_NAME["documents"]), "annotations/documents.jsonl")
    for record in sorted(records, key=lambda r: str(r.data.get("doc_id"))):
        yield document_row(repo, record.data, schemas)


@cache
def _file_mode() -> int:
    """The mode a newly created file gets under the process umask (read once, when first needed)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside the target, then rename: the file is either old or new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, _file_mode())  # mkstemp makes 0600; a data file is as readable as any other
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # the rename must never expose a file whose bytes are not on disk
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def generated_document_lines(repo: Repo, schemas: Schemas) -> Iterator[str]:
    """The generated documents table, one line (with its newline) per document, one seed in memory at a time."""
    for row in document_rows(repo, schemas):
        yield canonical_line(BY_NAME["documents"], row, schemas)


def generated_documents(repo: Repo, schemas: Schemas) -> str:
    return "".join(generated_document_lines(repo, schemas))


def data_digest(repo: Repo, pattern: str) -> str:
    """SHA-256 over a config's data files (names and bytes), in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(repo.root.glob(pattern)):
        digest.update(repo.rel(path).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def card_configs(repo: Repo, schemas: Schemas, data_files: Callable[[Layer], str] | None = None) -> list[dict]:
    """One card config per layer with typed features; data_files maps a layer to its path pattern.

    Each config's description carries a digest of its data files: datasets caches a local folder's
    configs by their definition, not by file contents, so the digest is what invalidates a stale cache.
    """
    configs = []
    for layer in LAYERS:
        pattern = repo.layer_glob(layer)
        config = {
            "config_name": layer.name,
            "description": f"{layer.description} Data sha256: {data_digest(repo, pattern)[:16]}.",
            "data_files": [{"split": "train", "path": data_files(layer) if data_files else pattern}],
            "features": layer_features(schemas, layer)._to_yaml_list(),
        }
        if layer.name == DEFAULT_CONFIG:
            config["default"] = True
        configs.append(config)
    return configs


def card_header(repo: Repo, schemas: Schemas) -> str:
    """The README's YAML header: metadata plus one config per layer (see card_configs)."""
    configs = card_configs(repo, schemas)
    body = yaml.safe_dump({**CARD_METADATA, "configs": configs}, sort_keys=False, allow_unicode=True, width=100)
    return CARD_START + body + "---\n"


def split_card(readme: str) -> tuple[str, str]:
    """(YAML header with its fences, rest of the README); header is '' if there is none."""
    if readme.startswith(CARD_START):
        end = readme.find(CARD_END, len(CARD_START) - 1)
        if end >= 0:
            cut = end + len(CARD_END)
            return readme[:cut], readme[cut:]
    return "", readme


def build(repo: Repo) -> list[Path]:
    """Regenerate every derived file; returns the files that changed."""
    schemas = Schemas(repo)
    changed = []
    documents = generated_documents(repo, schemas)
    if not repo.generated_documents.is_file() or repo.generated_documents.read_text(encoding="utf-8") != documents:
        atomic_write(repo.generated_documents, documents)
        changed.append(repo.generated_documents)
    # The card is built after the generated documents, whose digest it carries.
    readme = repo.readme.read_text(encoding="utf-8") if repo.readme.is_file() else ""
    _, rest = split_card(readme)
    new_readme = card_header(repo, schemas) + replace_figures(rest, figures(repo))
    if new_readme != readme:
        atomic_write(repo.readme, new_readme)
        changed.append(repo.readme)
    return changed
