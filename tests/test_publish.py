"""Publishing: the Hub-ready folder holds exactly the repository's data, and the libraries accept what describes it.

The text-free build and hydrate have their own file (tests/test_hydrate.py); their rule cases are listed here too.
"""

from __future__ import annotations

import ast
import contextlib
import errno
import hashlib
import importlib.metadata
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import datasets
import mlcroissant as mlc
import pyarrow.parquet as pq
import pytest
from huggingface_hub import DatasetCard, DatasetCardData

import dataset
import dataset.commands.publish
import dataset.hub.publish
from dataset.derive.card import CARD_METADATA, card_metadata
from dataset.derive.features import layer_features
from dataset.hub.croissant import read_back
from dataset.hub.layout import CARD, CHANGELOG, CROISSANT, MARKER, ROW_GROUP_ROWS, parquet_file
from dataset.hub.parquet import ParquetSink
from dataset.hub.provenance import UNKNOWN, Stamp, stamp
from dataset.hub.publish import PushError, publish, push
from dataset.hub.quotes import QUOTE_END, QUOTE_START
from dataset.hub.rows import UNREVIEWED
from dataset.hub.values import card_data_problems
from dataset.layers import BY_NAME, DOCUMENT_LAYER, LAYERS
from dataset.read.revisions import layer_paths
from dataset.repo import Repo
from dataset.rules import PUBLISH as PUBLISH_RULES
from dataset.schemas import Schemas
from dataset.write.build import build
from dataset.write.export import export

from .conftest import ROOT, dataset_cli
from .test_hydrate import HYDRATE_CASES
from .test_rules import edit

CONFIGS = [layer.name for layer in LAYERS]
# Deprecations inside mlcroissant's own dependencies, not in this package.
pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Stamp]:
    out = tmp_path_factory.mktemp("publish") / "hub"
    return out, publish(Repo(ROOT), out).stamp


@pytest.fixture
def published(built: tuple[Path, Stamp]) -> Path:
    return built[0]


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dataset", "--root", str(root), *args], cwd=ROOT, capture_output=True, text=True
    )


def test_folder_has_one_parquet_file_per_config_and_split_beside_card_and_croissant(published: Path) -> None:
    expected = {MARKER, CARD, CROISSANT, CHANGELOG, *(parquet_file(config) for config in CONFIGS)}
    assert set(files_of(published)) == expected


@pytest.mark.parametrize("config", CONFIGS)
def test_published_folder_clone_and_api_give_identical_rows_and_features(published: Path, config: str) -> None:
    from_folder = datasets.load_dataset(str(published), config)
    from_clone = datasets.load_dataset(str(ROOT), config)
    from_api = dataset.load_config(config, ROOT)
    assert list(from_folder) == list(from_clone) == list(from_api) == ["test"]
    assert from_folder["test"].features == from_clone["test"].features == from_api["test"].features
    assert from_folder["test"].to_list() == from_clone["test"].to_list() == from_api["test"].to_list()


@pytest.mark.parametrize("config", CONFIGS)
def test_each_parquet_file_is_the_one_datasets_itself_writes(published: Path, tmp_path: Path, config: str) -> None:
    """The streamed writer gives, byte for byte, what Dataset.to_parquet writes with the same row groups."""
    rows = dataset.load_config(config, ROOT)["test"]
    rows.to_parquet(str(tmp_path / "datasets.parquet"), batch_size=ROW_GROUP_ROWS)
    assert (published / parquet_file(config)).read_bytes() == (tmp_path / "datasets.parquet").read_bytes()


def test_row_groups_are_cut_by_count_so_the_bytes_do_not_depend_on_batching(tmp_path: Path) -> None:
    features = layer_features(Schemas(Repo(ROOT)), BY_NAME["entities"])
    first = dataset.load_config("entities", ROOT)["test"][0]
    rows = [dict(first, id=f"ent-x{i}") for i in range(2 * ROW_GROUP_ROWS + 7)]
    files = []
    for size in (1, 333, 5000):
        files.append(tmp_path / f"batches-of-{size}.parquet")
        sink = ParquetSink(files[-1], features)
        for start in range(0, len(rows), size):
            sink.add_rows(rows[start : start + size])
        assert sink.close() == len(rows)
    assert len({path.read_bytes() for path in files}) == 1
    metadata = pq.ParquetFile(files[0]).metadata
    assert [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] == [1000, 1000, 7]
    assert pq.read_table(files[0]).to_pylist() == rows


