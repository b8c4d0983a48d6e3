"""The benchmark tasks and the bootstrap on a two-document fixture whose scores are computed by hand."""

from __future__ import annotations

import copy
import random
import time
from collections import defaultdict

import pytest

from dataset.evaluate import coref
from dataset.evaluate.bootstrap import Interval, bootstrap, percentile, resample_weights
from dataset.evaluate.metrics import match_spans
from dataset.evaluate.tasks import (
    LAYERS,
    TASKS,
    Corpus,
    Labels,
    labels_from_schemas,
    score,
    score_slice,
)

LABELS = Labels(
    claim_types=("quantity", "event", "state", "plan", "prediction", "assessment"),
    modalities=("asserted", "reportive", "speculative"),
    categories=("navigation", "metadata", "promotion", "credits"),
)
T1 = "Menü\nLaut CNN sind 50 Soldaten in Kursk. Patel sagte, Russland greife an.\n"
T2 = "Etwa 50 Soldaten sind in Kursk, sagte Patel. Russland greift nicht an. Mehr lesen\n"
TEXTS = {"d1": T1, "d2": T2}


def at(doc: str, quote: str) -> dict:
    start = TEXTS[doc].index(quote)
    return {"start": start, "end": start + len(quote), "text": quote}


def rec(doc: str, rid: str, quote: str, **fields) -> dict:
    return {"id": f"{doc}:{rid}", "doc_id": doc, **at(doc, quote), **fields}


def claim(
    doc: str,
    rid: str,
    quote: str,
    type_: str,
    modality: str,
    sources: list[str],
    cue: str | None,
    quantity: dict | None,
    cluster: str | None,
) -> dict:
    cue_span = at(doc, cue) if cue else None
    fields = {"type": type_, "modality": modality, "source_ids": sources, "cue": cue_span, "quantity": quantity}
    return rec(doc, rid, quote, **fields, cluster_id=cluster)


Q50 = {"value": 50, "unit": "soldiers", "qualifier": "exact"}
Q50_ABOUT = {"value": 50, "unit": "soldiers", "qualifier": "about"}

C1 = claim("d1", "claim-001", "sind 50 Soldaten in Kursk", "quantity", "reportive", ["d1:src-001"], "Laut", Q50, "cl-x")
C2 = claim("d1", "claim-002", "Russland greife an", "event", "reportive", ["d1:src-002"], "sagte", None, "cl-y")
C3 = claim(
    "d2",
    "claim-001",
    "Etwa 50 Soldaten sind in Kursk",
    "quantity",
    "reportive",
    ["d2:src-001"],
    "sagte",
    Q50_ABOUT,
    "cl-x",
)
C4 = claim("d2", "claim-002", "Russland greift nicht an", "event", "asserted", [], None, None, "cl-z")
GOLD_LAYERS = {
    "boilerplate": {
        "d1": [rec("d1", "bp-001", "Menü", category="navigation")],
        "d2": [rec("d2", "bp-001", "Mehr lesen", category="promotion")],
    },
    "sources": {
        "d1": [rec("d1", "src-001", "CNN", entity_id="ent-cnn"), rec("d1", "src-002", "Patel", entity_id="ent-patel")],
        "d2": [rec("d2", "src-001", "Patel", entity_id="ent-patel")],
    },
    "claims": {"d1": [C1, C2], "d2": [C3, C4]},
}
GOLD_CLUSTERS = [
    {"id": "cl-x", "conflicts_with": ["cl-y"]},
    {"id": "cl-y", "conflicts_with": ["cl-x", "cl-z"]},
    {"id": "cl-z", "conflicts_with": ["cl-y"]},
]
GOLD = Corpus(TEXTS, GOLD_LAYERS, GOLD_CLUSTERS)

