"""The benchmark as a product: evaluate checks a prediction folder as a contribution is checked and never scores an
invalid one; perfect predictions score 1 and empty ones 0; baselines write folders that validate; the README's
results and the agreement figures come from the same scorer and go stale with the predictions."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from dataset.baselines import BASELINES, Baseline
from dataset.check.run import validate
from dataset.evaluate import PredictionError, evaluate
from dataset.evaluate import docs as definitions
from dataset.evaluate.bootstrap import _interval
from dataset.evaluate.slices import ADJUDICATED, AGREED, claim_slices
from dataset.evaluate.tasks import SHARED, TASKS
from dataset.repo import Repo
from dataset.write.build import build

from .conftest import dataset_cli

ROOT = Path(__file__).resolve().parent.parent
SPAN_LAYERS = ("boilerplate", "sources", "claims")
REGISTRIES = ("entities", "clusters")
FEW = "20"  # resamples: enough to exercise the bootstrap, cheap enough for a test
PROBLEM = re.compile(r"^\S+:\d+: [a-z][a-z0-9-]*: ")  # path:line: rule-id: message


def prediction_from_gold(repo: Repo, folder: Path, layers=SPAN_LAYERS + REGISTRIES) -> Path:
    """A prediction folder holding the repository's own annotation (the perfect system), for the given layers."""
    folder.mkdir(parents=True)
    for name in layers:
        source = repo.annotations / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy(repo.annotations / f"{name}.jsonl", folder / f"{name}.jsonl")
    return folder


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


# --- perfect and empty predictions ------------------------------------------------------------------------------


def test_the_gold_itself_scores_one_on_every_metric_of_every_task_and_slice() -> None:
    results = evaluate(Repo(ROOT), ROOT / "annotations", resamples=10)
    assert list(results.tasks) == list(TASKS)
    assert set(results.slices) == {AGREED, ADJUDICATED}
    for group in (*results.tasks.values(), *results.slices.values()):
        for metric, score in group.items():
            assert (score.value, score.low, score.high) == (1.0, 1.0, 1.0), metric


