"""The benchmark: task definitions, scorer, bootstrap intervals, and the command-facing `evaluate`.

The scoring core is pure functions over plain dicts and lists and imports nothing else of the package: span
matching and counting metrics (metrics), CoNLL coreference metrics (coref), the task definitions and scorers
(tasks), document-level bootstrap intervals (bootstrap). Around it: reading a prediction folder as a store of the
corpus (gather, systems, slices), `evaluate(repo, pred_dir, ...) -> Results` (run), and the texts the README and
`--help` show (docs, tables).

    from dataset.evaluate import evaluate
    results = evaluate(repo, "annotations/predictions/rules")  # raises PredictionError when the folder is invalid
    results.tasks["claims"]["claim.relaxed.f1"]  # Score(value, low, high, interval, support)
"""

from __future__ import annotations

from typing import Any

__all__ = ["PredictionError", "Results", "Score", "evaluate"]


def __getattr__(name: str) -> Any:
    """`evaluate` and its types, imported on first use: the core modules must stay importable on their own."""
    if name in __all__:
        from . import run

        return getattr(run, name)
    raise AttributeError(name)
