"""The benchmark's tasks, defined once: as data (TASKS, each with a definition precise enough to reimplement) and as
scoring functions over plain dicts.

Input structure (`Corpus`), the same for gold and prediction:

- `texts`: doc_id -> the seed text (code points). Needed in the gold only; the gold's documents are the corpus.
- `layers`: layer name ("boilerplate", "sources", "claims") -> doc_id -> list of records as the dataset stores them
  (dicts with at least id, start, end and the layer's fields). A layer absent from the prediction means the tasks
  that need it are not scored; a document absent from a predicted layer means nothing was predicted in it.
- `clusters`: the cluster registry (records with id and conflicts_with), or None when not predicted.

Every task returns a `TaskScore`: a flat dict metric -> float and the per-document statistics from which the
bootstrap recomputes the metrics on resampled documents. Nothing here imports the rest of the package.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import coref
from .bootstrap import ABSENT, OWN, PartitionStats, Statistics, Totals
from .metrics import (
    PRF,
    boilerplate_counts,
    boilerplate_scores,
    chain_exact,
    chain_partial,
    label_counts,
    macro_f1_from_counts,
    match_spans,
    prf,
)

Record = Mapping[str, Any]
LAYERS = ("boilerplate", "sources", "claims")


@dataclass(frozen=True)
class Corpus:
    """Gold or prediction: texts, span layers by document, and the cluster registry (see the module docstring)."""

    texts: Mapping[str, str] = field(default_factory=dict)
    layers: Mapping[str, Mapping[str, Sequence[Record]]] = field(default_factory=dict)
    clusters: Sequence[Record] | None = None

    def records(self, layer: str, doc_id: str) -> Sequence[Record]:
        return self.layers[layer].get(doc_id, ())


@dataclass(frozen=True)
class Labels:
    """The closed label sets, as the schemas' enums give them."""

    claim_types: tuple[str, ...]
    modalities: tuple[str, ...]
    categories: tuple[str, ...]


def labels_from_schemas(boilerplate_schema: Mapping[str, Any], claims_schema: Mapping[str, Any]) -> Labels:
    """Label sets read from the parsed JSON Schemas (schema/boilerplate.schema.json, schema/claims.schema.json)."""
    return Labels(
        claim_types=tuple(claims_schema["$defs"]["claim_type"]["enum"]),
        modalities=tuple(claims_schema["$defs"]["modality"]["enum"]),
        categories=tuple(boilerplate_schema["$defs"]["category"]["enum"]),
    )


@dataclass(frozen=True)
class Task:
    """A task as data: its name, the predicted layers it needs, its own definition, the shared definitions it uses
    (SHARED: matching, partition metrics) and its headline metrics (the README's results table)."""

    name: str
    layers: tuple[str, ...]
    text: str
    uses: tuple[str, ...]
    headline: tuple[str, ...]

    @property
    def definition(self) -> str:
        """The complete definition: the task's own text and every shared definition it uses."""
        return " ".join([self.text, *(SHARED[name] for name in self.uses)])


MATCHING = (
    "Matching (per document, one-to-one): exact = same (start, end); relaxed = exact pairs first, then remaining pairs "
    "with character Jaccard overlap |A and B| / |A or B| >= 0.5 of the half-open code-point ranges, taken greedily in "
    "order of (-Jaccard, gold start, gold end, pred start, pred end). P/R/F1 of spans: precision = matched / "
    "predicted, recall = matched / gold, F1 = 2 matched / (gold + predicted); a zero denominator gives 0, and no gold "
    "and no prediction gives 1. Measures over matched claims (accuracies, means, cue P/R/F1) are 0 when no claim is "
    "matched."
)
COREF = (
    "Partition metrics are computed as the CoNLL reference scorer v8.01 computes them, on the whole corpus as one "
    "partition: MUC, B-cubed, CEAF-e (phi4) and, where listed, BLANC (Luo et al. 2014: mean of coreference-link and "
    "non-coreference-link scores; only one of them if the key has links of one kind only; F1 = mean of the two link "
    "F1s); CoNLL = mean of the MUC, B-cubed and CEAF-e F1. Their 0/0 convention is the reference's: a zero "
    "denominator gives 0 (MUC of a key of singletons only is 0 even for a perfect response). Gold items unmatched in "
    "the prediction and predicted items unmatched in the gold are twinless: they stay in their own side's clusters."
)
SHARED = {"matching": MATCHING, "partitions": COREF}  # definitions several tasks use, stated once

