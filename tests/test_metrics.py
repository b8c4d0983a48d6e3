"""Span matching and counting metrics, on fixtures computed by hand."""

from __future__ import annotations

import random

import pytest

from dataset.evaluate.metrics import (
    PRF,
    accuracy,
    boilerplate_counts,
    boilerplate_scores,
    chain_exact,
    chain_partial,
    jaccard,
    label_counts,
    lcs_length,
    macro_f1,
    match_spans,
    prf,
)


def spans(*offsets: tuple[int, int]) -> list[dict]:
    return [{"start": s, "end": e} for s, e in offsets]


# --- P/R/F1 -------------------------------------------------------------------------------------------------------


def test_prf_by_hand() -> None:
    # tp 2 of 4 gold and 5 predicted: R = 2/4, P = 2/5, F = 2*2/(4+5) = 4/9
    assert prf(2, 4, 5) == pytest.approx((0.5, 0.4, 4 / 9))
    assert isinstance(prf(2, 4, 5), PRF)


def test_prf_zero_conventions() -> None:
    assert prf(0, 0, 0) == (1.0, 1.0, 1.0)  # nothing to find, nothing invented
    assert prf(0, 3, 0) == (0.0, 0.0, 0.0)  # empty prediction on non-empty gold
    assert prf(0, 0, 3) == (0.0, 0.0, 0.0)  # predictions where there is no gold
    assert prf(3, 3, 3) == (1.0, 1.0, 1.0)


def test_prf_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError):
        prf(3, 2, 5)


# --- span matching ------------------------------------------------------------------------------------------------


def test_exact_matching_needs_equal_offsets() -> None:
    gold = spans((0, 10), (20, 30))
    pred = spans((20, 30), (0, 9))
    assert match_spans(gold, pred, relaxed=False) == [(1, 0)]


def test_relaxed_matching_by_hand() -> None:
    # gold A=[0,10) B=[10,20); pred P0=[0,9) P1=[5,20)
    # Jaccard: A-P0 = 9/10, A-P1 = 5/20, B-P1 = 10/15, B-P0 = 0 -> A-P0 (0.9), then B-P1 (0.67)
    gold = spans((0, 10), (10, 20))
    pred = spans((0, 9), (5, 20))
    assert jaccard((0, 10), (5, 20)) == pytest.approx(0.25)
    assert match_spans(gold, pred, relaxed=True) == [(0, 0), (1, 1)]


def test_relaxed_threshold_is_inclusive() -> None:
    # [0,4) vs [2,4): 2/4 = 0.5 matches; [0,5) vs [3,5): 2/5 = 0.4 does not
    assert match_spans(spans((0, 4)), spans((2, 4)), relaxed=True) == [(0, 0)]
    assert match_spans(spans((0, 5)), spans((3, 5)), relaxed=True) == []


def test_exact_pairs_come_first_and_matching_is_one_to_one() -> None:
    gold = spans((0, 10))
    pred = spans((0, 9), (0, 10))  # [0,9) overlaps 0.9 but the exact one wins
    assert match_spans(gold, pred, relaxed=True) == [(0, 1)]


def test_relaxed_ties_go_to_the_earlier_gold_span() -> None:
    # gold A=[0,4) B=[2,6); pred [1,5): Jaccard 3/5 with both; tie broken by gold start -> A
    assert match_spans(spans((0, 4), (2, 6)), spans((1, 5)), relaxed=True) == [(0, 0)]
    assert match_spans(spans((2, 6), (0, 4)), spans((1, 5)), relaxed=True) == [(1, 0)]


def test_matching_does_not_depend_on_input_order() -> None:
    rng = random.Random(7)
    gold = [(rng.randrange(200), 0) for _ in range(40)]
    gold = [(s, s + rng.randint(1, 30)) for s, _ in gold]
    pred = [(max(0, s + rng.randint(-5, 5)), e + rng.randint(-5, 5)) for s, e in gold]
    pred = [(s, max(s + 1, e)) for s, e in pred] + [(rng.randrange(200), 0) for _ in range(10)]
    pred = [(s, max(s + 1, e)) for s, e in pred]

    def as_offsets(g: list, p: list) -> set:
        return {(g[i], p[j]) for i, j in match_spans(spans(*g), spans(*p), relaxed=True)}

    expected = as_offsets(gold, pred)
    for _ in range(5):
        g, p = rng.sample(gold, len(gold)), rng.sample(pred, len(pred))
        assert as_offsets(g, p) == expected


