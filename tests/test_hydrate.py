"""The text-free build (publish --without-texts) and hydrate: no article text leaves the repository, and the
user's own copies of the articles give back exactly the data a full build publishes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import datasets
import pyarrow.parquet as pq
import pytest

import dataset
from dataset.derive.card import split_card
from dataset.hub.croissant import TEXT_FREE_DESCRIPTION, TEXT_FREE_FIELD, read_back
from dataset.hub.hydrate import hydrate
from dataset.hub.layout import CARD, CHANGELOG, CROISSANT, HYDRATE, MARKER, parquet_file
from dataset.hub.parquet import ParquetSink
from dataset.hub.publish import publish
from dataset.hub.texts import TextField, text_fields
from dataset.layers import BY_NAME, LAYERS
from dataset.repo import Repo
from dataset.schemas import Schemas

from .conftest import ROOT, dataset_cli, snapshot

CONFIGS = [layer.name for layer in LAYERS]
pytestmark = [  # deprecations inside mlcroissant's own dependencies, not in this package
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The real dataset published in full and text-free, and the text-free build hydrated from the seeds."""
    root = tmp_path_factory.mktemp("builds")
    publish(Repo(ROOT), root / "full")
    publish(Repo(ROOT), root / "free", text_free=True)
    hydrate(root / "free", ROOT / "seeds", root / "hydrated")
    return {name: root / name for name in ("full", "free", "hydrated")}


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def fields_of(config: str) -> tuple[TextField, ...]:
    return text_fields(Schemas(Repo(ROOT)), BY_NAME[config])


def value_at(row: dict, path: tuple[str, ...]) -> object:
    for key in path:
        row = row.get(key) if isinstance(row, dict) else None  # type: ignore[assignment]
    return row


# -- what the text-free build holds ----------------------------------------------------------------------------


def test_the_text_fields_are_the_schemas_span_texts_and_the_document_text() -> None:
    found = {layer.name: [field.path for field in fields_of(layer.name)] for layer in LAYERS}
    assert found == {
        "documents": [("text",)],
        "entities": [],
        "clusters": [],
        "boilerplate": [("text",)],
        "sources": [("text",)],
        "claims": [("text",), ("cue", "text")],
    }


def test_a_span_a_schema_adds_is_a_text_field_without_touching_the_code(mini: Repo) -> None:
    path = mini.schema_dir / "sources.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["quote"] = {"oneOf": [{"type": "null"}, {"$ref": "common.schema.json#/$defs/span"}]}
    schema["properties"]["quotes"] = {"type": "array", "items": {"$ref": "common.schema.json#/$defs/span"}}
    path.write_text(json.dumps(schema), encoding="utf-8")
    paths = [field.path for field in text_fields(Schemas(mini), BY_NAME["sources"])]
    assert paths == [("text",), ("quote", "text"), ("quotes", "*", "text")]


def test_every_text_field_holds_seed_text_in_the_full_build() -> None:
    seeds = {path.stem: path.read_text(encoding="utf-8") for path in (ROOT / "seeds").glob("*.txt")}
    for config in CONFIGS:
        for row in dataset.load_config(config, ROOT)["test"]:
            for field in fields_of(config):
                parent = value_at(row, field.path[:-1])
                if field.whole:
                    assert row["text"] == seeds[row["doc_id"]]
                elif parent is not None:
                    assert value_at(row, field.path) == seeds[row["doc_id"]][parent["start"] : parent["end"]]


def test_the_folder_adds_hydrate_json_and_nothing_else(builds: dict[str, Path]) -> None:
    expected = {MARKER, CARD, CROISSANT, CHANGELOG, HYDRATE, *(parquet_file(config) for config in CONFIGS)}
    assert set(files_of(builds["free"])) == expected
    assert set(files_of(builds["hydrated"])) == expected - {HYDRATE}


@pytest.mark.parametrize("config", CONFIGS)
def test_text_fields_are_null_and_every_other_value_is_the_full_builds(builds: dict[str, Path], config: str) -> None:
    free = datasets.load_dataset(str(builds["free"]), config)["test"]
    full = datasets.load_dataset(str(builds["full"]), config)["test"]
    assert free.features == full.features
    fields = fields_of(config)
    for free_row, full_row in zip(free, full, strict=True):
        for field in fields:
            assert value_at(free_row, field.path) is None
        assert _without(free_row, fields) == _without(full_row, fields)
    if config == "documents":
        assert free["sha256"] == full["sha256"] and free["length"] == full["length"]
        assert all(length > 0 for length in free["length"])