TASKS: dict[str, Task] = {
    t.name: t
    for t in (
        Task(
            "boilerplate",
            ("boilerplate",),
            "Input: the seed text. Output: boilerplate spans with a category (closed set, schema enum). Scored over "
            "the non-whitespace characters of every text (str.isspace() false): a character is boilerplate when a "
            "span covers it, editorial otherwise, and has category c when a span of category c covers it (a "
            "character under spans of two categories has both). Sums over all documents: boilerplate.* = P/R/F1 with "
            "boilerplate characters as the positive class; editorial.* = P/R/F1 with editorial characters as the "
            "positive class (the clean-article view: an empty prediction has editorial recall 1); "
            "category.<c>.* = P/R/F1 of the characters of category c, for every c of the closed set. Zero "
            "denominator: 0; no gold and no predicted character of a class: 1.",
            (),
            ("boilerplate.f1", "editorial.f1"),
        ),
        Task(
            "sources",
            ("sources",),
            "Input: the seed text. Output: source mentions (spans) with an entity label; labels are arbitrary, only "
            "the partition of mentions they induce counts, and an entity may span documents. mention.exact.* and "
            "mention.relaxed.* = P/R/F1 of mention spans under exact and relaxed matching, summed over documents. "
            "linking.muc.*, linking.bcub.*, linking.ceafe.* and linking.conll score the entity partition: key = gold "
            "mentions grouped by gold entity_id, response = predicted mentions grouped by predicted entity_id; a "
            "predicted mention relaxed-matched to a gold mention is that gold mention, the others are twinless.",
            ("matching", "partitions"),
            ("mention.exact.f1", "mention.relaxed.f1", "linking.conll"),
        ),
        Task(
            "claims",
            ("claims",),
            "Input: the seed text. Output: claim spans with a type and a modality (closed sets, schema enums). "
            "claim.exact.* and claim.relaxed.* = P/R/F1 of claim spans under exact and relaxed matching, summed over "
            "documents. On the relaxed-matched pairs of the whole corpus: type.accuracy and modality.accuracy = share "
            "of pairs whose predicted label equals the gold label; type.macro_f1 and modality.macro_f1 = unweighted "
            "mean over labels of the per-label F1 (tp = pairs with that label on both sides, gold = pairs with that "
            "gold label, predicted = pairs with that predicted label), over the labels of the closed set that occur "
            "on at least one side of some pair (a label that never occurs is left out; none: 0).",
            ("matching",),
            ("claim.exact.f1", "claim.relaxed.f1", "type.macro_f1", "modality.macro_f1"),
        ),
        Task(
            "attribution",
            ("claims", "sources"),
            "Input: the text with predicted claims and source mentions. Output per claim: source_ids, an ordered "
            "chain of mention ids (outermost reporter first), and a cue span or null. On relaxed-matched claim pairs: "
            "the gold chain is the list of gold entity_ids of the gold claim's source_ids; the predicted chain maps "
            "each predicted mention to the gold entity_id of the gold mention it is relaxed-matched to, or to nothing "
            "(an element equal to no gold element) if it is unmatched. chain.exact = share of pairs whose chains are "
            "equal as sequences; chain.lcs = mean over pairs of 2 LCS(gold, pred) / (len(gold) + len(pred)), 1 for "
            "two empty chains (LCS because order matters). cue.* = P/R/F1 over the pairs: a pair whose gold and "
            "predicted cue have the same start and end is a true positive; a predicted cue otherwise is a false "
            "positive and a gold cue otherwise a false negative (different offsets: both).",
            ("matching",),
            ("chain.exact", "chain.lcs", "cue.f1"),
        ),
        Task(
            "quantities",
            ("claims",),
            "Input: the text with predicted claims. Output per quantity claim: quantity = {value, unit, qualifier} or "
            "null. On relaxed-matched claim pairs whose gold quantity is not null: value.accuracy = share with equal "
            "numbers (1000 == 1000.0), unit.accuracy = equal unit strings, qualifier.accuracy = equal qualifiers, "
            "all.accuracy = all three equal; a null predicted quantity is wrong on all four. Pairs whose gold "
            "quantity is null are not scored here.",
            ("matching",),
            ("value.accuracy", "unit.accuracy", "qualifier.accuracy", "all.accuracy"),
        ),
        Task(
            "clustering",
            ("claims",),
            "Input: the claims of all documents. Output: a cluster_id per claim (null = a cluster of its own) and a "
            "cluster registry with conflicts_with. Claim partition: key = gold claims grouped by gold cluster_id, "
            "every gold claim with a null cluster_id a singleton; response = predicted claims grouped by predicted "
            "cluster_id, null a singleton; a predicted claim relaxed-matched to a gold claim is that gold claim, the "
            "others are twinless. muc.*, bcub.*, ceafe.*, blanc.* and conll: the partition metrics. conflict.* (only "
            "when the prediction has a cluster registry): a conflict link is an unordered pair of claims whose "
            "clusters conflict (one lists the other in conflicts_with; a cluster never conflicts with itself); "
            "P/R/F1 of predicted links against gold links, a predicted link being true when both its claims are "
            "relaxed-matched and the gold claims they match form a gold link.",
            ("matching", "partitions"),
            ("muc.f1", "bcub.f1", "ceafe.f1", "blanc.f1", "conll", "conflict.f1"),
        ),
    )
}

