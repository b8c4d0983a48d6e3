"""The real corpus as a template for generated ones: read once, written out many times under new ids.

Generation is not what the benchmark measures, so it is plain and fast: every file of a copy is the template's
text with the document id replaced (ids of spans carry it), written without the atomic dance the commands use
(the folder is new and thrown away).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..derive.card import skeleton
from ..layers import DOCUMENT_LAYER, REGISTRY_LAYERS, SPAN_LAYERS
from ..read.digests import sha256_hex
from ..repo import Repo
from ..write.build import BLOCKS


@dataclass(frozen=True)
class Original:
    """One real document: its metadata record, its seed's bytes and digest, and its span files' text by layer."""

    doc_id: str
    record: dict
    seed: bytes
    digest: str
    spans: dict[str, str]

    @property
    def span_records(self) -> int:
        return sum(text.count("\n") for text in self.spans.values())


def read_template(repo: Repo) -> list[Original]:
    """The gold documents of a (valid) repository, in id order."""
    lines = repo.layer_file(DOCUMENT_LAYER).read_text(encoding="utf-8").splitlines()
    records = sorted((json.loads(line) for line in lines if line.strip()), key=lambda r: r[DOCUMENT_LAYER.id_field])
    originals = []
    for record in records:
        doc_id = record[DOCUMENT_LAYER.id_field]
        seed = repo.seed(doc_id).read_bytes()
        spans = {}
        for layer in SPAN_LAYERS:
            path = repo.layer_file(layer, doc_id)
            spans[layer.name] = path.read_text(encoding="utf-8") if path.is_file() else ""
        originals.append(Original(doc_id, record, seed, sha256_hex(seed), spans))
    if not originals:
        raise ValueError(f"{repo.root} has no documents to copy")
    return originals


def retarget(text: str, old: str, new: str) -> str:
    """A span file moved to a copy of its document: doc_id and every id that carries it (they start with it)."""
    return text.replace(f'"{old}', f'"{new}')


class Writer:
    """Writes a repository: shared schemas and registries, then documents one by one, then the listing files."""

    def __init__(self, source: Repo, root: Path) -> None:
        self.repo = Repo(root)
        shutil.copytree(source.schema_dir, self.repo.schema_dir)
        self.repo.generated.mkdir(parents=True)
        for layer in REGISTRY_LAYERS:
            shutil.copy(source.layer_file(layer), self.repo.layer_file(layer))
        for layer in SPAN_LAYERS:
            self.repo.layer_file(layer, "x").parent.mkdir(parents=True)
        self.repo.seeds.mkdir()
        if source.changelog.is_file():
            shutil.copy(source.changelog, self.repo.changelog)
        self.digests: list[str] = []
        self.records: list[str] = []
        self.span_records = 0

    def document(self, record: dict, seed: bytes, digest: str, spans: dict[str, str]) -> None:
        doc_id = record[DOCUMENT_LAYER.id_field]
        self.repo.seed(doc_id).write_bytes(seed)
        self.digests.append(f"{digest}  {doc_id}.txt\n")
        self.records.append(json.dumps(record, ensure_ascii=False) + "\n")
        for layer in SPAN_LAYERS:
            text = spans.get(layer.name, "")
            self.repo.layer_file(layer, doc_id).write_text(text, encoding="utf-8")
            self.span_records += text.count("\n")

    def copy(self, original: Original, new: str) -> None:
        record = {**original.record, DOCUMENT_LAYER.id_field: new}
        spans = {name: retarget(text, original.doc_id, new) for name, text in original.spans.items()}
        self.document(record, original.seed, original.digest, spans)

    def finish(self, title: str) -> Repo:
        """The documents file and SHA256SUMS in id order, and a README for the build to fill."""
        self.repo.digests.write_text("".join(sorted(self.digests)), encoding="utf-8")
        self.repo.layer_file(DOCUMENT_LAYER).write_text("".join(sorted(self.records)), encoding="utf-8")
        self.repo.readme.write_text(skeleton(title, list(BLOCKS)), encoding="utf-8")
        return self.repo
