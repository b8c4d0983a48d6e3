"""evaluate(): a prediction folder checked with the validator's rules, then scored with bootstrap intervals.

The folder is read as one more store of the corpus (role PREDICTION: the schemas with provenance optional, and the
rules that bind predictions), on the same stream as the gold and the stored passes, so a prediction gets exactly
the problems a contribution would; nothing is scored unless it has none.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ..layers import BY_NAME, SPAN_LAYERS
from ..problems import Problem
from ..read import stream
from ..read.corpus import Corpus as StreamCorpus
from ..repo import PREDICTION, REVIEW, Repo, Store
from ..schemas import Schemas
from .bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED, Interval, bootstrap
from .gather import Gathered, labels, predicted_layers, scored_corpus
from .slices import BLIND, FIRST, claim_slices
from .systems import System, committed, read_system
from .tasks import TASKS, TaskScore, covered, score, score_slice

PREDICTION_STORE = "prediction"  # the store name of the folder given to evaluate
CONFIDENCE = 0.95
SLICE_PREFIX = "slice:"
CLAIMS = BY_NAME["claims"].name


class PredictionError(Exception):
    """The prediction (or the repository) has problems: nothing was scored."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing was scored")
        self.problems = problems


class Score(NamedTuple):
    """A metric's value on the corpus, its bootstrap interval ("percentile" or "basic", see bootstrap.py), and its
    support: how many gold items it is measured over (claims, matched pairs, characters; None: not a count)."""

    value: float
    low: float
    high: float
    interval: str
    support: int | None