def test_the_rows_stream_merges_worker_batches_into_the_same_folder(tmp_path: Path) -> None:
    """What a worker sends back (pickled) and the parent merges in order gives the files one process writes."""
    import pickle

    from dataset.check.run import all_stores
    from dataset.hub.rows import PublishRows, Setup
    from dataset.read.corpus import Corpus

    repo = Repo(ROOT)
    schemas = Schemas(repo)

    def write(folder: Path, workers: bool) -> dict[str, bytes]:
        corpus = Corpus(repo, schemas, all_stores(repo))
        setup = Setup(schemas, corpus.gold_store().name, text_free=False)
        sinks = {name: ParquetSink(folder / parquet_file(name), f) for name, f in setup.features.items()}
        registries = {name: file.records for name, file in corpus.registries["annotations"].items()}
        parent = PublishRows.start(setup, sinks, registries)
        for doc_id in corpus.doc_ids:  # one document per batch
            consumer = parent.fresh() if workers else parent
            consumer.document(corpus.document(doc_id))
            consumer.end_batch()
            if workers:
                parent.merge(pickle.loads(pickle.dumps(consumer)))
        for sink in sinks.values():
            sink.close()
        assert parent.totals is not None
        return {name: bytes.fromhex(digest.hexdigest()) for name, digest in parent.totals.digests.items()} | {
            name: (folder / parquet_file(name)).read_bytes() for name in sinks
        }

    assert write(tmp_path / "workers", True) == write(tmp_path / "one", False)


def test_two_builds_of_the_same_tree_are_byte_identical(published: Path, tmp_path: Path) -> None:
    publish(Repo(ROOT), tmp_path / "again")
    assert files_of(tmp_path / "again") == files_of(published)


def test_exporting_the_published_configs_gives_the_repository_files_back(published: Path, tmp_path: Path) -> None:
    loaded = {config: datasets.load_dataset(str(published), config) for config in CONFIGS}
    written = export(loaded, Schemas(Repo(ROOT)), tmp_path)
    repo = Repo(ROOT)
    originals = {repo.rel(path) for layer in LAYERS for path in layer_paths(repo, layer)} | {
        repo.rel(repo.generated_documents)
    }
    assert {path.relative_to(tmp_path).as_posix() for path in written} == originals
    for rel in sorted(originals):
        assert (tmp_path / rel).read_bytes() == (ROOT / rel).read_bytes(), rel


def test_card_is_built_from_the_readme_metadata_and_accepted_by_the_hub_lists(built: tuple[Path, Stamp]) -> None:
    published, build_stamp = built
    card = DatasetCard.load(published / CARD)
    assert card_data_problems(card.data) == []
    for key, value in CARD_METADATA.items():
        assert card.data.get(key) == value, key
    configs = card.data.get("configs")
    assert [c["config_name"] for c in configs] == CONFIGS
    assert all(c["data_files"] == [{"split": "test", "path": f"{c['config_name']}/test-*"}] for c in configs)
    assert build_stamp.version == dataset.__version__
    assert f"version {build_stamp.version}, from commit `{build_stamp.commit}`" in card.text


def test_card_values_the_hub_would_reject_are_named() -> None:
    data = DatasetCardData(
        **{
            **CARD_METADATA,
            "license": "cc-by-four",
            "language": ["german"],
            "size_categories": ["tiny"],
            "task_categories": ["claim-spotting"],
            "annotations_creators": ["robots"],
            "pretty_name": "",
        },
        configs=[{"config_name": "a", "default": True}, {"config_name": "b", "default": True}],
    )
    fields = sorted(problem.split(":")[0] for problem in card_data_problems(data))
    assert fields == [
        "annotations_creators",
        "configs",
        "language",
        "license",
        "pretty_name",
        "size_categories",
        "task_categories",
    ]


def test_license_other_needs_a_name() -> None:
    data = DatasetCardData(**{**card_metadata(1), "license_name": None}, configs=[{"config_name": "a"}])
    assert card_data_problems(data) == ["license_name: required when license is 'other'"]


def _null_objects_as_mlcroissant_reads_them(row: dict, features: datasets.Features) -> dict:
    return {
        key: {sub: None for sub in features[key]} if value is None and isinstance(features[key], dict) else value
        for key, value in row.items()
    }


def test_croissant_validates_and_reads_back_every_row(published: Path) -> None:
    records = read_back(published / CROISSANT)
    assert list(records) == CONFIGS
    for config in CONFIGS:
        rows = dataset.load_config(config, ROOT)["test"]
        assert records[config] == [_null_objects_as_mlcroissant_reads_them(r, rows.features) for r in rows], config