PRED_LAYERS = {
    "boilerplate": {
        "d1": [rec("d1", "bp-001", "Menü", category="navigation")],
        "d2": [rec("d2", "bp-001", "Mehr", category="promotion")],
    },
    "sources": {
        "d1": [rec("d1", "p1", "CNN", entity_id="E1"), rec("d1", "p2", "Patel s", entity_id="E2")],
        "d2": [rec("d2", "p3", "Patel", entity_id="E1"), rec("d2", "p4", "Kursk", entity_id="E3")],
    },
    "claims": {
        "d1": [
            claim("d1", "q1", "sind 50 Soldaten in Kursk", "quantity", "asserted", ["d1:p1"], "Laut", Q50, "A"),
            claim("d1", "q2", "Russland greife", "event", "reportive", ["d1:p2", "d1:p1"], None, None, "B"),
        ],
        "d2": [
            claim("d2", "q3", "50 Soldaten sind in Kursk", "state", "reportive", ["d2:p3"], "sagte", Q50, "A"),
            claim("d2", "q4", "Mehr lesen", "event", "asserted", [], None, None, "C"),
        ],
    },
}
PRED_CLUSTERS = [{"id": "A", "conflicts_with": ["B"]}, {"id": "B", "conflicts_with": ["C"]}]
PRED = Corpus({}, PRED_LAYERS, PRED_CLUSTERS)

NON_WS = sum(not ch.isspace() for ch in T1 + T2)


@pytest.fixture(scope="module")
def scores() -> dict:
    return {name: s.metrics for name, s in score(GOLD, PRED, labels=LABELS).items()}


def close(actual: dict, expected: dict) -> None:
    for name, value in expected.items():
        assert actual[name] == pytest.approx(value, abs=1e-12), name


def test_boilerplate_by_hand(scores: dict) -> None:
    # gold boilerplate "Menü" (4) + "Mehr lesen" (9 non-space) = 13; predicted "Menü" + "Mehr" = 8, all right
    # editorial: gold N-13, predicted N-8, shared N-13
    close(
        scores["boilerplate"],
        {
            "boilerplate.precision": 1.0,
            "boilerplate.recall": 8 / 13,
            "boilerplate.f1": 16 / 21,
            "editorial.precision": (NON_WS - 13) / (NON_WS - 8),
            "editorial.recall": 1.0,
            "category.navigation.f1": 1.0,
            "category.promotion.precision": 1.0,
            "category.promotion.recall": 4 / 9,
            "category.promotion.f1": 8 / 13,
            "category.credits.f1": 1.0,  # in neither: 0/0 -> 1
        },
    )


def test_sources_by_hand(scores: dict) -> None:
    # gold CNN, Patel (d1), Patel (d2); predicted CNN, "Patel s" (Jaccard 5/7), Patel, Kursk (spurious)
    # exact: 2 of 3 gold, 2 of 4 predicted; relaxed: 3 of 3, 3 of 4
    # linking: key cnn={m1}, patel={m2,m3}; response E1={m1,m3}, E2={m2}, E3={twinless}
    #   MUC: no shared cell has 2 mentions -> 0 correct links: 0
    #   B3: R = (1/1 + (1+1)/2)/3 = 2/3, P = ((1+1)/2 + 1/1 + 0)/4 = 1/2, F = 4/7
    #   CEAF-e: phi4 cnn-E1 = 2/3, patel-E1 = 1/2, patel-E2 = 2/3; best 2/3 + 2/3 = 4/3
    #     R = (4/3)/2, P = (4/3)/3 = 4/9, F = 8/15;  CoNLL = (0 + 4/7 + 8/15)/3
    close(
        scores["sources"],
        {
            "mention.exact.precision": 0.5,
            "mention.exact.recall": 2 / 3,
            "mention.exact.f1": 4 / 7,
            "mention.relaxed.precision": 3 / 4,
            "mention.relaxed.recall": 1.0,
            "mention.relaxed.f1": 6 / 7,
            "linking.muc.f1": 0.0,
            "linking.bcub.recall": 2 / 3,
            "linking.bcub.precision": 0.5,
            "linking.bcub.f1": 4 / 7,
            "linking.ceafe.recall": 2 / 3,
            "linking.ceafe.precision": 4 / 9,
            "linking.ceafe.f1": 8 / 15,
            "linking.conll": (4 / 7 + 8 / 15) / 3,
        },
    )


def test_claims_by_hand(scores: dict) -> None:
    # exact: q1 only (1 of 4 / 4); relaxed: q1, q2 (15/18), q3 (25/30); q4 spurious, gold claim-002 of d2 missed
    # type pairs (quantity, quantity) (event, event) (quantity, state): accuracy 2/3
    #   F1: quantity 2*1/(2+1) = 2/3, event 1, state 0 -> macro 5/9
    # modality pairs (reportive, asserted) (reportive, reportive) x2: accuracy 2/3
    #   F1: reportive 2*2/(3+2) = 4/5, asserted 0 -> macro 2/5
    close(
        scores["claims"],
        {
            "claim.exact.precision": 0.25,
            "claim.exact.recall": 0.25,
            "claim.exact.f1": 0.25,
            "claim.relaxed.f1": 0.75,
            "type.accuracy": 2 / 3,
            "type.macro_f1": 5 / 9,
            "modality.accuracy": 2 / 3,
            "modality.macro_f1": 0.4,
        },
    )


