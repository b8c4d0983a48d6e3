"""Results as the command prints them: text for a person, Markdown for a pull request, JSON for a program."""

from __future__ import annotations

from collections.abc import Callable

from ..derive.markdown import code, md, table
from .run import Results, Score


def _interval(score: Score) -> str:
    return f"[{score.low:.3f}, {score.high:.3f}]"


def _method(results: Results) -> str:
    return (
        f"{results.confidence:.0%} bootstrap intervals over documents ({len(results.documents)} documents resampled "
        f"with replacement, {results.resamples} resamples, seed {results.seed}; basic intervals for the partition "
        "metrics, percentile intervals for the others); n = the gold items a metric is measured over"
    )


def _groups(results: Results) -> list[tuple[str, dict[str, Score]]]:
    slices = [
        (f"slice {name} ({results.slice_sizes[name]} gold claims)", metrics) for name, metrics in results.slices.items()
    ]
    return [*results.tasks.items(), *slices]


def _who(results: Results) -> str:
    system = results.system
    if system is None:
        return results.prediction
    given = f"; given {system.input}" if system.input else ""
    return f"{results.prediction} (system {system.name}: {system.description}{given})"


def text(results: Results) -> str:
    lines = [f"evaluate: {_who(results)}", _method(results), ""]
    for name, metrics in _groups(results):
        lines.append(name)
        width = max(len(metric) for metric in metrics)
        for metric, score in metrics.items():
            notes = [f"n={score.support}"] if score.support is not None else []
            notes += ["basic"] if score.interval == "basic" else []
            lines.append(f"  {metric:<{width}}  {score.value:.3f}  {_interval(score)}  {' '.join(notes)}".rstrip())
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def markdown(results: Results) -> str:
    lines = [f"Scores of {md(_who(results))}: {md(_method(results))}.", ""]
    for name, metrics in _groups(results):
        rows = [
            [code(m), f"{s.value:.3f}", _interval(s), s.interval, "—" if s.support is None else str(s.support)]
            for m, s in metrics.items()
        ]
        header = ["metric", "value", "95% interval", "interval", "gold support"]
        lines += [f"**{md(name)}**", "", *table(header, rows), ""]
    return "\n".join(lines).rstrip("\n")


def json(results: Results) -> str:
    return results.to_json()


FORMATS: dict[str, Callable[[Results], str]] = {"text": text, "json": json, "markdown": markdown}
