"""Per-document sufficient statistics and bootstrap confidence intervals over documents (DEFINITION).

A resample draws as many documents as the corpus has, with replacement; it is described by a weight vector (how
many times each document was drawn). A document drawn twice counts twice: its mentions and claims are distinct
items in each copy, and a cluster or entity spans all copies of its members. Under that reading every statistic of
a task is one of three kinds, each cheap to recompute for a weight vector:

- additive counts: the weighted sum of per-document counts (spans matched, characters, claims right, ...);
- partitions: the contingency table of key and response clusters is rebuilt from the items of the drawn copies
  (a labelled cluster gathers its members from every copy; an item without a cluster is a singleton in each copy),
  and the coreference metrics are recomputed from it (the only per-resample work that is not a sum);
- pair counts: links between two items (conflicting claims) are counted per pair of documents; a resample has
  sum over documents d, e of w_d * w_e * links(d, e).

Arithmetic is exact or order-independent (integer tables, math.fsum, exact CEAF sums), and resampling uses
Python's own random.Random, whose stream does not depend on the numpy version: the same seed gives the same
intervals bit for bit.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

import numpy as np

from .coref import Contingency

DEFAULT_SEED = 20241114
DEFAULT_RESAMPLES = 1000
DEFINITION = (
    "95% bootstrap confidence intervals over documents: each resample (default 1000, seed 20241114) draws as many "
    "documents as the corpus has, with replacement, by random.Random(seed).randrange(n_documents), documents in "
    "sorted id order; every task sees the same resamples. A document drawn k times counts k times: its mentions and "
    "claims are distinct items in each copy, an entity or cluster id gathers its members from every copy, and an item "
    "without a cluster is a singleton in each copy. Every metric is recomputed on every resample in which it has gold "
    "support (e.g. at least one gold claim of a slice; the others are left out), and q(p) is the p-quantile of those "
    "values (linear interpolation between order statistics, numpy's default). The point estimate is the metric on the "
    "corpus itself. Additive metrics (every count-based metric) get the percentile interval [q(0.025), q(0.975)]. "
    "Partition metrics (MUC, B-cubed, CEAF-e, BLANC and CoNLL of source linking and of claim clustering) get the basic "
    "interval [2 x point - q(0.975), 2 x point - q(0.025)], clipped to [0, 1]: the copies of a document drawn twice "
    "are linked to each other through every entity and cluster they share, links a system that links well gets "
    "right for free, so the resampled values of these metrics tend to sit above the point estimate and a percentile "
    "interval would be shifted upwards; the basic interval reflects that shift around the point estimate instead."
)


ABSENT = -1  # item code: the item is not on this side (a twinless item of the other side)
OWN = -2  # item code: the item is a cluster of its own on this side (a null cluster_id)


@dataclass(frozen=True)
class PartitionStats:
    """The items of each document as (key cluster, response cluster) codes, to build any resample's contingency.

    A code >= 0 is a cluster label shared by every item (and every copy of an item) that carries it; ABSENT means
    the item is twinless on this side; OWN that it is a singleton on this side, so each copy of it is a singleton
    of its own. n_key and n_response are the numbers of shared labels.
    """

    n_key: int
    n_response: int
    key_codes: tuple[np.ndarray, ...]  # int64 per document, one code per item
    response_codes: tuple[np.ndarray, ...]

    def total(self, weights: Sequence[int]) -> Contingency:
        """The contingency of the corpus in which document d occurs weights[d] times (copies are distinct items)."""
        keys, responses = [], []
        next_key, next_response = self.n_key, self.n_response
        for d, w in enumerate(weights):
            for _ in range(w):
                k, next_key = _fresh_singletons(self.key_codes[d], next_key)
                r, next_response = _fresh_singletons(self.response_codes[d], next_response)
                keys.append(k)
                responses.append(r)
        k = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
        r = np.concatenate(responses) if responses else np.zeros(0, dtype=np.int64)
        both = (k >= 0) & (r >= 0)
        cells = np.bincount(k[both] * next_response + r[both], minlength=next_key * next_response)
        return Contingency(
            cells.reshape(next_key, next_response),
            np.bincount(k[k >= 0], minlength=next_key),
            np.bincount(r[r >= 0], minlength=next_response),
        )


def _fresh_singletons(codes: np.ndarray, start: int) -> tuple[np.ndarray, int]:
    """The codes with every OWN replaced by a new label start, start + 1, ...; and the next free label."""
    own = codes == OWN
    n = int(own.sum())
    if not n:
        return codes, start
    codes = codes.copy()
    codes[own] = np.arange(start, start + n)
    return codes, start + n


@dataclass(frozen=True)
class Totals:
    """Weighted statistics of one resample (or of the corpus itself, all weights 1)."""

    counts: dict[str, float]
    partitions: dict[str, Contingency]


@dataclass(frozen=True)
class Statistics:
    """Everything a task needs to compute its metrics on any multiset of its documents.

    counts[name][d]: an additive count of document d. pair_counts[name][d][e]: links between items of documents d
    and e (symmetric; d == e: links within d). partitions[name]: contingency tables per document. finalize turns
    the weighted totals into the task's flat metric dict. support(metric) names the count that must be positive
    for the metric to be measured at all (its gold items); on a resample where it is 0 the metric's value is only
    a 0/0 convention, and the bootstrap leaves that resample out for that metric.
    """

    doc_ids: tuple[str, ...]
    finalize: Callable[[Totals], dict[str, float]]
    counts: Mapping[str, Sequence[float]] = field(default_factory=dict)
    pair_counts: Mapping[str, Sequence[Sequence[float]]] = field(default_factory=dict)
    partitions: Mapping[str, PartitionStats] = field(default_factory=dict)
    support: Callable[[str], str | None] = lambda metric: None
    basic: Callable[[str], bool] = lambda metric: False  # metrics with the basic interval (see DEFINITION)

    def totals(self, weights: Sequence[int] | None = None) -> Totals:
        """Weighted totals; weights[d] is how often document d occurs (default: once each)."""
        w = [1] * len(self.doc_ids) if weights is None else list(weights)
        if len(w) != len(self.doc_ids):
            raise ValueError(f"{len(w)} weights for {len(self.doc_ids)} documents")
        counts = {
            name: math.fsum(wd * v for wd, v in zip(w, values, strict=True)) for name, values in self.counts.items()
        }
        for name, matrix in self.pair_counts.items():
            counts[name] = _pair_total(w, matrix)
        partitions = {name: p.total(w) for name, p in self.partitions.items()}
        return Totals(counts, partitions)

    def evaluate(self, weights: Sequence[int] | None = None) -> dict[str, float]:
        """The task's metrics on the corpus in which document d occurs weights[d] times."""
        return self.finalize(self.totals(weights))

    def sample(self, weights: Sequence[int]) -> dict[str, float | None]:
        """The metrics of a resample, None for those without support in it (see the class docstring)."""
        totals = self.totals(weights)
        result: dict[str, float | None] = {}
        for metric, value in self.finalize(totals).items():
            count = self.support(metric)
            result[metric] = None if count is not None and totals.counts[count] <= 0 else value
        return result


