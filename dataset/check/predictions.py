"""Prediction folders: each committed system says, in its system.jsonl, which system made it and how."""

from __future__ import annotations

from collections.abc import Iterator

from ..evaluate.systems import committed, read_system
from ..problems import Finding
from ..repo import GOLD, PREDICTION
from .engine import CORPUS, Where, rule
from .views import CorpusView


@rule("prediction-metadata", CORPUS, roles=[GOLD])
def prediction_metadata(view: CorpusView) -> Iterator[Finding]:
    corpus = view.corpus
    for store in corpus.stores:
        if store.role != PREDICTION:
            continue
        system = read_system(corpus.readers[store.name], store, required=committed(corpus.repo, store))
        for problem in system.problems if system is not None else ():
            message = problem.message if problem.rule == "prediction-metadata" else f"{problem.rule}: {problem.message}"
            yield Finding(message, problem.expected, problem.found, Where(problem.path, problem.line))