SLICE_DEFINITION = (
    "A slice is a set of gold claims (by id). On a slice: claim.exact.recall and claim.relaxed.recall = matched "
    "slice claims / slice claims; then type.accuracy, modality.accuracy, the attribution measures (chain.exact, "
    "chain.lcs, cue.*, when sources are predicted) and the quantity accuracies (quantity.value.accuracy, ...), all "
    "computed as in their tasks but "
    "on the matched pairs whose gold claim is in the slice. There is no claim precision: an unmatched predicted "
    "claim has no gold claim to say whether it belongs to the slice, so the false positives of a slice are "
    "undefined."
)


@dataclass(frozen=True)
class TaskScore:
    """The metrics of one task on the corpus and the statistics to recompute them on resampled documents."""

    task: str
    metrics: dict[str, float]
    statistics: Statistics


# --- shared pieces ------------------------------------------------------------------------------------------------


def documents(gold: Corpus) -> tuple[str, ...]:
    """The corpus's documents in a fixed order (sorted ids): the order of every per-document statistic."""
    return tuple(sorted(gold.texts))


def check_corpora(gold: Corpus, pred: Corpus) -> None:
    """Fail early on what would score silently wrong: unknown documents, misfiled records, duplicate ids."""
    docs = set(gold.texts)
    for side, corpus in (("gold", gold), ("prediction", pred)):
        for layer, by_doc in corpus.layers.items():
            ids: set[Hashable] = set()
            for doc_id, records in by_doc.items():
                if doc_id not in docs:
                    raise ValueError(f"{side} layer {layer!r} has records for unknown document {doc_id!r}")
                for record in records:
                    if record.get("doc_id", doc_id) != doc_id:
                        raise ValueError(f"{side} record {record['id']!r} is filed under document {doc_id!r}")
                    if record["id"] in ids:
                        raise ValueError(f"{side} layer {layer!r} has the id {record['id']!r} twice")
                    ids.add(record["id"])


def _prepare(gold: Corpus, pred: Corpus, task: str) -> None:
    """Check the corpora and that the prediction has the layers the task needs."""
    missing = [layer for layer in TASKS[task].layers if layer not in pred.layers]
    if missing:
        raise ValueError(f"task {task!r} needs the predicted layers {missing}")
    check_corpora(gold, pred)


def _task_score(name: str, statistics: Statistics) -> TaskScore:
    return TaskScore(name, statistics.evaluate(), statistics)


def _support_by_prefix(*rules: tuple[str, str]) -> Callable[[str], str | None]:
    """Support of a metric: the count of the first rule whose prefix the metric name starts with."""

    def support(metric: str) -> str | None:
        return next((count for prefix, count in rules if metric.startswith(prefix)), None)

    return support


@dataclass(frozen=True)
class _DocPairs:
    """One document's gold and predicted records of a layer and their exact and relaxed matches."""

    gold: Sequence[Record]
    pred: Sequence[Record]
    exact: list[tuple[int, int]]
    relaxed: list[tuple[int, int]]

    def relaxed_records(self) -> list[tuple[Record, Record]]:
        return [(self.gold[i], self.pred[j]) for i, j in self.relaxed]