def test_attribution_by_hand(scores: dict) -> None:
    # chains: [cnn] vs [cnn] exact; [patel] vs [patel, cnn] LCS 1 -> 2/3; [patel] vs [patel] exact
    # cue: Laut = Laut (tp), sagte vs none (fn), sagte = sagte (tp): R 2/3, P 2/2, F 4/5
    close(
        scores["attribution"],
        {
            "chain.exact": 2 / 3,
            "chain.lcs": (1 + 2 / 3 + 1) / 3,
            "cue.recall": 2 / 3,
            "cue.precision": 1.0,
            "cue.f1": 0.8,
        },
    )


def test_quantities_by_hand(scores: dict) -> None:
    # two matched pairs with a gold quantity: 50 soldiers exact = exact; 50 soldiers about vs exact
    close(
        scores["quantities"],
        {"value.accuracy": 1.0, "unit.accuracy": 1.0, "qualifier.accuracy": 0.5, "all.accuracy": 0.5},
    )


def test_clustering_by_hand(scores: dict) -> None:
    # key cl-x={c1,c3}, cl-y={c2}, cl-z={c4}; response A={c1,c3}, B={c2}, C={q4 twinless}
    #   MUC: correct 1, key links 1, response links 1 -> 1
    #   B3: R = (4/2 + 1 + 0)/4, P = (4/2 + 1 + 0)/4 -> 3/4
    #   CEAF-e: cl-x/A 1 + cl-y/B 1 = 2 over 3 and 3 clusters -> 2/3
    #   BLANC: coref links key {c1c3}, response {c1c3}: 1; non-coref key C(4,2)-1 = 5, response 5,
    #     shared c1c2 c3c2 = 2 -> 2/5; BLANC = (1 + 2/5)/2 = 7/10
    #   CoNLL = (1 + 3/4 + 2/3)/3
    # conflicts: gold x-y: c1c2, c3c2; y-z: c2c4 (3 links); predicted A-B: q1q2, q3q2 (both true), B-C: q2q4 (q4
    #   unmatched: false) -> 2/3 each
    close(
        scores["clustering"],
        {
            "muc.f1": 1.0,
            "bcub.recall": 0.75,
            "bcub.precision": 0.75,
            "ceafe.f1": 2 / 3,
            "blanc.recall": 0.7,
            "blanc.precision": 0.7,
            "blanc.f1": 0.7,
            "conll": (1 + 0.75 + 2 / 3) / 3,
            "conflict.precision": 2 / 3,
            "conflict.recall": 2 / 3,
            "conflict.f1": 2 / 3,
        },
    )


def test_slice_by_hand() -> None:
    # slice {d1 claim-001 (matched exactly by q1), d2 claim-002 (missed)}: recall 1/2 exact and relaxed;
    # on the one matched pair: type right, modality wrong, chain exact, cue right, quantity right
    result = score_slice(GOLD, PRED, ["d1:claim-001", "d2:claim-002"], labels=LABELS, name="mixed")
    assert result.task == "slice:mixed"
    close(
        result.metrics,
        {
            "claim.exact.recall": 0.5,
            "claim.relaxed.recall": 0.5,
            "type.accuracy": 1.0,
            "modality.accuracy": 0.0,
            "chain.exact": 1.0,
            "chain.lcs": 1.0,
            "cue.f1": 1.0,
            "quantity.all.accuracy": 1.0,
        },
    )
    assert not any("precision" in name and name.startswith("claim") for name in result.metrics)


def test_slice_rejects_unknown_claims() -> None:
    with pytest.raises(ValueError, match="not in the gold"):
        score_slice(GOLD, PRED, ["d1:claim-999"], labels=LABELS)


def test_a_perfect_prediction_scores_one_everywhere() -> None:
    perfect = score(GOLD, Corpus({}, copy.deepcopy(GOLD_LAYERS), GOLD_CLUSTERS), labels=LABELS)
    assert list(perfect) == list(TASKS)
    for task, result in perfect.items():
        for name, value in result.metrics.items():
            assert value == 1.0, (task, name)


