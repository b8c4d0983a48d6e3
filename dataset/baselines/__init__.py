"""Baseline systems for the kursk-claims layers, as pure functions, and a registry of them.

Every system takes documents as ``(doc_id, text)`` pairs (and, for clustering, a list of claim records) and
returns plain-dict records valid against ``schema/*.schema.json``, with ``annotated_by`` =
``baseline-<name>``, ``reviewed_by`` null and ``review_status`` "unreviewed". The output does not depend on the
order of the input, runs offline, and is byte-identical from run to run. No system reads the gold annotation.

    from dataset.baselines import BASELINES
    result = BASELINES["rules"].predict([("doc", "Laut CNN sind 50 Soldaten in Kursk.")], None)

Dependencies (optional extra ``baselines``): justext, lxml_html_clean, somajo, scikit-learn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import clustering, floors, justext_boilerplate, rules
from .spans import sorted_documents

Documents = list[tuple[str, str]]
Predict = Callable[[Documents, list[dict] | None], dict]


@dataclass(frozen=True)
class Baseline:
    """A registered system: its name, what it does in one line, the layers it predicts, and its function.

    `given` says what gold input it takes besides the texts (the clustering task's input is claims), `tasks` the
    tasks it is scored on when that is not every task its layers cover (a system given the gold claims is not
    scored on the claims it copied). Both go into its prediction folder's system.jsonl.
    """

    name: str
    description: str
    layers: tuple[str, ...]
    predict: Predict
    given: str | None = None
    tasks: tuple[str, ...] | None = None


def _by_document(documents: Documents, claims: list[dict]) -> dict[str, list[dict]]:
    """Claims grouped by doc_id; every given document gets a (possibly empty) list, keys sorted."""
    grouped: dict[str, list[dict]] = {doc_id: [] for doc_id, _ in sorted_documents(documents)}
    for claim in claims:
        grouped.setdefault(claim["doc_id"], []).append(claim)
    return {doc_id: grouped[doc_id] for doc_id in sorted(grouped)}


def given_claims(gold_claims: list[dict]) -> list[dict]:
    """The clustering task's input from the final claims: without their answer (cluster_id) and without their source
    chains, which point into a sources layer a clustering system's folder does not have."""
    return [{**claim, "cluster_id": None, "source_ids": []} for claim in gold_claims]


def _clusters(documents: Documents, claims: list[dict] | None) -> dict:
    if claims is None:
        raise ValueError("tfidf-clusters clusters given claims: pass claims (e.g. the gold claims)")
    clustered, records = clustering.cluster_claims(claims)
    return {"claims": _by_document(documents, clustered), "clusters": records}


def _rules_then_clusters(documents: Documents, claims: list[dict] | None) -> dict:
    predicted = rules.predict(documents)
    flat = [c for doc_claims in predicted["claims"].values() for c in doc_claims]
    clustered, records = clustering.cluster_claims(flat, system="rules-tfidf-clusters")
    return {**predicted, "claims": _by_document(documents, clustered), "clusters": records}


BASELINES: dict[str, Baseline] = {
    b.name: b
    for b in (
        Baseline(
            "no-boilerplate",
            "Floor: predicts no boilerplate, every character is editorial.",
            ("boilerplate",),
            lambda documents, claims=None: floors.no_boilerplate(documents),
        ),
        Baseline(
            "sentence-claims",
            "Floor: every SoMaJo sentence is one asserted event claim without sources.",
            ("claims",),
            lambda documents, claims=None: floors.sentence_claims(documents),
            tasks=("claims",),  # it predicts no quantity and no cluster: not a floor for those
        ),
        Baseline(
            "justext-boilerplate",
            "jusText (German stoplist, default parameters) over blank-line paragraphs, mapped back to offsets.",
            ("boilerplate",),
            lambda documents, claims=None: justext_boilerplate.predict(documents),
        ),
        Baseline(
            "rules",
            "German lexicon rules on SoMaJo sentences: sources, entities, claims with type, modality, cue, quantity.",
            ("sources", "entities", "claims"),
            lambda documents, claims=None: rules.predict(documents),
            tasks=("sources", "claims", "attribution", "quantities"),  # no clusters: rules-tfidf-clusters adds them
        ),
        Baseline(
            "tfidf-clusters",
            "Clusters given claims across documents: char 3-5-gram TF-IDF, average linkage, cosine distance 0.5.",
            ("claims", "clusters"),
            _clusters,
            given="the gold claims (spans, type, modality, cue, quantity; no cluster ids, no source chains)",
            tasks=("clustering",),
        ),
        Baseline(
            "rules-tfidf-clusters",
            "The rules baseline's claims, then clustered by tfidf-clusters: an end-to-end pipeline.",
            ("sources", "entities", "claims", "clusters"),
            _rules_then_clusters,
        ),
    )
}

__all__ = ["BASELINES", "Baseline", "given_claims"]
