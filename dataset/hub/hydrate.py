"""Hydrate: a text-free build plus the user's own copies of the articles gives the full build's data back.

A text-free build carries hydrate.json (written here by `manifest`, read here by `hydrate`): for each config, the
fields that held seed text (from the schemas, hub/texts.py), the field naming each row's document, and the count
and digest of the full rows (hub/digest.py) the text-free build left the texts out of. Hydrate finds each
document's text (a file named `<doc_id>.txt`, else any file with the pinned SHA-256), refuses any whose digest
differs, puts every text back (a span's is `text[start:end]`), and proves the result: the rows must hash to the
pinned digest, so the data is row for row what the full build publishes; the Parquet files are written by the
same writer, so with the same library versions they are byte for byte the full build's too. croissant.json
becomes the full build's; the card keeps the text-free body (it quotes no article) with a note that says it is
hydrated. Like publish, it writes a staged folder and puts it in place only when every check passed.

The folder describes itself: hydrate needs neither the repository nor its schemas.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from ..layers import DOCUMENT_LAYER, LAYERS
from ..problems import Problem, Sink
from ..read.digests import sha256_hex
from ..read.files import SafeReader, decode
from ..write.files import atomic_write
from .card import hydrated_card
from .croissant import FileFacts, file_facts, full_croissant
from .digest import Digest, row_hasher
from .layout import CARD, CHANGELOG, CROISSANT, HYDRATE, MARKER, MARKER_TEXT, ROW_GROUP_ROWS, parquet_file
from .parquet import ParquetSink
from .progress import RowProgress
from .provenance import Stamp
from .rows import SAMPLE_ROWS
from .texts import DOCUMENT_ID, TextField, offsets, with_texts

FORMAT = 1
SHA256, LENGTH = "sha256", "length"  # the documents layer's derived digest and length (layers.DOCUMENT_LAYER.derived)
TEXT_SUFFIX = ".txt"


class HydrateError(Exception):
    """Nothing was written; the problems say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def manifest(setup, full: Mapping[str, Digest], stamp: Stamp, license_details: str) -> str:
    """hydrate.json of a text-free build (setup: hub.rows.Setup; full: the digests of the rows with their texts)."""
    assert SHA256 in DOCUMENT_LAYER.derived and LENGTH in DOCUMENT_LAYER.derived
    configs = {}
    for layer in LAYERS:
        fields = setup.texts[layer.name]
        digest = full.get(layer.name) or Digest()
        configs[layer.name] = {
            "document": DOCUMENT_ID if fields else None,
            "texts": [field.describe() for field in fields],
            "rows": digest.rows,
            "sha256": digest.hexdigest(),
        }
    document = {
        "about": (
            "A text-free build: the fields listed per config held text of the news articles and are null here. "
            "Restore them from your own copies of the articles with: python -m dataset hydrate FOLDER --texts DIR "
            "--out OUT (each article named <doc_id>.txt, or found by its SHA-256). rows and sha256 pin the rows "
            "with their texts (hub/digest.py), so hydrate proves it restored exactly the full build's data."
        ),
        "format": FORMAT,
        "version": stamp.version,
        "commit": stamp.commit,
        "license_details": license_details,
        "documents": {"config": DOCUMENT_LAYER.name, "id": DOCUMENT_ID, SHA256: SHA256, LENGTH: LENGTH},
        "configs": configs,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class Config:
    name: str
    document: str | None
    texts: tuple[TextField, ...]
    rows: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    version: str
    commit: str
    license_details: str
    documents: dict[str, str]
    configs: tuple[Config, ...]


def _path(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(key, str) for key in value):
        raise ValueError(f"not a field path: {value!r}")
    return tuple(value)


def _manifest(text: str) -> Manifest:
    """hydrate.json parsed and checked (raises ValueError saying what is wrong)."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"not a hydrate.json of format {FORMAT}")
    documents = data["documents"]
    if not isinstance(documents, dict) or not all(isinstance(documents.get(k), str) for k in ("config", "id")):
        raise ValueError("documents: expected the documents config and its id field")
    configs = []
    for name, config in data["configs"].items():
        fields = []
        for text in config["texts"]:
            whole = text.get("whole_text") is True
            field = TextField(_path(text["field"]), whole=whole)
            if not whole and (_path(text["start"]) != field.start or _path(text["end"]) != field.end):
                raise ValueError(f"{name}: a span's offsets must stand beside its text")
            fields.append(field)
        if fields and not isinstance(config["document"], str):
            raise ValueError(f"{name}: no field names the document of a row")
        if not isinstance(config["rows"], int) or not isinstance(config["sha256"], str):
            raise ValueError(f"{name}: rows and sha256 expected")
        configs.append(Config(name, config["document"], tuple(fields), config["rows"], config["sha256"]))
    strings = (data["version"], data["commit"], data["license_details"])
    if not all(isinstance(value, str) for value in strings):
        raise ValueError("version, commit and license_details expected")
    return Manifest(*strings, documents, tuple(configs))


def _folder_problem(folder: Path, rel: str, message: str) -> Problem:
    return Problem(str(folder / rel), 0, "hydrate-folder", message)


def _parquet(folder: Path, config: str) -> pq.ParquetFile:
    path = folder / parquet_file(config)
    if path.is_symlink() or not path.is_file():
        raise HydrateError([_folder_problem(folder, parquet_file(config), "missing, or not a regular file")])
    try:
        return pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as err:
        raise HydrateError([_folder_problem(folder, parquet_file(config), f"not a Parquet file: {err}")]) from err


@dataclass
class Texts:
    """The user's copies of the articles: by name (`<doc_id>.txt`) or by SHA-256, each checked against its pin."""

    folder: Path

    def __post_init__(self) -> None:
        self.reader = SafeReader(self.folder, display=str(self.folder))
        self._by_digest: dict[str, Path] | None = None

    def _index(self) -> dict[str, Path]:
        """Every readable regular file under the folder by its SHA-256 (built once, when a name does not match)."""
        if self._by_digest is None:
            self._by_digest = {}
            for path in sorted(self.folder.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    data, _ = self.reader.read(path)
                    if data is not None:
                        self._by_digest.setdefault(sha256_hex(data), path)
        return self._by_digest

    def find(self, doc_id: str, sha256: str) -> tuple[Path | None, Problem | None]:
        named = self.folder / f"{doc_id}{TEXT_SUFFIX}"
        if named.exists() or named.is_symlink():
            data, problem = self.reader.read(named)
            if data is None:
                return None, problem
            found = sha256_hex(data)
            if found != sha256:
                message = f"the text of {doc_id} is not the pinned one (its SHA-256 differs); it is never used"
                return None, Problem(str(named), 0, "hydrate-digest", message, sha256, found)
            return named, None
        path = self._index().get(sha256)
        if path is None:
            message = f"no text for {doc_id}: no file {named.name} and no file with its SHA-256"
            return None, Problem(str(named), 0, "hydrate-missing", message, sha256, "none")
        return path, None

    def text(self, path: Path) -> str:
        data, problem = self.reader.read(path)
        if data is None:
            raise HydrateError([problem] if problem else [])
        text, problem = decode(data, str(path))
        if text is None:
            raise HydrateError([problem] if problem else [])
        return text


@dataclass(frozen=True)
class Hydrated:
    version: str
    commit: str
    rows: dict[str, int]
    documents: int


def _pins(folder: Path, manifest: Manifest) -> dict[str, tuple[str, int]]:
    """doc_id -> (SHA-256, length), from the documents config (which keeps both in a text-free build)."""
    docs = manifest.documents
    columns = [docs["id"], docs[SHA256], docs[LENGTH]]
    try:
        table = _parquet(folder, docs["config"]).read(columns=columns)
    except (KeyError, pa.ArrowException) as err:
        rel = parquet_file(docs["config"])
        raise HydrateError([_folder_problem(folder, rel, f"no columns {columns}: {err}")]) from err
    ids, digests, lengths = (table.column(name).to_pylist() for name in columns)
    return {doc: (digest, length) for doc, digest, length in zip(ids, digests, lengths, strict=True)}


class _Filler:
    """Puts the texts back into a config's rows, one batch at a time, reading each document's text once in a row."""

    def __init__(self, texts: Texts, found: dict[str, Path], pins: dict[str, tuple[str, int]], sink: Sink) -> None:
        self.texts, self.found, self.pins, self.sink = texts, found, pins, sink
        self.current: tuple[str, str] | None = None

    def _text(self, doc_id: str) -> str:
        if self.current is None or self.current[0] != doc_id:
            self.current = (doc_id, self.texts.text(self.found[doc_id]))
        return self.current[1]

    def rows(self, config: Config, rows: list[dict], where: str, first: int) -> Iterator[dict]:
        for number, row in enumerate(rows, start=first):
            if not config.texts:
                yield row
                continue
            doc_id = row.get(config.document or "")
            if doc_id not in self.found:
                message = f"row {number} names a document the documents config does not have: {doc_id!r}"
                self.sink.add(Problem(where, 0, "hydrate-folder", message))
                continue
            text = self._text(doc_id)
            bad = [
                (start, end)
                for start, end in offsets(row, config.texts)
                if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text))
            ]
            if bad:
                message = f"row {number} has offsets outside its document's text ({len(text)} characters): {bad[0]}"
                self.sink.add(Problem(where, 0, "hydrate-folder", message))
                continue
            yield with_texts(row, config.texts, text)