def _align(gold: Corpus, pred: Corpus, layer: str) -> list[_DocPairs]:
    result = []
    for doc_id in documents(gold):
        g = gold.records(layer, doc_id) if layer in gold.layers else ()
        p = pred.records(layer, doc_id)
        result.append(_DocPairs(g, p, match_spans(g, p, relaxed=False), match_spans(g, p, relaxed=True)))
    return result


def _prf_dict(prefix: str, result: PRF) -> dict[str, float]:
    return {f"{prefix}.{name}": value for name, value in result._asdict().items()}


def _ratio(numerator: float, denominator: float) -> float:
    """A share of matched (or slice) items; 0.0 over none (nothing matched, nothing right)."""
    return numerator / denominator if denominator else 0.0


def _columns(rows: Sequence[Mapping[str, float]]) -> dict[str, list[float]]:
    """Per-document count dicts -> name -> per-document values (every name present in every row)."""
    names = sorted({name for row in rows for name in row})
    return {name: [row.get(name, 0) for row in rows] for name in names}


def _detection_counts(doc: _DocPairs, keep: Callable[[Record], bool] | None = None) -> dict[str, int]:
    """Span counts of one document; with `keep`, only gold spans it accepts (and their matches) count."""

    def kept(pairs: list[tuple[int, int]]) -> int:
        return sum(1 for i, _ in pairs if keep is None or keep(doc.gold[i]))

    return {
        "exact.tp": kept(doc.exact),
        "relaxed.tp": kept(doc.relaxed),
        "gold": sum(1 for g in doc.gold if keep is None or keep(g)),
        "pred": len(doc.pred),
    }


def _detection_scores(c: Mapping[str, float], prefix: str) -> dict[str, float]:
    return {
        **_prf_dict(f"{prefix}.exact", prf(c["exact.tp"], c["gold"], c["pred"])),
        **_prf_dict(f"{prefix}.relaxed", prf(c["relaxed.tp"], c["gold"], c["pred"])),
    }


def _partition(docs: Sequence[_DocPairs], field_name: str) -> PartitionStats:
    """Items of a key and a response partition by the records' `field_name` (null: a cluster of its own).

    The items are the relaxed-matched pairs (a predicted record is its gold record) and the unmatched records of
    either side (twinless).
    """
    key_index = _label_index(r.get(field_name) for d in docs for r in d.gold)
    response_index = _label_index(r.get(field_name) for d in docs for r in d.pred)

    def code(record: Record | None, index: Mapping[Hashable, int]) -> int:
        if record is None:
            return ABSENT
        value = record.get(field_name)
        return OWN if value is None else index[value]

    key_codes, response_codes = [], []
    for d in docs:
        matched_gold = {i for i, _ in d.relaxed}
        matched_pred = {j for _, j in d.relaxed}
        items: list[tuple[Record | None, Record | None]] = [(d.gold[i], d.pred[j]) for i, j in d.relaxed]
        items += [(g, None) for i, g in enumerate(d.gold) if i not in matched_gold]
        items += [(None, p) for j, p in enumerate(d.pred) if j not in matched_pred]
        key_codes.append(np.array([code(g, key_index) for g, _ in items], dtype=np.int64))
        response_codes.append(np.array([code(p, response_index) for _, p in items], dtype=np.int64))
    return PartitionStats(len(key_index), len(response_index), tuple(key_codes), tuple(response_codes))


def _label_index(labels: Iterable[Hashable]) -> dict[Hashable, int]:
    """Rows or columns of a contingency for the non-null labels; the order is fixed (by repr), no metric needs it."""
    return {label: i for i, label in enumerate(sorted({x for x in labels if x is not None}, key=repr))}


def _coref_scores(c: coref.Contingency, prefix: str, metrics: Sequence[str]) -> dict[str, float]:
    scores = coref.scores_from(c, metrics)
    flat: dict[str, float] = {}
    for name in metrics:
        flat.update(_prf_dict(f"{prefix}{name}", scores[name]))
    flat[f"{prefix}conll"] = coref.conll_from(scores)
    return flat


# --- boilerplate ------------------------------------------------------------------------------------------------


