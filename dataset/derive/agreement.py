"""Agreement between the stored annotation passes, and what adjudication and review changed, by the benchmark's
scorer: the figures measure annotators exactly as the results table measures systems (dataset/evaluate).

annotations/review/<pass>/<layer>/<doc_id>.jsonl hold the raw first pass and the blind second pass in the layers'
own record shape, annotations/review/clusters/<annotator>.jsonl two blind clusterings of the final claims; the
final data is annotations/. The records come from the build's single pass (evaluate/scoreboard.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from ..evaluate.metrics import match_spans
from ..evaluate.scoreboard import CLUSTERING, Scoreboard, clustering_name, restrict, with_clusters
from ..evaluate.slices import BLIND, FIRST
from ..evaluate.tasks import TASKS, covered
from ..layers import SPAN_LAYERS
from .markdown import code, table

# Fields compared when counting what the review changed (source chains are compared by the mentions' own records,
# cluster ids are not in the first pass).
ATTRIBUTES = {
    "boilerplate": ("category",),
    "sources": ("entity_id",),
    "claims": ("type", "modality", "quantity", "cue"),
}


def review_changes(first: Sequence[Mapping], final: Sequence[Mapping], fields: tuple[str, ...]) -> Counter:
    """How one document's final records differ from the first pass's, under the scorer's relaxed matching:
    unchanged, changed (span or fields), removed, added."""
    counts: Counter = Counter()
    pairs = match_spans(first, final, relaxed=True)
    for i, j in pairs:
        x, y = first[i], final[j]
        same = (x["start"], x["end"]) == (y["start"], y["end"]) and all(x[f] == y[f] for f in fields)
        counts["unchanged" if same else "changed"] += 1
    counts["removed"] += len(first) - len(pairs)
    counts["added"] += len(final) - len(pairs)
    return counts


def _cell(scores: dict[str, dict[str, float]], task: str, metric: str) -> str:
    value = scores.get(task, {}).get(metric)
    return "—" if value is None else f"{value:.3f}"


def tables(board: Scoreboard, clusterings: Mapping[str, Mapping[str, str]]) -> list[str]:
    """The agreement and review tables of the README's figures block, as Markdown lines."""
    first, blind = board.store(FIRST), board.store(BLIND)
    if first is None:
        return ["No stored first pass (annotations/review/first-pass/): no agreement to report."]
    docs = board.annotated(first)
    gold = restrict(board.gold(), docs)
    first_pred = restrict(board.prediction(first), docs)
    tasks = [t for t in TASKS if t != CLUSTERING and covered(t, first_pred)]
    blind_scores = board.scores(board.as_gold(first), restrict(board.prediction(blind), docs), tasks) if blind else {}
    final_scores = board.scores(gold, first_pred, tasks)
    names = sorted(clusterings)
    if len(names) >= 2:
        one, two = (clusterings[n] for n in names[:2])
        blind_scores[CLUSTERING] = board.scores(with_clusters(gold, one), with_clusters(gold, two), [CLUSTERING])[
            CLUSTERING
        ]
        final_scores[CLUSTERING] = board.scores(board.gold(), with_clusters(board.gold(), one), [CLUSTERING])[
            CLUSTERING
        ]
        tasks.append(CLUSTERING)
    shown = [code(clustering_name(name)) for name in names]
    pair = f"{shown[1]} against {shown[0]}" if len(names) >= 2 else ""
    header = [
        "task",
        "metric",
        f"blind pass against the first pass{f' (clustering: {pair})' if pair else ''}",
        f"first pass against the final data{f' (clustering: {shown[0]})' if pair else ''}",
    ]
    rows = [
        [task, metric, _cell(blind_scores, task, metric), _cell(final_scores, task, metric)]
        for task in tasks
        for metric in TASKS[task].headline
        if metric in final_scores.get(task, {})
    ]
    lines = [
        "Agreement of the annotators, scored by the benchmark's scorer (the first annotation as the reference; the",
        "task definitions are in the Benchmark section), and how the final data differs from the first pass, record",
        "by record (records paired by the scorer's relaxed matching):",
        "",
        *table(header, rows),
        "",
    ]
    change_rows = []
    for layer in SPAN_LAYERS:
        fields = ATTRIBUTES.get(layer.name)
        if fields is None:
            continue
        before, after = board.gathered.layer(first.name, layer.name), board.gathered.layer(board.gold_name, layer.name)
        counts: Counter = Counter()
        for doc in docs:
            counts.update(review_changes(before.get(doc, []), after.get(doc, []), fields))
        n_first = sum(len(before.get(doc, [])) for doc in docs)
        n_final = sum(len(after.get(doc, [])) for doc in docs)
        cells = [n_first, counts["unchanged"], counts["changed"], counts["removed"], counts["added"], n_final]
        change_rows.append([layer.name, *map(str, cells)])
    header = ["layer", "first-pass records", "unchanged", "changed", "removed", "added", "final records"]
    return lines + table(header, change_rows)