def _read_manifest(folder: Path) -> Manifest:
    text, problem = SafeReader(folder, display=str(folder)).read_text(folder / HYDRATE)
    if text is None:
        message = f"no {HYDRATE}: not a text-free build of `python -m dataset publish --without-texts`"
        raise HydrateError([problem or _folder_problem(folder, HYDRATE, message)])
    try:
        return _manifest(text)
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise HydrateError([_folder_problem(folder, HYDRATE, f"not a hydrate.json this version reads: {err}")]) from err


def _locate(manifest: Manifest, folder: Path, texts: Texts) -> tuple[dict[str, Path], dict[str, tuple[str, int]]]:
    """Every document's text file, checked against its pinned digest and length; raises with every problem."""
    pins = _pins(folder, manifest)
    found: dict[str, Path] = {}
    problems = Sink()
    for doc_id, (sha256, length) in pins.items():
        path, problem = texts.find(doc_id, sha256)
        if problem is not None:
            problems.add(problem)
        elif path is not None:
            if len(texts.text(path)) != length:
                message = f"the documents config says {doc_id} is {length} characters long; its pinned text is not"
                problems.add(_folder_problem(folder, parquet_file(manifest.documents["config"]), message))
            found[doc_id] = path
    if problems.problems():
        raise HydrateError(problems.problems())
    return found, pins