# --- classification -----------------------------------------------------------------------------------------------


def test_accuracy() -> None:
    assert accuracy([("a", "a"), ("a", "b"), ("b", "b")]) == pytest.approx(2 / 3)
    assert accuracy([]) == 0.0


def test_macro_f1_by_hand() -> None:
    pairs = [("x", "x"), ("x", "y"), ("y", "y"), ("z", "x")]
    # x: tp 1, gold 2, pred 2 -> F 2/4; y: tp 1, gold 1, pred 2 -> F 2/3; z: tp 0, gold 1, pred 0 -> F 0
    # w never occurs: left out. macro = (1/2 + 2/3 + 0)/3 = 7/18
    assert macro_f1(pairs, ["x", "y", "z", "w"]) == pytest.approx(7 / 18)
    assert label_counts(pairs, ["x", "y", "z", "w"])["w"] == (0, 0, 0)
    assert macro_f1([], ["x"]) == 0.0


def test_macro_f1_rejects_labels_outside_the_set() -> None:
    with pytest.raises(ValueError, match="not in the label set"):
        macro_f1([("x", "typo")], ["x", "y"])


# --- boilerplate characters ----------------------------------------------------------------------------------------

#       0123456789 10
TEXT = "ab cd\nef gh"  # 8 non-whitespace characters: 0 1 3 4 6 7 9 10
CATEGORIES = ["navigation", "credits", "metadata", "comments"]


def test_boilerplate_characters_by_hand() -> None:
    gold = [{"start": 0, "end": 5, "category": "navigation"}, {"start": 9, "end": 11, "category": "credits"}]
    pred = [{"start": 3, "end": 8, "category": "navigation"}, {"start": 9, "end": 11, "category": "metadata"}]
    counts = boilerplate_counts(TEXT, gold, pred, CATEGORIES)
    scores = boilerplate_scores(counts, CATEGORIES)
    # boilerplate: gold {0,1,3,4,9,10}, pred {3,4,6,7,9,10}, shared {3,4,9,10}: P = R = F = 4/6
    assert counts["chars"] == 8
    assert (scores["boilerplate.precision"], scores["boilerplate.recall"]) == pytest.approx((2 / 3, 2 / 3))
    # editorial: gold {6,7}, pred {0,1}, shared none
    assert (scores["editorial.precision"], scores["editorial.recall"], scores["editorial.f1"]) == (0, 0, 0)
    # navigation: gold {0,1,3,4}, pred {3,4,6,7}: 2/4 each
    assert scores["category.navigation.f1"] == pytest.approx(0.5)
    # credits: gold only; metadata: prediction only; comments: neither (0/0 -> 1)
    assert scores["category.credits.recall"] == 0.0
    assert scores["category.metadata.precision"] == 0.0
    assert scores["category.comments.f1"] == 1.0


def test_boilerplate_checks_categories_and_offsets() -> None:
    with pytest.raises(ValueError, match="label set"):
        boilerplate_counts(TEXT, [{"start": 0, "end": 1, "category": "other"}], [], CATEGORIES)
    with pytest.raises(ValueError, match="past the end"):
        boilerplate_counts(TEXT, [], [{"start": 0, "end": 99, "category": "credits"}], CATEGORIES)


# --- chains -------------------------------------------------------------------------------------------------------


def test_chains_by_hand() -> None:
    # [A, B, C] vs [A, C, B]: LCS 2 -> 2*2/(3+3) = 2/3; not exact
    assert lcs_length(["A", "B", "C"], ["A", "C", "B"]) == 2
    assert chain_partial(["A", "B", "C"], ["A", "C", "B"]) == pytest.approx(2 / 3)
    assert not chain_exact(["A", "B", "C"], ["A", "C", "B"])
    assert chain_exact(["A", "B"], ["A", "B"])
    # both empty: 1; one empty: 0
    assert chain_partial([], []) == 1.0
    assert chain_partial(["A"], []) == 0.0
    # an unresolved predicted element (None) matches nothing: [A] vs [None, A] -> 2*1/3
    assert chain_partial(["A"], [None, "A"]) == pytest.approx(2 / 3)
    assert not chain_exact([None], [None])