def test_an_empty_prediction_scores_zero(mini: Repo, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    for name in SPAN_LAYERS:
        (folder / name).mkdir(parents=True)
    for name in REGISTRIES:
        (folder / f"{name}.jsonl").write_text("", encoding="utf-8")
    results = evaluate(mini, folder, resamples=5)
    assert list(results.tasks) == list(TASKS)
    for task, metrics in results.tasks.items():
        for metric, score in metrics.items():
            if metric.startswith("editorial."):
                continue  # no boilerplate predicted is every character editorial: a real answer, not nothing
            if score.support == 0:
                continue  # no gold item either (a category, conflicts): 1 by the 0/0 convention
            assert score.value == 0.0, (task, metric)


def test_a_partial_submission_is_scored_on_the_tasks_it_covers(mini: Repo, tmp_path: Path) -> None:
    folder = prediction_from_gold(mini, tmp_path / "bp", ("boilerplate",))
    result = dataset_cli(mini, "evaluate", "--pred", str(folder), "--resamples", FEW, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data["tasks"]) == ["boilerplate"]
    assert data["bootstrap"] == {"resampled": "documents", "resamples": 20, "seed": 20241114, "confidence": 0.95}
    assert data["tasks"]["boilerplate"]["boilerplate.f1"]["value"] == 1.0
    asked = dataset_cli(mini, "evaluate", "--pred", str(folder), "--tasks", "claims")
    assert asked.returncode == 1 and "prediction-tasks" in asked.stdout and "Traceback" not in asked.stderr
    none = dataset_cli(mini, "evaluate", "--pred", str(folder), "--resamples", "0")
    assert none.returncode == 2 and ": usage: " in none.stderr and not none.stdout


def test_text_and_markdown_print_every_metric_with_its_interval(mini: Repo, tmp_path: Path) -> None:
    folder = prediction_from_gold(mini, tmp_path / "all")
    text = dataset_cli(mini, "evaluate", "--pred", str(folder), "--resamples", FEW)
    assert text.returncode == 0, text.stderr
    assert "20 resamples, seed 20241114" in text.stdout
    assert "claim.relaxed.f1" in text.stdout and "[1.000, 1.000]" in text.stdout
    assert "conll" in text.stdout and "basic" in text.stdout
    markdown = dataset_cli(mini, "evaluate", "--pred", str(folder), "--resamples", FEW, "--format", "markdown")
    assert "| `claim.relaxed.f1` | 1.000 | [1.000, 1.000] | percentile |" in markdown.stdout


# --- invalid predictions: the contributors' errors, never a score -----------------------------------------------


def _wrong_offsets(folder: Path) -> None:
    path = folder / "claims" / "100_mini.jsonl"
    rows = records(path)
    rows[0]["end"] = 10_000
    write(path, rows)


def _text_not_the_seed(folder: Path) -> None:
    path = folder / "claims" / "100_mini.jsonl"
    rows = records(path)
    rows[0]["text"] = rows[0]["text"].replace("Soldaten", "Panzer")
    write(path, rows)


def _unknown_document(folder: Path) -> None:
    shutil.copy(folder / "claims" / "100_mini.jsonl", folder / "claims" / "999_unknown.jsonl")


def _broken_json(folder: Path) -> None:
    with (folder / "sources" / "101_mini.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"id": "101_mini:src-009", "doc_id": \n')


def _schema_error(folder: Path) -> None:
    path = folder / "claims" / "101_mini.jsonl"
    rows = records(path)
    rows[0]["modality"] = "certain"
    write(path, rows)


BAD = {
    "span-bounds": (_wrong_offsets, "claims/100_mini.jsonl"),
    "span-text": (_text_not_the_seed, "claims/100_mini.jsonl"),
    "document-unknown": (_unknown_document, "claims/999_unknown.jsonl"),
    "json": (_broken_json, "sources/101_mini.jsonl"),
    "schema": (_schema_error, "claims/101_mini.jsonl"),
}


@pytest.mark.parametrize("rule", sorted(BAD))
def test_an_invalid_prediction_gets_the_contributors_error_and_no_score(mini: Repo, tmp_path: Path, rule: str) -> None:
    folder = prediction_from_gold(mini, tmp_path / "pred")
    mutate, where = BAD[rule]
    mutate(folder)
    result = dataset_cli(mini, "evaluate", "--pred", str(folder), "--resamples", FEW)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if f": {rule}: " in line]
    assert lines and lines[0].startswith(f"{folder / where}:"), result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert "nothing was scored" in result.stderr
    assert all(PROBLEM.match(line) for line in result.stdout.splitlines())  # problems only: no metric, no interval
    with pytest.raises(PredictionError) as raised:
        evaluate(mini, folder, resamples=5)
    assert rule in {p.rule for p in raised.value.problems}


def test_a_folder_that_is_no_prediction_is_refused(mini: Repo, tmp_path: Path) -> None:
    missing = dataset_cli(mini, "evaluate", "--pred", str(tmp_path / "nowhere"))
    (tmp_path / "stray").mkdir()
    (tmp_path / "stray" / "notes.txt").write_text("x", encoding="utf-8")
    stray = dataset_cli(mini, "evaluate", "--pred", str(tmp_path / "stray"), "--format", "json")
    for result in (missing, stray):
        assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "prediction-folder" in missing.stdout
    assert json.loads(stray.stdout)[0]["rule"] == "prediction-folder"


# --- baselines and committed predictions ------------------------------------------------------------------------


def test_a_baseline_writes_a_folder_that_validates_and_enters_the_results_table(mini: Repo) -> None:
    out = mini.annotations / "predictions" / "no-boilerplate"
    result = dataset_cli(mini, "baseline", "no-boilerplate", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in (out / "boilerplate").iterdir()) == ["100_mini.jsonl", "101_mini.jsonl"]
    system = records(out / "system.jsonl")[0]
    assert system["command"] == "python -m dataset baseline no-boilerplate --out annotations/predictions/no-boilerplate"
    assert validate(mini).ok
    problems, _ = build(mini, check=True)
    assert [p.rule for p in problems] == ["card-stale"]  # the results table lacks the new system
    build(mini)
    readme = mini.readme.read_text(encoding="utf-8")
    assert "| `no-boilerplate` | 0.000 |" in readme
    # a prediction changes: the table is stale until the build recomputes it
    quote = "Menü"
    start = (mini.seed("100_mini")).read_text(encoding="utf-8").index(quote)
    record = {"id": "100_mini:bp-001", "doc_id": "100_mini", "start": start, "end": start + len(quote)}
    write(out / "boilerplate" / "100_mini.jsonl", [{**record, "text": quote, "category": "navigation"}])
    assert validate(mini).ok
    problems, _ = build(mini, check=True)
    assert problems and {p.rule for p in problems} == {"card-stale"}
    # an invalid committed prediction fails validate like any annotation
    write(out / "boilerplate" / "100_mini.jsonl", [{**record, "text": "Menu", "category": "navigation"}])
    assert "span-text" in {p.rule for p in validate(mini).problems}


def test_a_baseline_never_replaces_a_folder_that_is_not_a_prediction(mini: Repo, tmp_path: Path) -> None:
    out = tmp_path / "keep"
    out.mkdir()
    (out / "thesis.tex").write_text("mine", encoding="utf-8")
    result = dataset_cli(mini, "baseline", "no-boilerplate", "--out", str(out))
    assert result.returncode == 1 and "baseline-out" in result.stdout and "Traceback" not in result.stderr
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]