@dataclass(frozen=True)
class Results:
    """Every metric of every scored task (and slice) with its interval, and how the intervals were drawn."""

    prediction: str
    system: System | None
    documents: tuple[str, ...]
    resamples: int
    seed: int
    tasks: dict[str, dict[str, Score]]
    slices: dict[str, dict[str, Score]]
    slice_sizes: dict[str, int]
    confidence: float = CONFIDENCE

    def to_dict(self) -> dict:
        def scores(by_name: dict[str, dict[str, Score]]) -> dict:
            return {name: {m: s._asdict() for m, s in metrics.items()} for name, metrics in by_name.items()}

        system = None
        if self.system is not None:
            s = self.system
            system = {"name": s.name, "description": s.description, "command": s.command, "input": s.input}
            system["tasks"] = list(s.tasks) if s.tasks is not None else None
        return {
            "prediction": self.prediction,
            "system": system,
            "documents": len(self.documents),
            "bootstrap": {
                "resampled": "documents",
                "resamples": self.resamples,
                "seed": self.seed,
                "confidence": self.confidence,
            },
            "tasks": scores(self.tasks),
            "slices": {
                name: {"claims": self.slice_sizes[name], "metrics": metrics}
                for name, metrics in scores(self.slices).items()
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def folder_problems(store: Store, display: str) -> list[Problem]:
    """Why a folder cannot be a prediction at all (before anything in it is read)."""
    folders = ", ".join(f"{layer.name}/" for layer in SPAN_LAYERS)
    expected = f"a folder laid out like annotations/, with at least one of {folders}"
    path = store.path
    if path.is_symlink():
        return [Problem(display, 0, "symlink", "the prediction folder is a link; links are never followed")]
    if not path.is_dir():
        found = "a file" if path.exists() else "nothing"
        return [Problem(display, 0, "prediction-folder", "the prediction folder does not exist", expected, found)]
    if not predicted_layers(store):
        found = ", ".join(sorted(p.name for p in path.iterdir())[:8]) or "an empty folder"
        message = "the folder holds no layer the benchmark scores"
        return [Problem(display, 0, "prediction-folder", message, expected, found)]
    return []


def _display(repo: Repo, path: Path) -> str:
    """A folder as problems name it: relative to the repository when inside it."""
    try:
        return path.relative_to(repo.root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def _tasks(requested: Iterable[str] | None, system: System | None, pred, display: str) -> list[str]:
    """The tasks to score: those asked for, else the system's own list, else every task its layers cover."""
    if requested is not None:
        wanted = set(requested)
        unknown = sorted(wanted - set(TASKS))
        if unknown:
            problem = Problem(display, 0, "prediction-tasks", "unknown task", ", ".join(TASKS), ", ".join(unknown))
            raise PredictionError([problem])
        missing = [t for t in TASKS if t in wanted and not covered(t, pred)]
        if missing:
            needs = "; ".join(f"{t} needs {', '.join(TASKS[t].layers)}" for t in missing)
            message = f"the folder lacks layers for {', '.join(missing)}"
            raise PredictionError([Problem(display, 0, "prediction-tasks", message, needs, ", ".join(pred.layers))])
        return [t for t in TASKS if t in wanted]
    if system is not None and system.tasks is not None:
        return [t for t in TASKS if t in system.tasks]
    return [t for t in TASKS if covered(t, pred)]


def _scores(result: TaskScore, intervals: dict[str, Interval]) -> dict[str, Score]:
    statistics = result.statistics
    counts = statistics.totals().counts
    scores = {}
    for metric, interval in intervals.items():
        support = statistics.support(metric)
        method = "basic" if statistics.basic(metric) else "percentile"
        scores[metric] = Score(*interval, method, None if support is None else round(counts[support]))
    return scores


def evaluate(
    repo: Repo,
    pred: str | Path,
    tasks: Iterable[str] | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    *,
    jobs: int | None = None,
    progress: bool = False,
) -> Results:
    """Check the prediction folder `pred`, then score it on `tasks` (default: see _tasks) with bootstrap intervals.

    Raises PredictionError with every problem (in the prediction, or in the repository itself) and scores nothing.
    """
    from ..check.run import Checker  # check/ registers a rule that reads prediction metadata from this package

    if resamples < 1:
        raise ValueError("resamples must be at least 1")
    schemas = Schemas(repo)
    if schemas.problems():
        raise PredictionError(schemas.problems())
    folder = Path(pred)
    store = Store(PREDICTION_STORE, folder.absolute(), PREDICTION)  # not resolved: a link must stay visible
    display = _display(repo, store.path)
    problems = folder_problems(store, display)
    if problems:
        raise PredictionError(problems)
    passes = [s for s in repo.stores(REVIEW) if s.name in (FIRST, BLIND)]
    corpus = StreamCorpus(repo, schemas, [repo.gold, *passes, store])
    checker = Checker(corpus).start()
    gathered = Gathered(tuple(s.name for s in corpus.stores))
    if checker.readable:
        stream.run(corpus, [checker, gathered], jobs=jobs, label="evaluate", progress=progress)
    report = checker.finish()
    if report.problems:
        raise PredictionError(report.problems)
    system = read_system(corpus.readers[store.name], store, required=committed(repo, store))
    gold = scored_corpus(gathered, corpus, repo.gold, gold=True)
    prediction = scored_corpus(gathered, corpus, store)
    names = _tasks(tasks, system, prediction, display)
    label_sets = labels(schemas)
    scores: dict[str, TaskScore] = score(gold, prediction, names, labels=label_sets)
    sizes: dict[str, int] = {}
    if CLAIMS in names and len(passes) == 2:
        gold_claims = gathered.layer(repo.gold.name, CLAIMS)
        slices = claim_slices(gold_claims, gathered.layer(FIRST, CLAIMS), gathered.layer(BLIND, CLAIMS))
        for name, ids in slices.items():
            if ids:
                sizes[name] = len(ids)
                scores[SLICE_PREFIX + name] = score_slice(gold, prediction, ids, labels=label_sets, name=name)
    intervals = bootstrap(scores, resamples, seed, CONFIDENCE)
    by_task = {task: _scores(scores[task], metrics) for task, metrics in intervals.items()}
    return Results(
        prediction=display,
        system=system,
        documents=tuple(sorted(gold.texts)),
        resamples=resamples,
        seed=seed,
        tasks={t: m for t, m in by_task.items() if not t.startswith(SLICE_PREFIX)},
        slices={t.removeprefix(SLICE_PREFIX): m for t, m in by_task.items() if t.startswith(SLICE_PREFIX)},
        slice_sizes=sizes,
    )