def score_boilerplate(gold: Corpus, pred: Corpus, labels: Labels) -> TaskScore:
    """Character-level boilerplate vs editorial P/R/F1 and per-category P/R/F1 (TASKS['boilerplate'])."""
    _prepare(gold, pred, "boilerplate")
    docs = documents(gold)
    rows = [
        boilerplate_counts(
            gold.texts[d],
            gold.records("boilerplate", d) if "boilerplate" in gold.layers else (),
            pred.records("boilerplate", d),
            labels.categories,
        )
        for d in docs
    ]
    categories = labels.categories

    def finalize(t: Totals) -> dict[str, float]:
        return boilerplate_scores(t.counts, categories)

    statistics = Statistics(docs, finalize, counts=_columns(rows), support=_gold_count_of_class)
    return _task_score("boilerplate", statistics)


def _gold_count_of_class(metric: str) -> str:
    """boilerplate.f1 -> boilerplate.gold, category.navigation.recall -> category.navigation.gold."""
    return metric.rsplit(".", 1)[0] + ".gold"


# --- sources ----------------------------------------------------------------------------------------------------


def score_sources(gold: Corpus, pred: Corpus) -> TaskScore:
    """Mention detection (exact, relaxed) and entity linking (MUC, B-cubed, CEAF-e, CoNLL) (TASKS['sources'])."""
    _prepare(gold, pred, "sources")
    docs = _align(gold, pred, "sources")
    partitions = {"linking": _partition(docs, "entity_id")}

    def finalize(t: Totals) -> dict[str, float]:
        return {
            **_detection_scores(t.counts, "mention"),
            **_coref_scores(t.partitions["linking"], "linking.", ("muc", "bcub", "ceafe")),
        }

    rows = [_detection_counts(d) for d in docs]
    support = _support_by_prefix(("", "gold"))
    statistics = Statistics(
        documents(gold), finalize, _columns(rows), partitions=partitions, support=support, basic=_is_linking
    )
    return _task_score("sources", statistics)


def _is_linking(metric: str) -> bool:
    """The partition metrics of source linking (basic bootstrap interval, see bootstrap.DEFINITION)."""
    return metric.startswith("linking.")


# --- claims -----------------------------------------------------------------------------------------------------


def _classification_counts(
    pairs: Sequence[tuple[Record, Record]], field_name: str, label_set: Sequence[str]
) -> dict[str, int]:
    counts = label_counts([(g[field_name], p[field_name]) for g, p in pairs], label_set)
    row = {f"{field_name}.n": len(pairs), f"{field_name}.correct": sum(c[0] for c in counts.values())}
    for label, (tp, n_gold, n_pred) in counts.items():
        row.update({f"{field_name}.{label}.tp": tp, f"{field_name}.{label}.gold": n_gold})
        row[f"{field_name}.{label}.pred"] = n_pred
    return row


def _classification_scores(c: Mapping[str, float], field_name: str, label_set: Sequence[str]) -> dict[str, float]:
    per_label = {
        label: (c[f"{field_name}.{label}.tp"], c[f"{field_name}.{label}.gold"], c[f"{field_name}.{label}.pred"])
        for label in label_set
    }
    return {
        f"{field_name}.accuracy": _ratio(c[f"{field_name}.correct"], c[f"{field_name}.n"]),
        f"{field_name}.macro_f1": macro_f1_from_counts(per_label),
    }


def score_claims(gold: Corpus, pred: Corpus, labels: Labels) -> TaskScore:
    """Claim detection (exact, relaxed) and type / modality accuracy and macro-F1 (TASKS['claims'])."""
    _prepare(gold, pred, "claims")
    docs = _align(gold, pred, "claims")
    rows = []
    for d in docs:
        pairs = d.relaxed_records()
        rows.append(
            {
                **_detection_counts(d),
                **_classification_counts(pairs, "type", labels.claim_types),
                **_classification_counts(pairs, "modality", labels.modalities),
            }
        )

    def finalize(t: Totals) -> dict[str, float]:
        return {
            **_detection_scores(t.counts, "claim"),
            **_classification_scores(t.counts, "type", labels.claim_types),
            **_classification_scores(t.counts, "modality", labels.modalities),
        }

    support = _support_by_prefix(("claim.", "gold"), ("type.", "type.n"), ("modality.", "modality.n"))
    return _task_score("claims", Statistics(documents(gold), finalize, _columns(rows), support=support))


