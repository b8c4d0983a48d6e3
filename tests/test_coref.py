"""Coreference metrics against the CoNLL reference scorer's own test suite, and hand-computed fixtures."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from dataset.evaluate import coref

CASES_FILE = Path(__file__).parent / "data" / "coref-scorer-cases.json"
DATA = json.loads(CASES_FILE.read_text(encoding="utf-8"))
FIELDS = ("recall", "precision", "f1")


def clusters(raw: list) -> list[list[tuple]]:
    return [[tuple(m) for m in cluster] for cluster in raw]


def expectations() -> list:
    params = []
    for group in ("cases", "extra_cases"):
        for case in DATA[group]:
            for metric in case["expected"]:
                params.append(pytest.param(case, metric, id=f"{case['id']}-{metric}"))
    return params


def test_the_copy_keeps_its_attribution() -> None:
    assert "Pradhan et al. 2014" in DATA["source"]
    assert "CC BY-SA 4.0" in DATA["licence"]
    assert len(DATA["cases"]) == 36


@pytest.mark.parametrize(("case", "metric"), expectations())
def test_reference_case(case: dict, metric: str) -> None:
    result = coref.evaluate(clusters(case["key"]), clusters(case["response"]))[metric]
    for name in FIELDS:
        assert getattr(result, name) == pytest.approx(case["expected"][metric][name], abs=5e-6), name


# Hand fixture: key K1={a,b,c}, K2={d,e}; response R1={a,b}, R2={c,d,e,f} (f twinless).
# Shared cells: K1R1=2, K1R2=1, K2R2=2. |K|=3,2 (5 mentions); |R|=2,4 (6 mentions).
KEY = [["a", "b", "c"], ["d", "e"]]
RESPONSE = [["a", "b"], ["c", "d", "e", "f"]]


def test_muc_by_hand() -> None:
    # correct links = sum(n-1) over shared cells = 1+0+1 = 2; key links 2+1 = 3; response links 1+3 = 4
    # R = 2/3, P = 2/4, F = 2RP/(R+P) = (2/3)/(7/6) = 4/7
    assert coref.muc(KEY, RESPONSE) == pytest.approx((2 / 3, 1 / 2, 4 / 7))


def test_bcub_by_hand() -> None:
    # recall = [(2^2+1^2)/3 + 2^2/2] / 5 = (5/3 + 2)/5 = 11/15
    # precision = [2^2/2 + (1^2+2^2)/4] / 6 = (2 + 5/4)/6 = 13/24; F = 2RP/(R+P) = 286/459
    assert coref.bcub(KEY, RESPONSE) == pytest.approx((11 / 15, 13 / 24, 286 / 459))


def test_ceafm_by_hand() -> None:
    # best alignment K1-R1 (2 shared) + K2-R2 (2 shared) = 4 (the other one: 1 + 0)
    # R = 4/5, P = 4/6, F = 8/11
    assert coref.ceafm(KEY, RESPONSE) == pytest.approx((4 / 5, 2 / 3, 8 / 11))


def test_ceafe_by_hand() -> None:
    # phi4 = 2|K&R|/(|K|+|R|): K1R1 = 4/5, K1R2 = 2/7, K2R2 = 4/6, K2R1 = 0
    # best: K1R1 + K2R2 = 4/5 + 2/3 = 22/15; R = (22/15)/2 key entities, P = (22/15)/2 response entities
    assert coref.ceafe(KEY, RESPONSE) == pytest.approx((11 / 15, 11 / 15, 11 / 15))


def test_blanc_by_hand() -> None:
    # coreference links: key C(3,2)+C(2,2) = 4, response C(2,2)+C(4,2) = 7, shared {ab, de} = 2
    #   R = 2/4, P = 2/7, F = 4/11
    # non-coreference links: key C(5,2)-4 = 6, response C(6,2)-7 = 8,
    #   shared: pairs of a..e in different key and response clusters: ad ae bd be = 4
    #   R = 4/6, P = 4/8, F = 4/7
    # BLANC: R = (1/2 + 2/3)/2 = 7/12, P = (2/7 + 1/2)/2 = 11/28, F = (4/11 + 4/7)/2 = 36/77
    assert coref.blanc(KEY, RESPONSE) == pytest.approx((7 / 12, 11 / 28, 36 / 77))
    counts = coref.blanc_counts(coref.contingency(KEY, RESPONSE))
    assert counts == {
        "key_coref": 4,
        "response_coref": 7,
        "common_coref": 2,
        "key_noncoref": 6,
        "response_noncoref": 8,
        "common_noncoref": 4,
    }


def test_conll_is_the_mean_of_muc_bcub_ceafe_f1() -> None:
    assert coref.conll(KEY, RESPONSE) == pytest.approx((4 / 7 + 286 / 459 + 11 / 15) / 3)


def test_blanc_uses_one_link_kind_when_the_key_has_only_that_kind() -> None:
    # key all singletons: no coreference links, so BLANC is the non-coreference score alone
    key, response = [["a"], ["b"], ["c"]], [["a", "b"], ["c"]]
    # non-coref links: key ab ac bc (3), response ac bc (2), shared 2: R = 2/3, P = 1, F = 4/5
    assert coref.blanc(key, response) == pytest.approx((2 / 3, 1.0, 4 / 5))
    # one key entity: no non-coreference links, so BLANC is the coreference score alone
    # response coref {ab}, key coref {ab, ac, bc}: R = 1/3, P = 1, F = 1/2
    assert coref.blanc([["a", "b", "c"]], response) == pytest.approx((1 / 3, 1.0, 1 / 2))


def test_zero_over_zero_is_zero_as_in_the_reference() -> None:
    # a key of singletons has no MUC links: 0 even for a perfect response; a single mention has no BLANC links
    assert coref.muc([["a"], ["b"]], [["a"], ["b"]]) == (0.0, 0.0, 0.0)
    assert coref.blanc([["a"]], [["a"]]) == (0.0, 0.0, 0.0)
    for metric in coref.METRICS:
        assert coref.evaluate([], [])[metric] == (0.0, 0.0, 0.0)
        assert coref.evaluate(KEY, [])[metric] == (0.0, 0.0, 0.0)


def test_a_repeated_response_mention_is_dropped_first_occurrence_kept() -> None:
    # as the reference does for A8/A9: the second "a" is removed, its cluster then is {c}
    repeated = coref.evaluate([["a", "b"], ["c"]], [["a", "b"], ["a", "c"]])
    assert repeated == coref.evaluate([["a", "b"], ["c"]], [["a", "b"], ["c"]])
    # a cluster left empty disappears
    assert coref.clean_response([["a"], ["a", "a"], []]) == [["a"]]


def test_a_repeated_twinless_response_mention_is_dropped_too() -> None:
    """Deliberate difference: the reference keeps repeats of twinless mentions (and counts them twice, BLANC even
    links the mention with itself); every repeat is dropped here, as the reference's own rule states."""
    assert coref.evaluate(KEY, [["a", "b"], ["c", "d", "e", "f", "f"]]) == coref.evaluate(KEY, RESPONSE)


def test_a_repeated_key_mention_is_an_error() -> None:
    with pytest.raises(ValueError, match="more than once in the key"):
        coref.contingency([["a", "b"], ["b"]], [["a"]])


def test_results_do_not_depend_on_input_order() -> None:
    expected = coref.evaluate(KEY, RESPONSE)
    rng = random.Random(3)
    for _ in range(20):
        key = [rng.sample(c, len(c)) for c in rng.sample(KEY, len(KEY))]
        response = [rng.sample(c, len(c)) for c in rng.sample(RESPONSE, len(RESPONSE))]
        assert coref.evaluate(key, response) == expected


def test_perfect_response_scores_one() -> None:
    for metric, result in coref.evaluate(KEY, [list(c) for c in KEY]).items():
        assert result == (1.0, 1.0, 1.0), metric
