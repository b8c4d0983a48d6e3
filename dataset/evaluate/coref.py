"""Coreference metrics computed as the CoNLL reference scorer (v8.01, Pradhan et al. 2014) computes them.

Key and response are lists of clusters, each a list of hashable mention ids; their mention sets may differ
(twinless mentions). Every metric is computed from one contingency table (mentions shared by key cluster i and
response cluster j) and the cluster sizes, which is what the bootstrap resamples cheaply.

Behaviour of the reference scorer reproduced here:

- A mention repeated in the response is dropped before scoring: its first occurrence (clusters in order, mentions
  in order) is kept, later ones are removed, and a cluster left empty is removed. (The reference drops repeats only
  of mentions that are also in the key; we drop every repeat, see `clean_response`.)
- A mention repeated in the key is an error here (the reference only prints a warning and then scores
  inconsistently).
- Singletons count in B-cubed, CEAF and BLANC, and contribute nothing to MUC (a singleton has no link).
- Twinless key mentions count in recall denominators, twinless response mentions in precision denominators
  (no Cai & Strube 2010 alignment: that is the v8 behaviour).
- 0/0 is 0: a recall or precision with a zero denominator is 0.0, and F1 is 0.0 when recall + precision is 0.
  So MUC on a key of singletons only is (0, 0, 0), even for a perfect response.
- BLANC (Luo et al. 2014): coreference links and non-coreference links are scored separately; if the key has no
  coreference links, BLANC is the non-coreference score alone; if it has no non-coreference links, the
  coreference score alone; if neither, (0, 0, 0). BLANC F1 is the mean of the two link F1s, not the harmonic mean
  of BLANC recall and precision.
- The reference scores documents separately and sums the counts; here the whole input is one partition (entities
  may span documents), which is the same for MUC, B-cubed and CEAF whenever no cluster spans documents.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .metrics import PRF

METRICS = ("muc", "bcub", "ceafm", "ceafe", "blanc")


@dataclass(frozen=True)
class Contingency:
    """Shared-mention counts per (key cluster, response cluster) and the cluster sizes (twinless mentions included).

    A cluster of size 0 does not exist (a bootstrap resample may leave a cluster without mentions).
    """

    table: np.ndarray  # int64, [n_key, n_response]
    key_sizes: np.ndarray  # int64, [n_key]
    response_sizes: np.ndarray  # int64, [n_response]


def clean_key(key: Iterable[Iterable[Hashable]]) -> list[list[Hashable]]:
    """The key without empty clusters; a mention in two places of the key is an error."""
    seen: set[Hashable] = set()
    clusters = []
    for cluster in key:
        members = list(cluster)
        for mention in members:
            if mention in seen:
                raise ValueError(f"mention {mention!r} occurs more than once in the key")
            seen.add(mention)
        if members:
            clusters.append(members)
    return clusters


def clean_response(response: Iterable[Iterable[Hashable]]) -> list[list[Hashable]]:
    """The response with every repeated mention dropped (first occurrence kept) and empty clusters removed.

    The reference scorer does this for repeats of key mentions only; a repeated twinless mention stays there and
    is counted twice (and BLANC even counts a link of the mention with itself). Dropping every repeat is the rule
    the reference states, and gives the same result on every input where a repeat is a key mention.
    """
    seen: set[Hashable] = set()
    clusters = []
    for cluster in response:
        members = []
        for mention in cluster:
            if mention not in seen:
                seen.add(mention)
                members.append(mention)
        if members:
            clusters.append(members)
    return clusters


def contingency(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> Contingency:
    """The contingency of a key and a response given as clusters of mention ids (cleaned as the scorer does)."""
    key_clusters = clean_key(key)
    response_clusters = clean_response(response)
    key_of = {m: i for i, cluster in enumerate(key_clusters) for m in cluster}
    table = np.zeros((len(key_clusters), len(response_clusters)), dtype=np.int64)
    for j, cluster in enumerate(response_clusters):
        for mention in cluster:
            if mention in key_of:
                table[key_of[mention], j] += 1
    key_sizes = np.array([len(c) for c in key_clusters], dtype=np.int64)
    response_sizes = np.array([len(c) for c in response_clusters], dtype=np.int64)
    return Contingency(table, key_sizes, response_sizes)


def _rpf(recall_num: float, recall_den: float, precision_num: float, precision_den: float) -> PRF:
    """The reference's ShowRPF: a zero denominator gives 0, F1 is 0 when recall + precision is 0."""
    recall = recall_num / recall_den if recall_den else 0.0
    precision = precision_num / precision_den if precision_den else 0.0
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return PRF(recall, precision, f1)