# --- attribution ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _MentionMap:
    """Gold entity of every gold mention, and the gold mention each predicted mention is relaxed-matched to."""

    gold_entity: dict[Hashable, Hashable]
    pred_ids: set[Hashable]
    pred_to_gold: dict[Hashable, Hashable]

    def gold_chain(self, claim: Record) -> list[Hashable]:
        try:
            return [self.gold_entity[m] for m in claim.get("source_ids") or ()]
        except KeyError as missing:
            raise ValueError(f"gold claim {claim['id']!r} cites unknown mention {missing}") from None

    def pred_chain(self, claim: Record) -> list[Hashable | None]:
        chain = []
        for m in claim.get("source_ids") or ():
            if m not in self.pred_ids:
                raise ValueError(f"predicted claim {claim['id']!r} cites unknown mention {m!r}")
            gold_mention = self.pred_to_gold.get(m)
            chain.append(None if gold_mention is None else self.gold_entity[gold_mention])
        return chain


def _mention_map(gold: Corpus, pred: Corpus) -> _MentionMap:
    docs = _align(gold, pred, "sources")
    return _MentionMap(
        gold_entity={g["id"]: g["entity_id"] for d in docs for g in d.gold},
        pred_ids={p["id"] for d in docs for p in d.pred},
        pred_to_gold={p["id"]: g["id"] for d in docs for g, p in d.relaxed_records()},
    )


def _same_cue(gold: Record, pred: Record) -> bool:
    g, p = gold.get("cue"), pred.get("cue")
    return g is not None and p is not None and (g["start"], g["end"]) == (p["start"], p["end"])


def _attribution_counts(pairs: Sequence[tuple[Record, Record]], mentions: _MentionMap) -> dict[str, float]:
    exact, partial = 0, []
    for g, p in pairs:
        gold_chain, pred_chain = mentions.gold_chain(g), mentions.pred_chain(p)
        exact += chain_exact(gold_chain, pred_chain)
        partial.append(chain_partial(gold_chain, pred_chain))
    return {
        "pairs": len(pairs),
        "chain.exact": exact,
        "chain.lcs": math.fsum(partial),
        "cue.tp": sum(_same_cue(g, p) for g, p in pairs),
        "cue.gold": sum(g.get("cue") is not None for g, _ in pairs),
        "cue.pred": sum(p.get("cue") is not None for _, p in pairs),
    }


def _attribution_scores(c: Mapping[str, float]) -> dict[str, float]:
    cue = prf(c["cue.tp"], c["cue.gold"], c["cue.pred"]) if c["pairs"] else PRF(0.0, 0.0, 0.0)
    return {
        "chain.exact": _ratio(c["chain.exact"], c["pairs"]),
        "chain.lcs": _ratio(c["chain.lcs"], c["pairs"]),
        **_prf_dict("cue", cue),
    }


def score_attribution(gold: Corpus, pred: Corpus) -> TaskScore:
    """Ordered source chains (exact, LCS) and cue P/R/F1 on relaxed-matched claims (TASKS['attribution'])."""
    _prepare(gold, pred, "attribution")
    mentions = _mention_map(gold, pred)
    rows = [_attribution_counts(d.relaxed_records(), mentions) for d in _align(gold, pred, "claims")]
    statistics = Statistics(documents(gold), _finalize_attribution, _columns(rows), support=ATTRIBUTION_SUPPORT)
    return _task_score("attribution", statistics)


ATTRIBUTION_SUPPORT = _support_by_prefix(("chain.", "pairs"), ("cue.", "cue.gold"))


def _finalize_attribution(t: Totals) -> dict[str, float]:
    return _attribution_scores(t.counts)


# --- quantities -------------------------------------------------------------------------------------------------

QUANTITY_PARTS = ("value", "unit", "qualifier")


def _quantity_counts(pairs: Sequence[tuple[Record, Record]]) -> dict[str, int]:
    row = {"n": 0, "value": 0, "unit": 0, "qualifier": 0, "all": 0}
    for g, p in pairs:
        gq, pq = g.get("quantity"), p.get("quantity")
        if gq is None:
            continue
        row["n"] += 1
        right = [pq is not None and pq.get(part) == gq[part] for part in QUANTITY_PARTS]
        for part, ok in zip(QUANTITY_PARTS, right, strict=True):
            row[part] += ok
        row["all"] += all(right)
    return row


def _quantity_scores(c: Mapping[str, float], prefix: str = "") -> dict[str, float]:
    parts = (*QUANTITY_PARTS, "all")
    return {f"{prefix}{part}.accuracy": _ratio(c[f"{prefix}{part}"], c[f"{prefix}n"]) for part in parts}