def test_croissant_carries_version_commit_and_file_digests(built: tuple[Path, Stamp]) -> None:
    published, build_stamp = built
    metadata = json.loads((published / CROISSANT).read_text(encoding="utf-8"))
    assert metadata["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    assert metadata["version"] == dataset.__version__
    assert f"built from commit {build_stamp.commit}" in metadata["description"]
    for item in metadata["distribution"]:
        assert item["sha256"] == hashlib.sha256((published / item["contentUrl"]).read_bytes()).hexdigest()


def test_publish_refuses_a_dataset_that_does_not_validate(mini: Repo, tmp_path: Path) -> None:
    edit(mini.root / "annotations/claims/100_mini.jsonl", 0, modality="maybe")
    result = cli(mini.root, "publish", "--out", str(tmp_path / "hub"))
    assert result.returncode == 1
    assert result.stdout.startswith("annotations/claims/100_mini.jsonl:1: schema: ")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "hub").exists()


def test_publish_never_replaces_a_folder_it_did_not_build(mini: Repo, tmp_path: Path) -> None:
    (tmp_path / "hub").mkdir()
    (tmp_path / "hub" / "notes.txt").write_text("mine", encoding="utf-8")
    result = cli(mini.root, "publish", "--out", str(tmp_path / "hub"))
    assert result.returncode == 1
    assert ": publish-out: " in result.stdout
    assert (tmp_path / "hub" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_publish_states_how_many_records_are_unreviewed(mini: Repo, tmp_path: Path) -> None:
    result = dataset_cli(mini, "publish", "--out", str(tmp_path / "hub"))
    assert result.returncode == 0, result.stdout + result.stderr
    total = sum(len(dataset.load_config(layer.name, mini.root)["test"]) for layer in LAYERS)
    assert (
        f"unreviewed records: {total} of {total} (documents 2, entities 2, clusters 1, boilerplate 3" in result.stdout
    )


def test_the_real_dataset_is_reviewed_and_publishes_with_require_reviewed(built: tuple[Path, Stamp]) -> None:
    assert UNREVIEWED in Schemas(Repo(ROOT)).enum(DOCUMENT_LAYER, "review_status")  # the value counted is the schema's
    for config in CONFIGS:
        assert UNREVIEWED not in dataset.load_config(config, ROOT)["test"]["review_status"], config


def test_quote_markers_leave_the_passage_out_of_a_text_free_card_and_must_pair(mini: Repo, tmp_path: Path) -> None:
    _readme_quotes_a_seed(pytest.MonkeyPatch(), mini, tmp_path)
    text = mini.readme.read_text(encoding="utf-8")
    quoted = 'For example "Laut CNN sind 50 Soldaten in Kursk".'
    mini.readme.write_text(text.replace(quoted, f"{QUOTE_START}\n{quoted}\n{QUOTE_END}"), encoding="utf-8")
    assert dataset_cli(mini, "publish", "--out", str(tmp_path / "free"), "--without-texts").returncode == 0
    assert quoted not in (tmp_path / "free" / CARD).read_text(encoding="utf-8")
    assert dataset_cli(mini, "publish", "--out", str(tmp_path / "full")).returncode == 0
    full = (tmp_path / "full" / CARD).read_text(encoding="utf-8")
    assert quoted in full and QUOTE_START not in full  # the full card keeps the passage, without the markers
    mini.readme.write_text(text.replace(quoted, f"{QUOTE_START}\n{quoted}\n"), encoding="utf-8")
    result = dataset_cli(mini, "publish", "--out", str(tmp_path / "free"), "--without-texts")
    assert result.returncode == 1
    line = text[: text.index(quoted)].count("\n") + 1
    assert f"README.md:{line}: publish-quotes: {QUOTE_START} is never closed" in result.stdout


def test_publish_replaces_an_earlier_build_and_stamps_unknown_outside_git(mini: Repo, tmp_path: Path) -> None:
    out = tmp_path / "hub"
    assert cli(mini.root, "publish", "--out", str(out)).returncode == 0
    edit(mini.root / "annotations/boilerplate/100_mini.jsonl", 0, note="changed")
    assert cli(mini.root, "build").returncode == 0
    result = cli(mini.root, "publish", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"published version {dataset.__version__} (commit {UNKNOWN})" in result.stdout
    assert datasets.load_dataset(str(out), "boilerplate")["test"][0]["note"] == "changed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hub", "mini"]  # no staging folder left behind


def test_stamp_is_the_commit_and_marks_a_dirty_tree(mini: Repo, tmp_path: Path) -> None:
    git = ["git", "-C", str(mini.root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "mini"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    assert stamp(mini).commit == head
    (mini.root / "hub").mkdir()  # the output folder inside the clone does not make it dirty
    (mini.root / "hub" / "x").write_text("", encoding="utf-8")
    assert stamp(mini, mini.root / "hub").commit == head
    edit(mini.root / "annotations/boilerplate/100_mini.jsonl", 0, note="changed")
    assert stamp(mini, mini.root / "hub").commit == f"{head}-dirty"


def _hub_rejects_the_license(monkeypatch: pytest.MonkeyPatch, repo: Repo, out: Path) -> None:
    monkeypatch.setitem(CARD_METADATA, "license", "cc-by-four")
    build(repo)  # the README header says so too, so validation passes and the published card is what is checked


def _mlcroissant_refuses_the_file(monkeypatch: pytest.MonkeyPatch, repo: Repo, out: Path) -> None:
    def refuse(path: Path, limit: int) -> dict:
        raise mlc.ValidationError("Found the following 1 error(s) during the validation: no record sets")

    monkeypatch.setattr(dataset.hub.publish, "read_back", refuse)


def _mlcroissant_reads_no_records(monkeypatch: pytest.MonkeyPatch, repo: Repo, out: Path) -> None:
    monkeypatch.setattr(dataset.hub.publish, "read_back", lambda path, limit: {})


def _load_dataset_loses_a_row(monkeypatch: pytest.MonkeyPatch, repo: Repo, out: Path) -> None:
    real = datasets.load_dataset

    def lossy(*args, **kwargs) -> datasets.DatasetDict:
        loaded = real(*args, **kwargs)
        return datasets.DatasetDict({split: rows.select(range(rows.num_rows - 1)) for split, rows in loaded.items()})

    monkeypatch.setattr(dataset.hub.publish.datasets, "load_dataset", lossy)


def _unreviewed_with_require_reviewed(monkeypatch: pytest.MonkeyPatch, repo: Repo, out: Path) -> None:
    pass  # every record of the mini repository is unreviewed


def _readme_quotes_a_seed(monkeypatch: pytest.MonkeyPatch, repo: Repo, out: Path) -> None:
    with repo.readme.open("a", encoding="utf-8") as readme:
        readme.write('\nFor example "Laut CNN sind 50 Soldaten in Kursk".\n')


def _out_holds_other_files(monkeypatch: pytest.MonkeyPatch, repo: Repo, out: Path) -> None:
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")


def _disk_is_full(monkeypatch: pytest.MonkeyPatch, repo: Repo, out: Path) -> None:
    def full(path: Path, content: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(dataset.hub.publish, "atomic_write", full)


def _offline(monkeypatch: pytest.MonkeyPatch, repo: Repo, out: Path) -> None:
    monkeypatch.setattr(dataset.hub.publish.constants, "HF_HUB_OFFLINE", True)


class RuleCase(NamedTuple):
    """How to make one publish rule fire, and what the command then says and does."""

    rule: str
    make_it_fire: Callable[[pytest.MonkeyPatch, Repo, Path], None]
    printed: str
    args: tuple[str, ...] = ()
    exit_code: int = 1
    built: bool = False  # a refused build never takes the output folder's place


RULE_CASES = {
    "hub-metadata": RuleCase(
        "hub-metadata", _hub_rejects_the_license, "hub-metadata: license: 'cc-by-four' is not a license id the Hub"
    ),
    "croissant-refused": RuleCase(
        "croissant", _mlcroissant_refuses_the_file, "croissant.json:0: croissant: mlcroissant refuses the file: "
    ),
    "croissant-count": RuleCase(
        "croissant", _mlcroissant_reads_no_records, "croissant.json:0: croissant: mlcroissant reads 0 documents records"
    ),
    "publish-mismatch": RuleCase(
        "publish-mismatch", _load_dataset_loses_a_row, "test-00000-of-00001.parquet:0: publish-mismatch: "
    ),
    "publish-out": RuleCase(
        "publish-out", _out_holds_other_files, ":0: publish-out: exists and is not a build of publish"
    ),
    "publish-unreviewed": RuleCase(
        "publish-unreviewed",
        _unreviewed_with_require_reviewed,
        "annotations/entities.jsonl:1: publish-unreviewed: 2 entities record(s) are unreviewed",
        ("--require-reviewed",),
    ),
    "publish-quotes": RuleCase(
        "publish-quotes",
        _readme_quotes_a_seed,
        ": publish-quotes: a text-free build would quote the seed of 100_mini; mark the passage in the README",
        ("--without-texts",),
    ),
    "io": RuleCase("io", _disk_is_full, ":0: io: cannot write the folder: [Errno 28] No space left on device"),
    "push": RuleCase(
        "push", _offline, ":0: push: offline mode is on", ("--push", "someone/kursk-claims"), exit_code=2, built=True
    ),
}


def test_every_publish_rule_is_listed_with_a_description_and_has_a_case() -> None:
    cases = {case.rule for case in RULE_CASES.values()} | {case.rule for case in HYDRATE_CASES.values()}
    assert cases == {*PUBLISH_RULES, "io"}  # io: any writer's, publish's too
    assert all(description.strip() for description in PUBLISH_RULES.values())


def test_every_rule_id_the_publish_code_emits_is_listed() -> None:
    """A Problem(...) built with a rule id PUBLISH_RULES does not describe would be an undocumented rule."""
    emitted = set()
    modules = [*Path(dataset.hub.publish.__file__).parent.glob("*.py"), Path(dataset.commands.publish.__file__)]
    for module in modules:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Problem" and len(node.args) >= 3:
                assert isinstance(node.args[2], ast.Constant), ast.unparse(node)
                emitted.add(node.args[2].value)
    assert emitted == {*PUBLISH_RULES, "io"}


@pytest.mark.parametrize("name", RULE_CASES)
def test_each_publish_rule_fires_as_a_clear_problem(
    name: str, mini: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = RULE_CASES[name]
    out = tmp_path / "hub"
    case.make_it_fire(monkeypatch, mini, out)
    result = dataset_cli(mini, "publish", "--out", str(out), *case.args)
    assert result.returncode == case.exit_code
    output = result.stdout + result.stderr
    assert case.printed in output, output
    assert re.search(rf"^\S+:\d+: {case.rule}: ", output, re.M), output  # path:line: rule-id: message
    assert "Traceback" not in result.stderr
    assert (out / CROISSANT).is_file() == case.built
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["mini", *(["hub"] if out.exists() else [])])


def test_a_failed_write_keeps_the_earlier_build(mini: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "hub"
    publish(mini, out)
    before = files_of(out)
    _disk_is_full(monkeypatch, mini, out)
    assert dataset_cli(mini, "publish", "--out", str(out)).returncode == 1
    assert files_of(out) == before


class RecordingApi:
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple, dict]] = []

    def create_repo(self, *args, **kwargs) -> str:
        self.calls.append(("create_repo", args, kwargs))
        return f"https://huggingface.co/datasets/{args[0]}"

    def upload_folder(self, *args, **kwargs) -> None:
        self.calls.append(("upload_folder", args, kwargs))


def test_push_uploads_the_published_folder_as_a_dataset(published: Path) -> None:
    api = RecordingApi()
    url = push(published, "someone/kursk-claims", Stamp("9.9.9", "abc"), api=api)  # type: ignore[arg-type]
    assert url == "https://huggingface.co/datasets/someone/kursk-claims"
    (_, create_args, create_kwargs), (_, _, upload) = api.calls
    assert create_args == ("someone/kursk-claims",) and create_kwargs == {"repo_type": "dataset", "exist_ok": True}
    assert upload["repo_id"] == "someone/kursk-claims" and upload["repo_type"] == "dataset"
    assert upload["folder_path"] == str(published) and upload["delete_patterns"] == "*"
    assert upload["commit_message"] == "Publish version 9.9.9 (commit abc)"


def test_push_offline_is_a_clear_error_after_the_folder_is_built(mini: Repo, tmp_path: Path) -> None:
    with pytest.raises(PushError, match="offline"):
        push(tmp_path, "someone/kursk-claims", Stamp("1.0.0", "abc"))
    result = cli(mini.root, "publish", "--out", str(tmp_path / "hub"), "--push", "someone/kursk-claims")
    assert result.returncode == 2
    assert "push: offline mode is on" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "hub" / CROISSANT).is_file()


def test_version_lives_in_one_place_and_has_a_changelog_section() -> None:
    tomllib = pytest.importorskip("tomllib")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"] and "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "dataset.__version__"}
    changelog = (ROOT / CHANGELOG).read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(dataset.__version__)}\]", changelog, re.M)
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):  # a checkout run without installing
        assert importlib.metadata.version("kursk-claims") == dataset.__version__