def _without(row: dict, fields: tuple[TextField, ...]) -> dict:
    from dataset.hub.texts import without_texts

    return without_texts(row, fields)


# -- no quotes of the seeds ------------------------------------------------------------------------------------

WORD = re.compile(r"\w+")
QUOTES = "\"'„“”‚‘’«»"  # noqa: RUF001  (the quotation marks German and English texts use)


def seed_runs(words: int = 5) -> set[tuple[str, ...]]:
    runs = set()
    for path in (ROOT / "seeds").glob("*.txt"):
        tokens = [w.casefold() for w in WORD.findall(path.read_text(encoding="utf-8"))]
        runs |= {tuple(tokens[i : i + words]) for i in range(len(tokens) - words + 1)}
    return runs


def seed_sentences(words: int = 5) -> set[str]:
    """Every sentence of every seed (a stretch of a line ending in . ! ? or …; headings are titles, not sentences)
    with at least `words` words, without its quotation marks and end punctuation."""
    found = set()
    for path in (ROOT / "seeds").glob("*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            for piece in re.split(r"(?<=[.!?…])\s+", line):
                if not piece.strip().rstrip(QUOTES).endswith((".", "!", "?", "…")):
                    continue
                piece = " ".join(piece.split()).strip(QUOTES + " ").rstrip(".!?…").strip(QUOTES + " ")
                if len(piece.split()) >= words:
                    found.add(piece)
    return found


def strings_of(value: object, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from strings_of(sub, (*path, key))
    elif isinstance(value, list):
        for item in value:
            yield from strings_of(item, path)


QUOTATION = re.compile(  # a stretch between quotation marks (a single quote only where it is not an apostrophe)
    r"(?<!\w)'[^']+'(?!\w)|\"[^\"]+\"|„[^“”]+[“”]|“[^”]+”|‚[^‘’]+[‘’]|(?<!\w)‘[^’]+’(?!\w)|«[^»]+»"  # noqa: RUF001
)


def _quoted(value: str, sentence: str) -> bool:
    """Every occurrence of the sentence in the value lies inside a quotation, within a longer text of its own."""
    quotations = [match.span() for match in QUOTATION.finditer(value)]
    for match in re.finditer(re.escape(sentence), value):
        if not any(start <= match.start() and match.end() <= end for start, end in quotations):
            return False
        if value.strip(QUOTES + " .!?…") == sentence:
            return False  # a value that is nothing but the quotation is not a citation within the annotator's text
    return True


def test_no_prose_file_of_the_text_free_build_quotes_five_words_of_a_seed(builds: dict[str, Path]) -> None:
    runs = seed_runs()
    for name in (CARD, CROISSANT, CHANGELOG, HYDRATE, MARKER):
        tokens = [w.casefold() for w in WORD.findall((builds["free"] / name).read_text(encoding="utf-8"))]
        quoted = {tuple(tokens[i : i + 5]) for i in range(len(tokens) - 4)} & runs
        assert not quoted, (name, sorted(quoted)[:3])
    full = [w.casefold() for w in WORD.findall((builds["full"] / CARD).read_text(encoding="utf-8"))]
    assert {tuple(full[i : i + 5]) for i in range(len(full) - 4)} & runs  # the full card does quote: the test sees it


def test_no_seed_sentence_of_five_words_is_anywhere_in_the_text_free_folder(builds: dict[str, Path]) -> None:
    """In the data, a seed sentence appears only as the annotators cite it: a quotation, between quotation marks,
    inside their own longer text (a note, a cluster statement). The card, croissant.json and the other files hold
    none at all (and no run of five words of a seed: the test above)."""
    said = "Der Sprecher sagte, es gebe keine Verluste"
    assert _quoted(f"Reportive: 'um zu sehen, {said}' is quoted.", said)
    assert not _quoted(f"The outlet writes {said} here.", said) and not _quoted(f"'{said}'", said)
    sentences = seed_sentences()
    texts = " ".join(
        " ".join(t.split()) for t in pq.read_table(builds["full"] / parquet_file("documents"))["text"].to_pylist()
    )
    assert len(sentences) > 100 and all(sentence in texts for sentence in sentences)  # what the test looks for is real
    for path in builds["free"].rglob("*"):
        if path.suffix == ".parquet":
            config = path.parent.name
            for row in pq.read_table(path).to_pylist():
                for where, value in strings_of(row):
                    for sentence in sentences:
                        if sentence in value:
                            assert _quoted(value, sentence), (config, where, sentence)
        elif path.is_file():
            text = " ".join(path.read_text(encoding="utf-8").split())
            assert not [sentence for sentence in sentences if sentence in text], path.name


def test_the_card_and_croissant_say_the_build_is_text_free_and_how_to_hydrate(builds: dict[str, Path]) -> None:
    card = (builds["free"] / CARD).read_text(encoding="utf-8")
    header, body = split_card(card)
    assert "**Text-free build.**" in body and "python -m dataset hydrate" in body
    assert "not included in this" in header and "text-free build" in header
    croissant = json.loads((builds["free"] / CROISSANT).read_text(encoding="utf-8"))
    assert croissant["description"].endswith(TEXT_FREE_DESCRIPTION)
    described = {
        field["@id"]
        for record_set in croissant["recordSet"]
        for field in _fields(record_set)
        if field.get("description") == TEXT_FREE_FIELD
    }
    expected = {"/".join((config, *field.path)) for config in CONFIGS for field in fields_of(config)}
    assert described == expected
    # What publish generates never states the corpus' size; the README's prose and citation are its authors'.
    text = json.dumps({key: value for key, value in croissant.items() if key != "citeAs"}) + header
    assert "five" not in text.lower() and not re.search(r"\b5 (documents|texts|articles)\b", text)


def _fields(node: dict) -> Iterator[dict]:
    for field in node.get("field", []):
        yield field
        yield from _fields({"field": field.get("subField", [])})


def test_mlcroissant_reads_the_text_free_rows_back(builds: dict[str, Path]) -> None:
    records = read_back(builds["free"] / CROISSANT)
    assert records["claims"][0]["text"] is None and records["documents"][0]["text"] is None
    assert [len(records[config]) for config in CONFIGS] == [
        len(dataset.load_config(config, ROOT)["test"]) for config in CONFIGS
    ]


# -- hydrate -----------------------------------------------------------------------------------------------------


def test_hydrate_gives_the_full_builds_parquet_files_and_croissant_byte_for_byte(builds: dict[str, Path]) -> None:
    """Byte for byte, because the Parquet writer is the same and depends on the rows alone (hub/parquet.py);
    at run time hydrate proves the rows themselves (their digest, pinned in hydrate.json), which holds even
    where another library version would write other bytes."""
    full, hydrated = files_of(builds["full"]), files_of(builds["hydrated"])
    assert set(full) == set(hydrated)
    assert {name for name in full if full[name] != hydrated[name]} == {CARD}


@pytest.mark.parametrize("config", CONFIGS)
def test_hydrated_rows_and_features_are_the_full_builds(builds: dict[str, Path], config: str) -> None:
    hydrated = datasets.load_dataset(str(builds["hydrated"]), config)["test"]
    full = dataset.load_config(config, ROOT)["test"]
    assert hydrated.features == full.features and hydrated.to_list() == full.to_list()


def test_the_hydrated_card_is_the_text_free_one_with_a_note_saying_so(builds: dict[str, Path]) -> None:
    free = (builds["free"] / CARD).read_text(encoding="utf-8")
    hydrated = (builds["hydrated"] / CARD).read_text(encoding="utf-8")
    assert "**Hydrated build.**" in hydrated and "**Text-free build.**" not in hydrated
    full_header, _ = split_card((builds["full"] / CARD).read_text(encoding="utf-8"))
    assert split_card(hydrated)[0] == full_header  # the license details are the full build's again
    free_lines, hydrated_lines = free.splitlines(), hydrated.splitlines()
    assert len([line for line in hydrated_lines if line not in free_lines]) <= 4  # the note and the license lines


def test_hydrate_finds_texts_by_digest_under_any_name(builds: dict[str, Path], tmp_path: Path) -> None:
    texts = tmp_path / "my articles" / "nested"
    texts.mkdir(parents=True)
    for number, path in enumerate(sorted((ROOT / "seeds").glob("*.txt"))):
        shutil.copy(path, texts / f"article {number}.md")
    hydrate(builds["free"], tmp_path / "my articles", tmp_path / "out")
    assert files_of(tmp_path / "out") == files_of(builds["hydrated"])


def test_hydrate_in_place_replaces_a_build_publish_made(builds: dict[str, Path], tmp_path: Path) -> None:
    shutil.copytree(builds["free"], tmp_path / "hub")
    hydrate(tmp_path / "hub", ROOT / "seeds")
    assert files_of(tmp_path / "hub") == files_of(builds["hydrated"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hub"]


def test_hydrate_has_help_without_a_repository(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "dataset", "hydrate", "--help"], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert result.returncode == 0 and "--texts" in result.stdout and "SHA-256" in result.stdout


def test_hydrate_runs_outside_any_repository(builds: dict[str, Path], tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "dataset", "hydrate", str(builds["free"]), "--texts", str(ROOT / "seeds")]
    result = subprocess.run(
        [*command, "--out", str(tmp_path / "out")], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("hydrated version")
    assert files_of(tmp_path / "out") == files_of(builds["hydrated"])


# -- hydrate's refusals: each rule fires, and nothing is written -------------------------------------------------


def _texts(tmp_path: Path) -> Path:
    texts = tmp_path / "texts"
    shutil.copytree(ROOT / "seeds", texts)
    return texts


def _a_text_is_another(tmp_path: Path, free: Path) -> tuple[Path, Path]:
    texts = _texts(tmp_path)
    path = sorted(texts.glob("*.txt"))[1]
    path.write_text(path.read_text(encoding="utf-8").replace("Kursk", "Kursk ", 1), encoding="utf-8")
    return free, texts


def _a_text_is_missing(tmp_path: Path, free: Path) -> tuple[Path, Path]:
    texts = _texts(tmp_path)
    sorted(texts.glob("*.txt"))[2].unlink()
    return free, texts


def _not_a_text_free_build(tmp_path: Path, free: Path) -> tuple[Path, Path]:
    (free / HYDRATE).unlink()
    return free, _texts(tmp_path)


def _an_offset_was_changed(tmp_path: Path, free: Path) -> tuple[Path, Path]:
    path = free / parquet_file("claims")
    table = pq.read_table(path)
    rows = table.to_pylist()
    rows[0]["end"] -= 1
    sink = ParquetSink(path, datasets.Features.from_arrow_schema(table.schema))
    sink.add_rows(rows)
    sink.close()
    return free, _texts(tmp_path)


def _out_holds_other_files(tmp_path: Path, free: Path) -> tuple[Path, Path]:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine", encoding="utf-8")
    return free, _texts(tmp_path)


class HydrateCase(NamedTuple):
    rule: str
    make_it_fire: Callable[[Path, Path], tuple[Path, Path]]
    printed: str


HYDRATE_CASES = {
    "hydrate-digest": HydrateCase(
        "hydrate-digest", _a_text_is_another, "001_30076441bec071a8.txt:0: hydrate-digest: the text of 001_"
    ),
    "hydrate-missing": HydrateCase(
        "hydrate-missing", _a_text_is_missing, "002_d596317c8eaa91fa.txt:0: hydrate-missing: no text for 002_"
    ),
    "hydrate-folder": HydrateCase(
        "hydrate-folder", _not_a_text_free_build, "hydrate.json:0: hydrate-folder: no hydrate.json: not a text-free"
    ),
    "hydrate-mismatch": HydrateCase(
        "hydrate-mismatch", _an_offset_was_changed, "test-00000-of-00001.parquet:0: hydrate-mismatch: the hydrated"
    ),
    "publish-out": HydrateCase(
        "publish-out", _out_holds_other_files, "out:0: publish-out: exists and is not a build of publish"
    ),
}


@pytest.mark.parametrize("name", HYDRATE_CASES)
def test_each_hydrate_rule_fires_and_nothing_is_written(
    name: str, builds: dict[str, Path], mini: Repo, tmp_path: Path
) -> None:
    case = HYDRATE_CASES[name]
    free = tmp_path / "free"
    shutil.copytree(builds["free"], free)
    folder, texts = case.make_it_fire(tmp_path, free)
    before = snapshot(tmp_path)
    result = dataset_cli(mini, "hydrate", str(folder), "--texts", str(texts), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert case.printed in result.stdout, result.stdout
    assert re.search(rf"^\S.*:\d+: {case.rule}: ", result.stdout, re.M)
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before  # no output folder, no staging folder, the inputs untouched