def hydrate(folder: Path, texts_folder: Path, out: Path | None = None, *, progress: bool = False) -> Hydrated:
    """Write the full build at out (default: in place of the folder) from a text-free build and the user's texts."""
    from .publish import PublishError, not_replaceable, replaceable, staged

    folder = Path(os.path.abspath(folder))
    out = Path(os.path.abspath(out)) if out is not None else folder
    if not replaceable(out):
        raise HydrateError([not_replaceable(out)])
    manifest = _read_manifest(folder)
    if not texts_folder.is_dir() or texts_folder.is_symlink():
        raise HydrateError([Problem(str(texts_folder), 0, "hydrate-missing", "not a folder of texts")])
    texts = Texts(Path(os.path.abspath(texts_folder)))
    found, pins = _locate(manifest, folder, texts)
    rows: dict[str, int] = {}

    def write(staging: Path) -> None:
        sink = Sink()
        filler = _Filler(texts, found, pins, sink)
        digests: dict[str, Digest] = {}
        features: dict[str, Features] = {}
        samples: dict[str, pa.Table] = {}
        bar = RowProgress(sum(config.rows for config in manifest.configs), "hydrate", progress)
        for config in manifest.configs:
            source = _parquet(folder, config.name)
            features[config.name] = Features.from_arrow_schema(source.schema_arrow)
            writer = ParquetSink(staging / parquet_file(config.name), features[config.name])
            hasher, digest, sample = row_hasher(features[config.name]), Digest(), []
            try:
                for batch in source.iter_batches(batch_size=ROW_GROUP_ROWS):
                    filled = list(filler.rows(config, batch.to_pylist(), parquet_file(config.name), digest.rows))
                    digest.update([hasher(row) for row in filled])
                    writer.add_rows(filled)
                    sample.extend(filled[: SAMPLE_ROWS - len(sample)])
                    bar.update(batch.num_rows)
                rows[config.name] = writer.close()
            except BaseException:
                writer.abort()
                raise
            digests[config.name] = digest
            samples[config.name] = pa.Table.from_pylist(sample, schema=features[config.name].arrow_schema)
            if not sink.problems() and (digest.rows, digest.hexdigest()) != (config.rows, config.sha256):
                message = (
                    f"the hydrated rows are not the data the text-free build pinned ({digest.rows} rows, "
                    f"{config.rows} pinned; digest {digest.hexdigest()[:16]}, pinned {config.sha256[:16]}): the "
                    "folder was changed after it was built"
                )
                sink.add(Problem(str(folder / parquet_file(config.name)), 0, "hydrate-mismatch", message))
        bar.close()
        if sink.problems():
            raise HydrateError(sink.problems())
        _write_description(folder, staging, manifest, samples, features, digests, progress)

    try:
        staged(out, write)
    except PublishError as err:
        raise HydrateError(err.problems) from err
    return Hydrated(manifest.version, manifest.commit, rows, len(found))