def _pair_total(w: Sequence[int], matrix: Sequence[Sequence[float]]) -> float:
    """Links of a resample: within a document drawn k times, every pair of copies of two items is a link (k*k);
    between documents d < e, w_d * w_e times their links."""
    terms = []
    for d, row in enumerate(matrix):
        terms.append(w[d] * w[d] * row[d])
        terms.extend(w[d] * w[e] * row[e] for e in range(d + 1, len(row)))
    return math.fsum(terms)


class Scored(Protocol):
    """What the bootstrap needs of a task's result (tasks.TaskScore has it)."""

    @property
    def statistics(self) -> Statistics: ...


class Interval(NamedTuple):
    """Point estimate on the corpus and the confidence interval around it."""

    point: float
    low: float
    high: float


def resample_weights(n_docs: int, n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> list[list[int]]:
    """Weight vectors of the resamples: n_docs draws of random.Random(seed).randrange(n_docs) per resample, in order."""
    rng = random.Random(seed)
    weights = []
    for _ in range(n_resamples):
        w = [0] * n_docs
        for _ in range(n_docs):
            w[rng.randrange(n_docs)] += 1
        weights.append(w)
    return weights


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile (0 <= q <= 1) with linear interpolation between order statistics (numpy's default method)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    fraction = position - lower
    return ordered[lower] + (ordered[upper] - ordered[lower]) * fraction if fraction else ordered[lower]


def bootstrap(
    scores: Mapping[str, Scored] | Iterable[tuple[str, Scored]],
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    confidence: float = 0.95,
) -> dict[str, dict[str, Interval]]:
    """Bootstrap over documents: task -> metric -> (point, low, high).

    Every task sees the same resamples (the same weight vectors), so intervals of different tasks come from the
    same draws. All tasks must be over the same documents in the same order. A metric's interval is taken over
    the resamples in which it has support (Statistics.support); with none, the interval is the point itself.
    Metrics the task marks basic (Statistics.basic: the partition metrics) get the basic interval, the others the
    percentile interval (see DEFINITION).
    """
    if n_resamples < 1:
        raise ValueError("n_resamples must be at least 1")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    items = list(scores.items() if isinstance(scores, Mapping) else scores)
    if not items:
        return {}
    doc_ids = items[0][1].statistics.doc_ids
    for name, scored in items:
        if scored.statistics.doc_ids != doc_ids:
            raise ValueError(f"task {name!r} is over other documents than {items[0][0]!r}")
    weights = resample_weights(len(doc_ids), n_resamples, seed)
    alpha = (1 - confidence) / 2
    result = {}
    for name, scored in items:
        point = scored.statistics.evaluate()
        samples = [scored.statistics.sample(w) for w in weights]
        basic = scored.statistics.basic
        result[name] = {
            metric: _interval(value, [s[metric] for s in samples], alpha, basic(metric))
            for metric, value in point.items()
        }
    return result


def _interval(point: float, samples: Sequence[float | None], alpha: float, basic: bool = False) -> Interval:
    measured = [v for v in samples if v is not None]
    if not measured:
        return Interval(point, point, point)
    low, high = percentile(measured, alpha), percentile(measured, 1 - alpha)
    if basic:  # reflected around the point estimate, clipped to the metric's range
        low, high = max(0.0, 2 * point - high), min(1.0, 2 * point - low)
    return Interval(point, low, high)