def _links(sizes: np.ndarray) -> int:
    """Pairs within clusters of the given sizes: sum of n(n-1)/2."""
    return int((sizes * (sizes - 1) // 2).sum())


def muc_from(c: Contingency) -> PRF:
    """MUC (Vilain et al. 1995): correct links = sum over cells of (n - 1) where n > 0; links = size - 1 per cluster."""
    correct = int(c.table.sum()) - int(np.count_nonzero(c.table))
    key_links = int(c.key_sizes.sum()) - int(np.count_nonzero(c.key_sizes))
    response_links = int(c.response_sizes.sum()) - int(np.count_nonzero(c.response_sizes))
    return _rpf(correct, key_links, correct, response_links)


def bcub_from(c: Contingency) -> PRF:
    """B-cubed (Bagga & Baldwin 1998) over all mentions of each side; a twinless mention scores 0 for itself."""
    squares = c.table * c.table
    row_sq, col_sq = squares.sum(axis=1), squares.sum(axis=0)
    recall_num = math.fsum(int(s) / int(n) for s, n in zip(row_sq, c.key_sizes, strict=True) if s)
    precision_num = math.fsum(int(s) / int(n) for s, n in zip(col_sq, c.response_sizes, strict=True) if s)
    return _rpf(recall_num, int(c.key_sizes.sum()), precision_num, int(c.response_sizes.sum()))


def _best_alignment(c: Contingency, entity_based: bool) -> Fraction:
    """The maximum total similarity of a one-to-one alignment of key and response clusters, exactly.

    Only clusters that share a mention can score, so the assignment is solved on those rows and columns; the sum is
    taken in exact arithmetic so that ties between optimal alignments cannot change the last bit.
    """
    rows = np.flatnonzero(c.table.sum(axis=1))
    cols = np.flatnonzero(c.table.sum(axis=0))
    if not len(rows):
        return Fraction(0)
    sub = c.table[np.ix_(rows, cols)]
    if entity_based:
        weights = 2 * sub / (c.key_sizes[rows][:, None] + c.response_sizes[cols][None, :])
    else:
        weights = sub.astype(float)
    r, k = _max_weight_matching(weights)
    shared = sub[r, k]
    if not entity_based:
        return Fraction(int(shared.sum()))
    # sum of 2n / (|K| + |R|), grouped by denominator: as exact as adding the fractions one by one, but one
    # Fraction per distinct cluster-size sum instead of one per aligned pair (the bootstrap's hot loop)
    denominators = c.key_sizes[rows[r]] + c.response_sizes[cols[k]]
    numerators: dict[int, int] = {}
    for n, d in zip(shared.tolist(), denominators.tolist(), strict=True):
        numerators[d] = numerators.get(d, 0) + 2 * n
    return sum((Fraction(n, d) for d, n in numerators.items()), Fraction(0))


def _max_weight_matching(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows and columns of a maximum-weight assignment that pairs every row or every column.

    scipy's csgraph solver (LAPJVsp) instead of scipy.optimize.linear_sum_assignment: the same optimum, but
    scipy.sparse imports in half the time of scipy.optimize, and `validate` scores agreement on every run.
    Costs are shifted to be positive (every pair an edge, so a full matching exists); a full matching has
    min(rows, columns) pairs whatever the shift, so the least shifted cost is the greatest weight.
    """
    from scipy.sparse import csr_array  # imported only when a score is computed: 0.2 s of every command's start
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    costs = (weights.max(initial=0.0) + 1.0) - weights.astype(float)
    return min_weight_full_bipartite_matching(csr_array(costs))


def ceafm_from(c: Contingency) -> PRF:
    """CEAF-m (Luo 2005): similarity |K and R| (shared mentions); denominators are the mention counts."""
    best = float(_best_alignment(c, entity_based=False))
    return _rpf(best, int(c.key_sizes.sum()), best, int(c.response_sizes.sum()))


def ceafe_from(c: Contingency) -> PRF:
    """CEAF-e (Luo 2005, phi4): similarity 2|K and R|/(|K|+|R|); denominators are the cluster counts."""
    best = float(_best_alignment(c, entity_based=True))
    return _rpf(best, int(np.count_nonzero(c.key_sizes)), best, int(np.count_nonzero(c.response_sizes)))


def blanc_counts(c: Contingency) -> dict[str, int]:
    """Link counts of BLANC: key, response and shared coreference (coref) and non-coreference (noncoref) links.

    A coreference link is a pair of mentions in one cluster; a non-coreference link a pair of mentions of one side
    in two different clusters of that side. Shared links need both mentions on both sides.
    """
    n_key, n_response, n_common = int(c.key_sizes.sum()), int(c.response_sizes.sum()), int(c.table.sum())
    key_coref, response_coref, common_coref = _links(c.key_sizes), _links(c.response_sizes), _links(c.table)
    pairs = n_common * (n_common - 1) // 2
    common_noncoref = pairs - _links(c.table.sum(axis=1)) - _links(c.table.sum(axis=0)) + common_coref
    return {
        "key_coref": key_coref,
        "response_coref": response_coref,
        "common_coref": common_coref,
        "key_noncoref": n_key * (n_key - 1) // 2 - key_coref,
        "response_noncoref": n_response * (n_response - 1) // 2 - response_coref,
        "common_noncoref": common_noncoref,
    }


def blanc_from(c: Contingency) -> PRF:
    """BLANC for predicted mentions (Luo et al. 2014), with the reference scorer's conventions (module docstring)."""
    n = blanc_counts(c)
    coref = _rpf(n["common_coref"], n["key_coref"], n["common_coref"], n["response_coref"])
    noncoref = _rpf(n["common_noncoref"], n["key_noncoref"], n["common_noncoref"], n["response_noncoref"])
    if n["key_coref"] == 0 and n["key_noncoref"] == 0:
        return PRF(0.0, 0.0, 0.0)
    if n["key_coref"] == 0:
        return noncoref
    if n["key_noncoref"] == 0:
        return coref
    return PRF(
        (coref.recall + noncoref.recall) / 2,
        (coref.precision + noncoref.precision) / 2,
        (coref.f1 + noncoref.f1) / 2,
    )


_FROM = {"muc": muc_from, "bcub": bcub_from, "ceafm": ceafm_from, "ceafe": ceafe_from, "blanc": blanc_from}


def scores_from(c: Contingency, metrics: Sequence[str] = METRICS) -> dict[str, PRF]:
    """The named metrics (any of METRICS) of one contingency."""
    return {name: _FROM[name](c) for name in metrics}


def conll_from(scores: Mapping[str, PRF]) -> float:
    """The CoNLL-2012 average: the mean of the MUC, B-cubed and CEAF-e F1."""
    return (scores["muc"].f1 + scores["bcub"].f1 + scores["ceafe"].f1) / 3


Clusters = Iterable[Iterable[Hashable]]


def muc(key: Clusters, response: Clusters) -> PRF:
    """MUC recall, precision, F1."""
    return muc_from(contingency(key, response))


def bcub(key: Clusters, response: Clusters) -> PRF:
    """B-cubed recall, precision, F1."""
    return bcub_from(contingency(key, response))


def ceafm(key: Clusters, response: Clusters) -> PRF:
    """Mention-based CEAF recall, precision, F1."""
    return ceafm_from(contingency(key, response))


def ceafe(key: Clusters, response: Clusters) -> PRF:
    """Entity-based CEAF (phi4) recall, precision, F1."""
    return ceafe_from(contingency(key, response))


def blanc(key: Clusters, response: Clusters) -> PRF:
    """BLANC recall, precision, F1 (F1 = mean of the coreference-link and non-coreference-link F1)."""
    return blanc_from(contingency(key, response))


def conll(key: Clusters, response: Clusters) -> float:
    """CoNLL average F1 (MUC, B-cubed, CEAF-e)."""
    return conll_from(scores_from(contingency(key, response), ("muc", "bcub", "ceafe")))


def evaluate(key: Clusters, response: Clusters) -> dict[str, PRF]:
    """Every metric of METRICS at once (one contingency table)."""
    return scores_from(contingency(key, response))