def _write_description(
    folder: Path,
    staging: Path,
    manifest: Manifest,
    samples: dict[str, pa.Table],
    features: dict[str, Features],
    digests: dict[str, Digest],
    progress: bool,
) -> None:
    """The hydrated card, the full build's croissant.json and the changelog; then the checks publish runs."""
    from .publish import check_card, check_croissant, check_data

    reader = SafeReader(folder, display=str(folder))
    card_text, problem = reader.read_text(folder / CARD)
    croissant_text, croissant_problem = reader.read_text(folder / CROISSANT)
    problems = [p for p in (problem, croissant_problem) if p is not None]
    rows = {config.name: config.rows for config in manifest.configs}
    card = hydrated_card(card_text or "", Stamp(manifest.version, manifest.commit), rows, manifest.license_details)
    if card is None:
        problems.append(_folder_problem(folder, CARD, "not the card of a text-free build (no publish note)"))
    full = full_croissant(croissant_text or "", file_facts(staging))
    if full is None:
        problems.append(_folder_problem(folder, CROISSANT, "not the croissant.json of a text-free build"))
    if problems:
        raise HydrateError(problems)
    atomic_write(staging / MARKER, MARKER_TEXT)
    atomic_write(staging / CARD, str(card))
    atomic_write(staging / CROISSANT, full)
    changelog, _ = reader.read(folder / CHANGELOG)
    if changelog is not None:
        atomic_write(staging / CHANGELOG, changelog)
    text_free = croissant_text or ""

    def describe(files: Mapping[str, FileFacts]) -> str:
        return full_croissant(text_free, files) or ""

    problems = check_card(staging / CARD, str(folder / CARD))
    problems += check_croissant(staging, describe, samples, features)
    if not problems:
        problems = check_data(staging, digests, features, progress=progress)
    if problems:
        raise HydrateError(problems)