def test_an_empty_prediction_scores_zero_where_there_is_gold() -> None:
    empty = Corpus({}, {layer: {} for layer in LAYERS}, [])
    result = score(GOLD, empty, labels=LABELS)
    for task, s in result.items():
        for name, value in s.metrics.items():
            if name.startswith("editorial."):
                continue  # no boilerplate predicted = everything editorial: a real baseline, not a zero
            if name.startswith("category.") and name.split(".")[1] not in ("navigation", "promotion"):
                assert value == 1.0, (task, name)  # a category with no gold and no prediction
            else:
                assert value == 0.0, (task, name)
    assert result["boilerplate"].metrics["editorial.recall"] == 1.0


def test_only_the_covered_tasks_are_scored() -> None:
    claims_only = Corpus({}, {"claims": PRED_LAYERS["claims"]})
    result = score(GOLD, claims_only, labels=LABELS)
    assert list(result) == ["claims", "quantities", "clustering"]
    assert not any(name.startswith("conflict.") for name in result["clustering"].metrics)  # no registry predicted
    with pytest.raises(ValueError, match="lacks layers"):
        score(GOLD, claims_only, ["attribution"], labels=LABELS)


def test_misfiled_and_unknown_records_are_errors() -> None:
    unknown = Corpus({}, {"claims": {"d9": []}})
    with pytest.raises(ValueError, match="unknown document"):
        score(GOLD, unknown, labels=LABELS)
    misfiled = Corpus({}, {"claims": {"d2": PRED_LAYERS["claims"]["d1"]}})
    with pytest.raises(ValueError, match="filed under"):
        score(GOLD, misfiled, labels=LABELS)


def shuffled(corpus: Corpus, rng: random.Random, relabel: bool) -> Corpus:
    """The same corpus with every list and dict in another order, and (prediction) other entity/cluster labels."""
    names = {"E1": "zeta", "E2": "alpha", "E3": "mu", "A": "k", "B": "b", "C": "x"}
    layers = {}
    for layer in rng.sample(list(corpus.layers), len(corpus.layers)):
        by_doc = {}
        for doc in rng.sample(list(corpus.layers[layer]), len(corpus.layers[layer])):
            records = copy.deepcopy(corpus.layers[layer][doc])
            for r in records:
                for key in ("entity_id", "cluster_id"):
                    if relabel and r.get(key) in names:
                        r[key] = names[r[key]]
            by_doc[doc] = rng.sample(records, len(records))
        layers[layer] = by_doc
    clusters = copy.deepcopy(corpus.clusters)
    if relabel:
        for c in clusters:
            c["id"] = names[c["id"]]
            c["conflicts_with"] = [names[x] for x in c["conflicts_with"]]
    texts = {d: corpus.texts[d] for d in rng.sample(list(corpus.texts), len(corpus.texts))}
    return Corpus(texts, layers, rng.sample(clusters, len(clusters)))


def test_results_do_not_depend_on_order_or_label_names(scores: dict) -> None:
    rng = random.Random(11)
    intervals = bootstrap(score(GOLD, PRED, labels=LABELS), n_resamples=30)
    for _ in range(5):
        result = score(shuffled(GOLD, rng, False), shuffled(PRED, rng, True), labels=LABELS)
        assert {name: s.metrics for name, s in result.items()} == scores
        assert bootstrap(result, n_resamples=30) == intervals


def partitions_by_hand(gold: Corpus, pred: Corpus, layer: str, field: str) -> tuple[list, list]:
    """Key and response clusters of record ids, built directly: a matched prediction takes its gold record's id."""
    key, response, own = defaultdict(list), defaultdict(list), 0
    for doc in gold.texts:
        g, p = gold.layers[layer].get(doc, []), pred.layers[layer].get(doc, [])
        to_gold = {j: g[i]["id"] for i, j in match_spans(g, p, relaxed=True)}
        for r in g:
            key[r[field] if r[field] is not None else ("own", r["id"])].append(r["id"])
        for j, r in enumerate(p):
            own += 1
            response[r[field] if r[field] is not None else ("own", own)].append(to_gold.get(j, ("pred", r["id"])))
    return list(key.values()), list(response.values())