def score_quantities(gold: Corpus, pred: Corpus) -> TaskScore:
    """Value, unit, qualifier and all-three accuracy on matched quantity claims (TASKS['quantities'])."""
    _prepare(gold, pred, "quantities")
    rows = [_quantity_counts(d.relaxed_records()) for d in _align(gold, pred, "claims")]
    support = _support_by_prefix(("", "n"))
    return _task_score("quantities", Statistics(documents(gold), _finalize_quantities, _columns(rows), support=support))


def _finalize_quantities(t: Totals) -> dict[str, float]:
    return _quantity_scores(t.counts)


# --- clustering -------------------------------------------------------------------------------------------------


def conflict_pairs(clusters: Iterable[Record]) -> set[frozenset[Hashable]]:
    """Unordered pairs of conflicting cluster ids, symmetrised (either side listing the other suffices)."""
    pairs = set()
    for cluster in clusters:
        for other in cluster.get("conflicts_with") or ():
            if other != cluster["id"]:
                pairs.add(frozenset((cluster["id"], other)))
    return pairs


def _conflict_links(
    claims: Sequence[tuple[int, Record]], conflicts: set[frozenset[Hashable]]
) -> list[tuple[int, Hashable, int, Hashable]]:
    """Conflict links among (document index, claim) items: (doc a, claim id a, doc b, claim id b)."""
    by_cluster: dict[Hashable, list[tuple[int, Hashable]]] = defaultdict(list)
    for doc, claim in claims:
        if claim.get("cluster_id") is not None:
            by_cluster[claim["cluster_id"]].append((doc, claim["id"]))
    links = []
    for pair in sorted(conflicts, key=sorted):
        a, b = sorted(pair)
        for doc_a, id_a in by_cluster.get(a, ()):
            links.extend((doc_a, id_a, doc_b, id_b) for doc_b, id_b in by_cluster.get(b, ()))
    return links


def _pair_matrix(n_docs: int, links: Iterable[tuple[int, int]]) -> list[list[float]]:
    """Links counted per unordered pair of documents, as a symmetric matrix (see bootstrap.Statistics)."""
    matrix = [[0.0] * n_docs for _ in range(n_docs)]
    for a, b in links:
        matrix[a][b] += 1
        if a != b:
            matrix[b][a] += 1
    return matrix


def _conflict_counts(
    gold_clusters: Iterable[Record], pred_clusters: Iterable[Record], docs: Sequence[_DocPairs]
) -> dict[str, list[list[float]]]:
    """Gold, predicted and true conflict links per pair of documents."""
    gold_links = _conflict_links([(i, c) for i, d in enumerate(docs) for c in d.gold], conflict_pairs(gold_clusters))
    pred_links = _conflict_links([(i, c) for i, d in enumerate(docs) for c in d.pred], conflict_pairs(pred_clusters))
    gold_set = {frozenset((a, b)) for _, a, _, b in gold_links}
    to_gold = {p["id"]: g["id"] for d in docs for g, p in d.relaxed_records()}
    true = [
        (da, db)
        for da, a, db, b in pred_links
        if a in to_gold and b in to_gold and frozenset((to_gold[a], to_gold[b])) in gold_set
    ]
    n = len(docs)
    return {
        "conflict.gold": _pair_matrix(n, ((da, db) for da, _, db, _ in gold_links)),
        "conflict.pred": _pair_matrix(n, ((da, db) for da, _, db, _ in pred_links)),
        "conflict.tp": _pair_matrix(n, true),
    }


def score_clustering(gold: Corpus, pred: Corpus) -> TaskScore:
    """Claim clusters (MUC, B-cubed, CEAF-e, BLANC, CoNLL) and conflict-link P/R/F1 (TASKS['clustering'])."""
    _prepare(gold, pred, "clustering")
    docs = _align(gold, pred, "claims")
    partitions = {"clusters": _partition(docs, "cluster_id")}
    with_conflicts = pred.clusters is not None
    pair_counts = _conflict_counts(gold.clusters or (), pred.clusters or (), docs) if with_conflicts else {}

    def finalize(t: Totals) -> dict[str, float]:
        scores = _coref_scores(t.partitions["clusters"], "", ("muc", "bcub", "ceafe", "blanc"))
        if with_conflicts:
            c = t.counts
            scores.update(_prf_dict("conflict", prf(c["conflict.tp"], c["conflict.gold"], c["conflict.pred"])))
        return scores

    counts = {"gold": [len(d.gold) for d in docs]}
    support = _support_by_prefix(("conflict.", "conflict.gold"), ("", "gold"))
    statistics = Statistics(documents(gold), finalize, counts, pair_counts, partitions, support, _is_partition)
    return _task_score("clustering", statistics)