def test_a_missing_optional_dependency_is_a_clear_error(
    mini: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def predict(documents, claims):
        raise ModuleNotFoundError("No module named 'justext'", name="justext")

    monkeypatch.setitem(BASELINES, "no-boilerplate", Baseline("no-boilerplate", "x", ("boilerplate",), predict))
    result = dataset_cli(mini, "baseline", "no-boilerplate", "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "baseline-dependency" in result.stdout and "[baselines]" in result.stdout
    assert not (tmp_path / "out").exists()


def test_a_committed_folder_with_malformed_metadata_fails_validate(mini: Repo) -> None:
    folder = prediction_from_gold(mini, mini.annotations / "predictions" / "mine", ("claims",))
    write(folder / "system.jsonl", [{"name": "other", "description": "x", "command": "y", "input": None}])
    problems = [p for p in validate(mini).problems if p.rule == "prediction-metadata"]
    assert problems and problems[0].path == "annotations/predictions/mine/system.jsonl"
    assert "tasks" in problems[0].message


# --- definitions, slices, intervals ------------------------------------------------------------------------------


def _words(text: str) -> str:
    return " ".join(text.split())


def test_help_and_readme_show_the_same_definitions(mini: Repo) -> None:
    help_text = _words(dataset_cli(mini, "evaluate", "--help").stdout)
    readme = _words((ROOT / "README.md").read_text(encoding="utf-8"))
    assert _words(definitions.markdown()) in readme  # the generated block (build --check keeps it current)
    for text in [*(task.text for task in TASKS.values()), *SHARED.values(), definitions.PREDICTION_FORMAT]:
        assert _words(text) in help_text


def test_slices_by_hand() -> None:
    def claim(i: str, start: int, end: int, kind: str = "event", modality: str = "asserted") -> dict:
        return {"id": i, "start": start, "end": end, "type": kind, "modality": modality}

    gold = {"d": [claim("a", 0, 5), claim("b", 10, 15), claim("c", 20, 25), claim("d", 30, 35)]}
    first = {"d": [claim("x", 0, 5), claim("y", 10, 15), claim("z", 20, 25, "state"), claim("w", 30, 34)]}
    blind = {"d": [claim("x", 0, 5), claim("y", 10, 15, modality="reportive"), claim("z", 20, 25)]}
    # a: both exact with the same labels; b: blind's modality differs; c: first's type differs; d: first inexact
    assert claim_slices(gold, first, blind) == {AGREED: ["a"], ADJUDICATED: ["b", "c", "d"]}


def test_partition_metrics_get_the_basic_interval_clipped_to_the_unit_range() -> None:
    samples = [0.7, 0.8, 0.9, 0.95, 1.0]
    percentile = _interval(0.6, samples, 0.025)
    basic = _interval(0.6, samples, 0.025, basic=True)
    assert (percentile.low, percentile.high) == pytest.approx((0.71, 0.995))
    assert (basic.low, basic.high) == pytest.approx((0.205, 0.49))  # 2 x 0.6 - q(0.975), 2 x 0.6 - q(0.025)
    assert _interval(0.1, [0.5, 0.6], 0.025, basic=True).low == 0.0  # clipped


def _table_rows(block: str, header_start: str) -> list[list[str]]:
    """The rows of the first Markdown table in block whose header row starts with header_start."""
    lines = block.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_the_annotator_figures_and_the_results_table_are_one_measurement() -> None:
    """The README's agreement figures (first pass against the final data) are the results table's first-pass row."""
    from dataset.derive.card import block

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    agreement = {(task, metric): final for task, metric, _, final in _table_rows(block(readme, "figures"), "| task |")}
    results = block(readme, "results")
    checked = 0
    for task in ("claims", "attribution", "sources"):
        section = results[results.index(f"**{task}**") :]
        header = _table_rows(section, "| row |")
        names = section.splitlines()[2].strip("|").split("|")
        row = next(r for r in header if r[0] == "`review/first-pass`")
        for name, value in zip((n.strip() for n in names[1:]), row[1:], strict=True):
            assert agreement[(task, name)] == value, (task, name)
            checked += 1
    assert checked >= 9


def test_review_changes_by_hand() -> None:
    from dataset.derive.agreement import review_changes

    first = [
        {"start": 0, "end": 10, "type": "event"},  # kept as it was
        {"start": 20, "end": 30, "type": "event"},  # retyped
        {"start": 40, "end": 50, "type": "state"},  # trimmed (Jaccard 0.8: the same claim, changed)
        {"start": 60, "end": 70, "type": "plan"},  # deleted
    ]
    final = [dict(first[0]), {**first[1], "type": "state"}, {"start": 40, "end": 48, "type": "state"}]
    final.append({"start": 80, "end": 90, "type": "event"})  # added in review
    counts = review_changes(first, final, ("type",))
    assert dict(counts) == {"unchanged": 1, "changed": 2, "removed": 1, "added": 1}