def test_partition_metrics_equal_the_coref_metrics_of_the_partitions_built_by_hand() -> None:
    gold, pred = synthetic_corpus(random.Random(9))
    result = score(gold, pred, labels=LABELS)
    key, response = partitions_by_hand(gold, pred, "sources", "entity_id")
    expected = coref.evaluate(key, response)
    for metric in ("muc", "bcub", "ceafe"):
        assert result["sources"].metrics[f"linking.{metric}.f1"] == pytest.approx(expected[metric].f1, abs=1e-12)
    key, response = partitions_by_hand(gold, pred, "claims", "cluster_id")
    expected = coref.evaluate(key, response)
    for metric in ("muc", "bcub", "ceafe", "blanc"):
        for field in ("recall", "precision", "f1"):
            actual = result["clustering"].metrics[f"{metric}.{field}"]
            assert actual == pytest.approx(getattr(expected[metric], field), abs=1e-12), (metric, field)


def test_labels_from_schemas() -> None:
    claims = {"$defs": {"claim_type": {"enum": ["event", "state"]}, "modality": {"enum": ["asserted"]}}}
    boilerplate = {"$defs": {"category": {"enum": ["navigation"]}}}
    assert labels_from_schemas(boilerplate, claims) == Labels(("event", "state"), ("asserted",), ("navigation",))


def test_every_task_is_defined_as_data() -> None:
    for name, task in TASKS.items():
        assert task.name == name and task.layers and len(task.definition) > 200


# --- bootstrap ------------------------------------------------------------------------------------------------


def duplicated(corpus: Corpus, weights: dict[str, int]) -> Corpus:
    """The corpus in which document d occurs weights[d] times, each copy under new document and record ids; entity
    and cluster labels are kept, so clusters span the copies."""
    texts, layers = {}, {layer: {} for layer in corpus.layers}
    for doc, times in weights.items():
        for k in range(times):
            new = f"{doc}#{k}"
            texts[new] = corpus.texts.get(doc, "")
            for layer, by_doc in corpus.layers.items():
                records = copy.deepcopy(list(by_doc.get(doc, [])))
                for r in records:
                    r["doc_id"] = new
                    r["id"] = f"{r['id']}#{k}"
                    if "source_ids" in r:
                        r["source_ids"] = [f"{m}#{k}" for m in r["source_ids"]]
                layers[layer][new] = records
    return Corpus(texts, layers, corpus.clusters)


@pytest.mark.parametrize("weights", [(2, 0), (0, 2), (3, 1), (1, 2)])
def test_resample_statistics_equal_scoring_the_duplicated_corpus(weights: tuple[int, int]) -> None:
    by_doc = dict(zip(("d1", "d2"), weights, strict=True))
    direct = score(duplicated(GOLD, by_doc), duplicated(PRED, by_doc), labels=LABELS)
    for task, result in score(GOLD, PRED, labels=LABELS).items():
        resampled = result.statistics.evaluate(list(weights))
        for name, value in direct[task].metrics.items():
            assert resampled[name] == pytest.approx(value, abs=1e-12), (task, name)


def test_bootstrap_is_reproducible_and_brackets_the_point_estimate() -> None:
    results = score(GOLD, PRED, labels=LABELS)
    first = bootstrap(results, n_resamples=200, seed=5)
    assert first == bootstrap(results, n_resamples=200, seed=5)
    assert resample_weights(2, 200, seed=5) != resample_weights(2, 200, seed=6)
    for task, metrics in first.items():
        assert metrics.keys() == results[task].metrics.keys()
        for name, interval in metrics.items():
            assert isinstance(interval, Interval)
            assert interval.point == results[task].metrics[name]
            assert interval.low <= interval.high
    # additive metrics: the interval contains the point estimate
    for task, name in [
        ("claims", "claim.relaxed.f1"),
        ("sources", "mention.exact.f1"),
        ("boilerplate", "boilerplate.f1"),
    ]:
        low, high = first[task][name].low, first[task][name].high
        assert low <= first[task][name].point <= high


def test_resample_weights_and_percentile() -> None:
    weights = resample_weights(5, 50, seed=1)
    assert len(weights) == 50 and all(sum(w) == 5 for w in weights)
    assert weights == resample_weights(5, 50, seed=1)
    # linear interpolation between order statistics: position (5-1)*0.1 = 0.4 -> 1 + 0.4*(2-1)
    assert percentile([5, 1, 4, 2, 3], 0.1) == pytest.approx(1.4)
    assert percentile([5, 1, 4, 2, 3], 0.5) == 3