def _is_partition(metric: str) -> bool:
    """The partition metrics of claim clustering, not the conflict links (basic bootstrap interval)."""
    return not metric.startswith("conflict.")


# --- slices -----------------------------------------------------------------------------------------------------


def score_slice(
    gold: Corpus, pred: Corpus, claim_ids: Collection[str], *, labels: Labels, name: str = "slice"
) -> TaskScore:
    """Recall and matched-claim accuracies on a subset of gold claims, no precision (see SLICE_DEFINITION)."""
    _prepare(gold, pred, "claims")
    known = {c["id"] for records in gold.layers.get("claims", {}).values() for c in records}
    unknown = set(claim_ids) - known
    if unknown:
        raise ValueError(f"slice {name!r} names claims not in the gold: {sorted(unknown)}")
    wanted = set(claim_ids)

    def keep(record: Record) -> bool:
        return record["id"] in wanted

    docs = _align(gold, pred, "claims")
    mentions = _mention_map(gold, pred) if "sources" in pred.layers else None
    rows = []
    for d in docs:
        pairs = [(g, p) for g, p in d.relaxed_records() if keep(g)]
        row: dict[str, float] = {**_detection_counts(d, keep)}
        row.update(_classification_counts(pairs, "type", labels.claim_types))
        row.update(_classification_counts(pairs, "modality", labels.modalities))
        row.update({f"quantity.{k}": v for k, v in _quantity_counts(pairs).items()})
        if mentions is not None:
            row.update(_attribution_counts(pairs, mentions))
        rows.append(row)

    def finalize(t: Totals) -> dict[str, float]:
        c = t.counts
        scores = {
            "claim.exact.recall": _ratio(c["exact.tp"], c["gold"]),
            "claim.relaxed.recall": _ratio(c["relaxed.tp"], c["gold"]),
            "type.accuracy": _ratio(c["type.correct"], c["type.n"]),
            "modality.accuracy": _ratio(c["modality.correct"], c["modality.n"]),
        }
        if mentions is not None:
            scores.update(_attribution_scores(c))
        scores.update(_quantity_scores(c, "quantity."))
        return scores

    support = _support_by_prefix(
        ("claim.", "gold"),
        ("type.", "type.n"),
        ("modality.", "modality.n"),
        ("chain.", "pairs"),
        ("cue.", "cue.gold"),
        ("quantity.", "quantity.n"),
    )
    return _task_score(f"slice:{name}", Statistics(documents(gold), finalize, _columns(rows), support=support))


# --- everything -------------------------------------------------------------------------------------------------


def covered(task: str, pred: Corpus) -> bool:
    """Whether the prediction has every layer the task needs."""
    return all(layer in pred.layers for layer in TASKS[task].layers)


def score(gold: Corpus, pred: Corpus, tasks: Iterable[str] | None = None, *, labels: Labels) -> dict[str, TaskScore]:
    """Score the named tasks (default: every task the prediction covers), in the order of TASKS."""
    if tasks is None:
        names = [t for t in TASKS if covered(t, pred)]
    else:
        requested = set(tasks)
        unknown = requested - set(TASKS)
        if unknown:
            raise ValueError(f"unknown tasks: {sorted(unknown)}")
        missing = [t for t in requested if not covered(t, pred)]
        if missing:
            raise ValueError(f"the prediction lacks layers for tasks {sorted(missing)}")
        names = [t for t in TASKS if t in requested]
    scorers: dict[str, Callable[[], TaskScore]] = {
        "boilerplate": lambda: score_boilerplate(gold, pred, labels),
        "sources": lambda: score_sources(gold, pred),
        "claims": lambda: score_claims(gold, pred, labels),
        "attribution": lambda: score_attribution(gold, pred),
        "quantities": lambda: score_quantities(gold, pred),
        "clustering": lambda: score_clustering(gold, pred),
    }
    return {name: scorers[name]() for name in names}