def test_resamples_without_support_are_left_out() -> None:
    # the slice's only claim is in d1: a resample of d2 alone has no slice claim, and its recall (0/0) is only a
    # convention; it is left out, so the interval is that of the resamples with d1: always 1
    results = dict(score(GOLD, PRED, labels=LABELS))
    results["slice"] = score_slice(GOLD, PRED, ["d1:claim-001"], labels=LABELS)
    intervals = bootstrap(results, n_resamples=50)
    assert intervals["slice"]["claim.exact.recall"] == (1.0, 1.0, 1.0)
    assert results["slice"].statistics.sample([0, 2])["claim.exact.recall"] is None
    # no resample has support: the interval is the point
    assert intervals["boilerplate"]["category.credits.f1"] == (1.0, 1.0, 1.0)


def test_different_seeds_give_different_intervals() -> None:
    results = score(*synthetic_corpus(random.Random(4)), labels=LABELS)
    assert bootstrap(results, n_resamples=100, seed=1) != bootstrap(results, n_resamples=100, seed=2)


def test_bootstrap_is_fast_on_a_realistic_corpus() -> None:
    """About the real corpus's size: 5 documents, ~180 claims, ~70 mentions, ~20k characters, all tasks."""
    gold, pred = synthetic_corpus(random.Random(2))
    results = score(gold, pred, labels=LABELS)
    start = time.perf_counter()
    bootstrap(results, n_resamples=200)
    assert time.perf_counter() - start < 5  # 1000 resamples take about 1 s on one core


def synthetic_corpus(rng: random.Random) -> tuple[Corpus, Corpus]:
    """Five 4,000-character documents with 36 claims and 14 mentions each, and a noisy prediction of them."""
    texts, gold, pred = {}, {layer: {} for layer in LAYERS}, {layer: {} for layer in LAYERS}
    entities = [f"ent-{i}" for i in range(34)]
    clusters = [f"cl-{i}" for i in range(45)]
    for n in range(5):
        doc = f"doc{n}"
        texts[doc] = ("lorem ipsum " * 400)[:4000]
        mentions = [synthetic_mention(doc, i, rng.choice(entities)) for i in range(14)]
        claims = [synthetic_claim(doc, i, rng, mentions, clusters) for i in range(36)]
        gold["sources"][doc], gold["claims"][doc] = mentions, claims
        gold["boilerplate"][doc] = [{"id": f"{doc}:bp", "doc_id": doc, "start": 0, "end": 80, "category": "navigation"}]
        pred["sources"][doc] = [
            dict(m, end=m["end"] - rng.randint(0, 3), entity_id=rng.choice(entities[:20]))
            for m in mentions
            if rng.random() < 0.9
        ]
        kept = {m["id"] for m in pred["sources"][doc]}
        pred["claims"][doc] = [
            dict(
                c,
                start=c["start"] + rng.randint(0, 8),
                cluster_id=rng.choice([None, *clusters[:30]]),
                source_ids=[m for m in c["source_ids"] if m in kept],
            )
            for c in claims
            if rng.random() < 0.85
        ]
        pred["boilerplate"][doc] = [{"id": f"{doc}:bp", "doc_id": doc, "start": 0, "end": 60, "category": "navigation"}]
    registry = [
        {"id": c, "conflicts_with": [clusters[(i + 1) % 45]] if i % 5 == 0 else []} for i, c in enumerate(clusters)
    ]
    return Corpus(texts, gold, registry), Corpus({}, pred, registry)


def synthetic_mention(doc: str, i: int, entity: str) -> dict:
    return {"id": f"{doc}:m{i}", "doc_id": doc, "start": 100 * i, "end": 100 * i + 12, "entity_id": entity}


def synthetic_claim(doc: str, i: int, rng: random.Random, mentions: list[dict], clusters: list[str]) -> dict:
    start = 1500 + 60 * i
    return {
        "id": f"{doc}:c{i}",
        "doc_id": doc,
        "start": start,
        "end": start + 50,
        "type": rng.choice(LABELS.claim_types),
        "modality": rng.choice(LABELS.modalities),
        "source_ids": [m["id"] for m in rng.sample(mentions, rng.randint(0, 2))],
        "cue": None,
        "quantity": Q50 if i % 9 == 0 else None,
        "cluster_id": rng.choice([None, *clusters]),
    }
