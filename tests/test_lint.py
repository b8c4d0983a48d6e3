"""Every lint warning fires on a minimal fixture, at the right file and line; waivers hide, lapse and are checked.

The fixture is a small valid repository whose seeds hold one sentence per case; a case writes the claims (and
clusters) that make its warning fire, and the repository stays valid, since lint only runs on valid data.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from dataset.check.run import validate
from dataset.lint import LintRefusedError, lint, run
from dataset.lint.engine import Kept, digest
from dataset.lint.lineage import CANDIDATES, SHORTLIST, Space, _candidates, align
from dataset.lint.run import KEPT_FIELDS
from dataset.lint.text import Text
from dataset.lint.waivers import unjustified
from dataset.read.jsonl import Record
from dataset.repo import Repo
from dataset.rules import WARNINGS
from dataset.write.build import build

from .conftest import PROV, dataset_cli, write_repo
from .test_rule_registry import emitted_ids
from .test_rules import edit, rows, write_rows

A, B, C, D = "200_lint", "201_lint", "202_cnn", "203_cnn"
SEEDS = {
    A: (
        "Russland hat 50.000 Soldaten zusammengezogen, sagte Patel. Laut CNN sind rund 50 Panzer in Kursk. "
        "Trump hat gedroht, die Hilfe einzustellen. Die Truppen kamen an, die aber keine Erfahrung haben. "
        "Allerdings greift Russland im Osten an. Russland könnte bald angreifen. Wann beginnt der Angriff in Kursk? "
        "CNN hat die Regierung um einen Kommentar gebeten. "
        "An der Offensive sollen mehrere tausend Soldaten beteiligt sein. Moskau setzt **viele Drohnen** ein. "
        "Experten sagen, dass Russland gewinnt. Es waren über 10.000 Soldaten.\n"
    ),
    B: (
        "Russland hat rund 50.000 Soldaten zusammengezogen. Es waren 40.000 Soldaten. Patel sagte, Russland greife an. "
        "Es kamen 5.000 Soldaten.\n"
    ),
    C: (
        "Der Präsident besuchte am Montag die Front im Osten.\n\n"
        "Selenskyj sagte am Donnerstag, dass elftausend nordkoreanische Soldaten in der Region Kursk sind, "
        "wo der militärische Vorstoß der Ukraine seit drei Monaten stagniert.\n\n"
        "Die Gespräche in Budapest dauerten bis in die Nacht.\n"
    ),
    D: (
        "Am Wochenende fielen in Charkiw erneut Raketen.\n\n"
        "Selenskyj erklärte am Donnerstag, dass sich elftausend nordkoreanische Soldaten in der Region Kursk befinden, "
        "wo der militärische Vorstoß der Ukraine seit drei Monaten ins Stocken geraten ist.\n\n"
        "Ein Sprecher der Luftwaffe meldete neue Drohnen.\n"
    ),
}
CLAIMS = {doc: f"annotations/claims/{doc}.jsonl" for doc in SEEDS}
CLUSTERS = "annotations/clusters.jsonl"
WAIVERS = "annotations/waivers.jsonl"


def at(doc: str, quote: str, occurrence: int = 1) -> dict:
    """Offsets and text of the n-th occurrence of a quote in a seed."""
    text, start = SEEDS[doc], -1
    for _ in range(occurrence):
        start = SEEDS[doc].index(quote, start + 1)
    return {"start": start, "end": start + len(quote), "text": text[start : start + len(quote)]}


MENTIONS = {  # mention id -> (doc, quote, occurrence, entity)
    f"{A}:src-001": (A, "Patel", 1, "ent-patel"),
    f"{A}:src-002": (A, "CNN", 1, "ent-cnn"),
    f"{B}:src-001": (B, "Patel", 1, "ent-patel"),
    f"{C}:src-001": (C, "Selenskyj", 1, "ent-zelensky"),
    f"{D}:src-001": (D, "Selenskyj", 1, "ent-zelensky"),
}


def claim(doc: str, number: int, quote: str, **fields) -> dict:
    cue = fields.pop("cue", None)
    record = {
        "id": f"{doc}:claim-{number:03d}",
        "doc_id": doc,
        **at(doc, quote, fields.pop("occurrence", 1)),
        "type": "event",
        "modality": "asserted",
        "source_ids": [],
        "cue": at(doc, cue) if cue else None,
        "quantity": None,
        "cluster_id": None,
        **PROV,
    }
    record.update(fields)
    return record


def cluster(cluster_id: str) -> dict:
    return {"id": cluster_id, "statement_de": "Satz.", "statement_en": "Sentence.", "conflicts_with": [], **PROV}


def _base(root: Path) -> Repo:
    sources: dict[str, list[dict]] = {}
    for mention, (doc, quote, occurrence, entity) in MENTIONS.items():
        sources.setdefault(doc, []).append(
            {"id": mention, "doc_id": doc, **at(doc, quote, occurrence), "entity_id": entity, **PROV}
        )
    entities = [
        {"id": e, "name": e, "type": "person", "description": "A person.", **PROV}
        for e in sorted({m[3] for m in MENTIONS.values()})
    ]
    repo = write_repo(root, SEEDS, entities, [], {"sources": sources})
    documents = repo.annotations / "documents.jsonl"
    for index, row in enumerate(rows(documents)):
        if row["doc_id"] in (C, D):
            edit(documents, index, lineage=[{"relation": "translated-from", "outlet": "CNN"}])
    build(repo)
    return repo


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return _base(tmp_path_factory.mktemp("lint") / "base")


@pytest.fixture
def repo(base: Repo, tmp_path: Path) -> Repo:
    shutil.copytree(base.root, tmp_path / "repo")
    return Repo(tmp_path / "repo")


def put(repo: Repo, *claims: dict, clusters: tuple[str, ...] = ()) -> None:
    """Write the claims (in the given order, per document) and the clusters they name."""
    by_doc: dict[str, list[dict]] = {}
    for record in claims:
        by_doc.setdefault(record["doc_id"], []).append(record)
    for doc, records in by_doc.items():
        write_rows(repo.root / CLAIMS[doc], records)
    if clusters:
        write_rows(repo.root / CLUSTERS, [cluster(c) for c in clusters])


PATEL, CNN, PATEL_B = f"{A}:src-001", f"{A}:src-002", f"{B}:src-001"
QUANTITY = {"value": 50000, "unit": "soldiers", "qualifier": "exact"}
FIFTY = "Russland hat 50.000 Soldaten zusammengezogen"


def _cases() -> dict[str, tuple[Callable[[Repo], None], str, int]]:
    """rule id -> (mutation, path of the expected warning, its line)."""
    soldiers = "An der Offensive sollen mehrere tausend Soldaten beteiligt sein"
    over = "Es waren über 10.000 Soldaten"
    lineage_sentence_c = (
        "Selenskyj sagte am Donnerstag, dass elftausend nordkoreanische Soldaten in der Region Kursk sind"
    )
    lineage_sentence_d = (
        "Selenskyj erklärte am Donnerstag, dass sich elftausend nordkoreanische Soldaten in der Region Kursk befinden"
    )
    return {
        "speech-verb-no-source": (
            lambda r: put(r, claim(A, 1, "Trump hat gedroht, die Hilfe einzustellen")),
            CLAIMS[A],
            1,
        ),
        "cue-without-source": (
            lambda r: put(r, claim(A, 1, "Laut CNN sind rund 50 Panzer in Kursk", modality="reportive", cue="Laut")),
            CLAIMS[A],
            1,
        ),
        "source-without-cue": (
            lambda r: put(
                r, claim(A, 1, "Laut CNN sind rund 50 Panzer in Kursk", modality="reportive", source_ids=[CNN])
            ),
            CLAIMS[A],
            1,
        ),
        "cue-modal-verb": (
            lambda r: put(r, claim(A, 1, soldiers, modality="reportive", cue="sollen", source_ids=[CNN])),
            CLAIMS[A],
            1,
        ),
        "asserted-with-source": (
            lambda r: put(r, claim(A, 1, f"{FIFTY}, sagte Patel", source_ids=[PATEL], cue="sagte")),
            CLAIMS[A],
            1,
        ),
        "hearsay-asserted": (lambda r: put(r, claim(A, 1, soldiers)), CLAIMS[A], 1),
        "speculative-cue": (lambda r: put(r, claim(A, 1, "Russland könnte bald angreifen")), CLAIMS[A], 1),
        "span-leading-connective": (
            lambda r: put(r, claim(A, 1, "Allerdings greift Russland im Osten an")),
            CLAIMS[A],
            1,
        ),
        "span-leading-conjunction": (lambda r: put(r, claim(A, 1, "dass Russland gewinnt")), CLAIMS[A], 1),
        "span-relative-pronoun": (
            lambda r: put(r, claim(A, 1, "Die Truppen kamen an"), claim(A, 2, "die aber keine Erfahrung haben")),
            CLAIMS[A],
            2,
        ),
        "span-final-punctuation": (
            lambda r: put(r, claim(A, 1, "Russland könnte bald angreifen.", modality="speculative")),
            CLAIMS[A],
            1,
        ),
        "span-crosses-sentence": (
            lambda r: put(r, claim(A, 1, "Allerdings greift Russland im Osten an. Russland könnte bald angreifen")),
            CLAIMS[A],
            1,
        ),
        "span-unbalanced-bold": (lambda r: put(r, claim(A, 1, "Moskau setzt **viele Drohnen")), CLAIMS[A], 1),
        "claim-question": (lambda r: put(r, claim(A, 1, "Wann beginnt der Angriff in Kursk")), CLAIMS[A], 1),
        "claim-meta": (
            lambda r: put(r, claim(A, 1, "CNN hat die Regierung um einen Kommentar gebeten")),
            CLAIMS[A],
            1,
        ),
        "quantity-vague": (
            lambda r: put(r, claim(A, 1, soldiers, type="quantity", modality="reportive", quantity=QUANTITY)),
            CLAIMS[A],
            1,
        ),
        "quantity-qualifier": (
            lambda r: put(r, claim(A, 1, over, type="quantity", quantity={**QUANTITY, "value": 10000})),
            CLAIMS[A],
            1,
        ),
        "quantity-value": (
            lambda r: put(r, claim(A, 1, over, type="quantity", quantity={**QUANTITY, "qualifier": "at-least"})),
            CLAIMS[A],
            1,
        ),
        "cluster-type-drift": (
            lambda r: put(
                r,
                claim(A, 1, FIFTY, type="quantity", quantity=QUANTITY, cluster_id="cl-a"),
                claim(
                    B,
                    1,
                    "Russland greife an",
                    type="plan",
                    modality="reportive",
                    source_ids=[PATEL_B],
                    cue="sagte",
                    cluster_id="cl-a",
                ),
                clusters=("cl-a",),
            ),
            CLUSTERS,
            1,
        ),
        "cluster-quantity-drift": (
            lambda r: put(
                r,
                claim(A, 1, FIFTY, type="quantity", quantity=QUANTITY, cluster_id="cl-a"),
                claim(
                    B,
                    1,
                    "Es waren 40.000 Soldaten",
                    type="quantity",
                    quantity={**QUANTITY, "value": 40000},
                    cluster_id="cl-a",
                ),
                clusters=("cl-a",),
            ),
            CLUSTERS,
            1,
        ),
        "cluster-modality-drift": (
            lambda r: put(
                r,
                claim(
                    A,
                    1,
                    f"{FIFTY}, sagte Patel",
                    modality="reportive",
                    source_ids=[PATEL],
                    cue="sagte",
                    cluster_id="cl-a",
                ),
                claim(
                    B,
                    1,
                    "Russland greife an",
                    modality="speculative",
                    source_ids=[PATEL_B],
                    cue="sagte",
                    cluster_id="cl-a",
                ),
                clusters=("cl-a",),
            ),
            CLUSTERS,
            1,
        ),
        "lineage-segmentation": (
            lambda r: put(
                r,
                claim(
                    C,
                    1,
                    lineage_sentence_c,
                    type="quantity",
                    modality="reportive",
                    source_ids=[f"{C}:src-001"],
                    cue="sagte",
                    quantity={"value": 11000, "unit": "soldiers", "qualifier": "exact"},
                ),
                claim(
                    C,
                    2,
                    "wo der militärische Vorstoß der Ukraine seit drei Monaten stagniert",
                    type="state",
                    modality="reportive",
                    source_ids=[f"{C}:src-001"],
                    cue="sagte",
                ),
                claim(
                    D,
                    1,
                    f"{lineage_sentence_d}, wo der militärische Vorstoß der Ukraine seit drei Monaten ins "
                    "Stocken geraten ist",
                    type="quantity",
                    modality="reportive",
                    source_ids=[f"{D}:src-001"],
                    cue="erklärte",
                    quantity={"value": 11000, "unit": "soldiers", "qualifier": "exact"},
                ),
            ),
            CLAIMS[C],
            1,
        ),
    }


CASES = _cases()
WAIVER_RULES = {"waiver-unjustified", "waiver-stale"}  # fired by the waiver tests below


def test_every_warning_has_a_case_and_is_emitted() -> None:
    assert set(WARNINGS) == set(CASES) | WAIVER_RULES
    assert set(WARNINGS) <= set(emitted_ids()), "warning ids in dataset/rules.py that no code emits"


def test_the_fixture_is_valid_and_lint_clean(base: Repo) -> None:
    assert validate(base).problems == []
    assert lint(base) == []


@pytest.mark.parametrize("rule", sorted(CASES))
def test_warning_fires(repo: Repo, rule: str) -> None:
    mutate, path, line = CASES[rule]
    mutate(repo)
    assert validate(repo).problems == [], "a case must leave the repository valid"
    problems = lint(repo)
    hits = [p for p in problems if p.rule == rule and p.path == path and p.line == line]
    assert hits, f"expected {path}:{line}: {rule}; got:\n" + "\n".join(p.text() for p in problems)
    text = hits[0].text()
    assert text.startswith(f"{path}:{line}: {rule}: ") and "(expected " in text and "; found " in text


# -- precision: what the guidelines allow stays quiet -----------------------------------------------------------


def test_allowed_forms_stay_quiet(repo: Repo) -> None:
    put(
        repo,
        claim(A, 1, FIFTY, type="quantity", quantity=QUANTITY, cluster_id="cl-a"),
        claim(A, 2, "Russland könnte bald angreifen", modality="speculative"),
        claim(A, 3, "Moskau setzt **viele Drohnen**"),
        claim(A, 4, "Russland gewinnt"),
        claim(
            B,
            1,
            "Russland hat rund 50.000 Soldaten zusammengezogen",
            type="quantity",
            quantity={**QUANTITY, "qualifier": "about"},
            cluster_id="cl-a",
        ),
        clusters=("cl-a",),
    )
    assert lint(repo) == []


def test_speech_act_with_its_setting_needs_no_source(repo: Repo) -> None:
    """Section 4: the speech act with its setting is an asserted event; the content claim carries the source."""
    put(
        repo,
        claim(A, 1, FIFTY, type="quantity", modality="reportive", quantity=QUANTITY, source_ids=[PATEL], cue="sagte"),
        claim(A, 2, "sagte Patel"),
    )
    assert [p for p in lint(repo) if p.rule == "speech-verb-no-source"] == []


def test_vague_quantity_is_compatible_with_a_number_in_its_range(repo: Repo) -> None:
    vague = {"value": 1000, "unit": "soldiers", "qualifier": "about"}
    put(
        repo,
        claim(
            A,
            1,
            "An der Offensive sollen mehrere tausend Soldaten beteiligt sein",
            type="quantity",
            modality="reportive",
            quantity=vague,
            cluster_id="cl-a",
        ),
        claim(
            B,
            1,
            "Es kamen 5.000 Soldaten",
            type="quantity",
            quantity={**vague, "value": 5000, "qualifier": "exact"},
            cluster_id="cl-a",
        ),
        clusters=("cl-a",),
    )
    assert [p.rule for p in lint(repo)] == []


# -- text and alignment -------------------------------------------------------------------------------------


def test_sentences_respect_abbreviations_days_and_quotations() -> None:
    text = Text("Am 1. September sagte er: „Es gibt Verluste. Das ist ein Fakt.“ Dann ging er. Ca. 5 Tage.\n")
    pieces = [text.text[s:e] for s, e in text.sentences]
    assert pieces == ["Am 1. September sagte er: „Es gibt Verluste. Das ist ein Fakt.“", "Dann ging er.", "Ca. 5 Tage."]


def test_a_line_is_a_block_only_in_a_text_without_blank_lines() -> None:
    lines = Text("Neue Offensive\nRussland greift an.\n")
    assert [lines.text[s:e] for s, e in lines.sentences] == ["Neue Offensive", "Russland greift an."]
    wrapped = Text("Titel\n\nRussland greift\nUkraine an.\n")
    assert [wrapped.text[s:e] for s, e in wrapped.sentences] == ["Titel", "Russland greift\nUkraine an."]


def test_alignment_follows_reordered_paragraphs_and_joins_a_split_sentence() -> None:
    left = [
        "Putin sagte am Donnerstag, er sei zu Gesprächen mit Trump bereit.",
        "Selenskyj warnte in Budapest vor einer neuen Eskalationswelle durch fremde Armeen, die Kiew bedrohe.",
    ]
    right = [
        "Selenskyj warnte in Budapest vor einer neuen Eskalationswelle.",
        "Sie umfasse fremde Armeen, die Kiew bedrohe.",
        "Putin sagte am Donnerstag, er sei zu Gesprächen mit Trump bereit.",
    ]
    beads = [(b.left, b.right) for b in align(left, right)]
    assert beads == [((0,), (2,)), ((1,), (0, 1))]
    assert align(left, right) == align(left, right)  # deterministic


def test_lineage_candidates_are_the_most_similar_documents_ties_to_the_lower_index() -> None:
    """In a group larger than CANDIDATES + 1, each document is aligned only with its most similar others: two
    renderings of one article find each other among unrelated articles of the story, and identical copies (all
    tied) pick the lowest indices, the same on every run."""
    story = [
        "Russland hat 50.000 Soldaten in der Region Kursk zusammengezogen.",
        "Nordkoreanische Truppen sollen an der Offensive beteiligt sein.",
    ]
    unrelated = [
        [*story, f"Der Bericht Nummer {n} nennt {word} als wichtigsten Grund für die Lage."]
        for n, word in enumerate(["Wetter", "Logistik", "Nachschub", "Politik", "Gelände", "Munition"])
    ]
    rendering = "Selenskyj warnte in Budapest vor einer neuen Eskalationswelle durch fremde Armeen."
    other = "Selenskyj warnte in Budapest vor einer neuen Welle der Eskalation durch fremde Armeen."
    documents = [unrelated[0], [*story, rendering], *unrelated[1:4], [*story, other], *unrelated[4:]]
    pairs = _candidates(documents, Space(documents))
    assert (1, 5) in pairs
    assert {i for pair in pairs for i in pair} == set(range(len(documents)))
    assert _candidates(documents, Space(documents)) == pairs

    copies = [story] * (CANDIDATES + 3)
    pairs = _candidates(copies, Space(copies))
    last = len(copies) - 1
    assert [i for i, k in pairs if k == last] == list(range(CANDIDATES))


def test_lineage_candidates_equal_the_exact_ranking_beyond_the_shortlist() -> None:
    """The fingerprints only shortlist: each document's candidates are its most similar others by the exact cosine
    of the documents' TF-IDF vectors, as if every pair had been compared. Near-duplicates (one text, a few words
    changed in each copy) are where a fingerprint's ranking alone goes wrong."""
    rng = random.Random(0)
    words = "Armee Front Kursk Drohnen Panzer Truppen Angriff Region Moskau Kiew Offensive Soldaten Grenze Putin"
    vocabulary = words.split(" ")
    base = [[rng.choice(vocabulary) for _ in range(8)] for _ in range(5)]
    documents = []
    for _ in range(SHORTLIST + 12):
        document = []
        for sentence in base:
            changed = list(sentence)
            for _ in range(rng.randint(0, 3)):
                changed[rng.randrange(len(changed))] = rng.choice(vocabulary)
            document.append(" ".join(changed) + ".")
        documents.append(document)
    space = Space(documents)
    n = len(documents)
    similarity = np.array([[(space.document(i) @ space.document(k).T)[0, 0] for k in range(n)] for i in range(n)])
    np.fill_diagonal(similarity, -np.inf)
    expected = set()
    for i, row in enumerate(np.round(similarity, 9)):
        best = sorted(range(n), key=lambda k: (-row[k], k))[:CANDIDATES]
        expected.update((min(i, k), max(i, k)) for k in best)
    assert _candidates(documents, space) == sorted(expected)


def test_lineage_compares_the_share_of_a_sentence_claims_cover(repo: Repo) -> None:
    whole = "Selenskyj sagte am Donnerstag, dass elftausend nordkoreanische Soldaten in der Region Kursk sind"
    put(
        repo,
        claim(C, 1, whole, modality="reportive", source_ids=[f"{C}:src-001"], cue="sagte"),
        claim(D, 1, "Stocken geraten", modality="reportive", source_ids=[f"{D}:src-001"], cue="erklärte"),
    )
    hits = [p for p in lint(repo) if p.rule == "lineage-segmentation"]
    assert len(hits) == 1 and "cover" in hits[0].message


# -- waivers --------------------------------------------------------------------------------------------------

REASON = "Speech act of Trump reported as an event: GUIDELINES section 4 allows it here."


def _waivable(repo: Repo) -> None:
    CASES["speech-verb-no-source"][0](repo)


def _waivers(repo: Repo) -> list[dict]:
    path = repo.root / WAIVERS
    return rows(path) if path.exists() else []


def test_waive_hides_the_warning_and_all_shows_it(repo: Repo) -> None:
    _waivable(repo)
    result = dataset_cli(
        repo, "waive", "speech-verb-no-source", f"{A}:claim-001", "--justification", REASON, "--by", "r1"
    )
    assert result.returncode == 0, result.stderr
    [waiver] = _waivers(repo)
    assert list(waiver) == ["rule", "record_id", "digest", "justification", "waived_by"]
    assert lint(repo) == []
    shown = dataset_cli(repo, "lint", "--all")
    assert shown.returncode == 0 and "[waived by r1: " in shown.stdout and "1 waived" in shown.stderr
    assert dataset_cli(repo, "lint").stdout == ""


def test_waive_refuses_an_unjustified_reason_or_a_warning_that_does_not_fire(repo: Repo) -> None:
    _waivable(repo)
    record = f"{A}:claim-001"
    cases = (("speech-verb-no-source", "false positive"), ("claim-question", REASON), ("no-such-lint", REASON))
    for rule, reason in cases:
        result = dataset_cli(repo, "waive", rule, record, "--justification", reason, "--by", "r1")
        assert result.returncode == 1 and ": waive: " in result.stdout, result.stdout
    assert not (repo.root / WAIVERS).exists()


def _waive(repo: Repo, justification: str = REASON) -> None:
    result = dataset_cli(
        repo, "waive", "speech-verb-no-source", f"{A}:claim-001", "--justification", REASON, "--by", "r1"
    )
    assert result.returncode == 0, result.stderr
    if justification != REASON:  # a hand-edited file: the command itself refuses such a reason
        edit(repo.root / WAIVERS, 0, justification=justification)


@pytest.mark.parametrize("justification", ["ok", "This is a false positive.", "   "])
def test_unjustified_waiver_is_a_warning(repo: Repo, justification: str) -> None:
    _waivable(repo)
    _waive(repo, justification)
    assert [(p.rule, p.path, p.line) for p in lint(repo)] == [("waiver-unjustified", WAIVERS, 1)]


def test_unjustified() -> None:
    assert unjustified(REASON) is None
    assert unjustified("n/a") and unjustified("It is just a false positive") and unjustified("")


def _change_record(repo: Repo) -> None:
    edit(repo.root / CLAIMS[A], 0, type="state")


def _fix_record(repo: Repo) -> None:
    edit(repo.root / CLAIMS[A], 0, **{**at(A, "die Hilfe einzustellen"), "type": "plan"})


def _delete_record(repo: Repo) -> None:
    write_rows(repo.root / CLAIMS[A], [])


def _rename_rule(repo: Repo) -> None:
    edit(repo.root / WAIVERS, 0, rule="no-such-lint")


@pytest.mark.parametrize(
    ("mutate", "says", "warning_back"),
    [
        (_change_record, "earlier version", True),
        (_fix_record, "no longer fires", False),
        (_delete_record, "gone", False),
        (_rename_rule, "names no lint rule", True),
    ],
)
def test_stale_waiver_is_a_warning(repo: Repo, mutate: Callable[[Repo], None], says: str, warning_back: bool) -> None:
    _waivable(repo)
    _waive(repo)
    mutate(repo)
    problems = lint(repo)
    stale = [p for p in problems if p.rule == "waiver-stale"]
    assert [(p.path, p.line) for p in stale] == [(WAIVERS, 1)] and says in stale[0].message
    assert any(p.rule == "speech-verb-no-source" for p in problems) == warning_back


def test_review_bookkeeping_keeps_a_waiver(repo: Repo) -> None:
    _waivable(repo)
    _waive(repo)
    edit(repo.root / CLAIMS[A], 0, reviewed_by="r2", review_status="accepted", note="Checked.")
    assert lint(repo) == []


def test_waive_again_replaces_the_waiver(repo: Repo) -> None:
    _waivable(repo)
    _waive(repo)
    _change_record(repo)
    result = dataset_cli(
        repo, "waive", "speech-verb-no-source", f"{A}:claim-001", "--justification", REASON, "--by", "r2"
    )
    assert result.returncode == 0 and "re-waived" in result.stderr
    assert [w["waived_by"] for w in _waivers(repo)] == ["r2"] and lint(repo) == []


def test_a_broken_waivers_file_is_an_error(repo: Repo) -> None:
    _waivable(repo)
    _waive(repo)
    [waiver] = _waivers(repo)
    write_rows(repo.root / WAIVERS, [waiver, waiver, {**waiver, "digest": "not hex"}])
    result = dataset_cli(repo, "lint")
    assert result.returncode == 1
    assert f"{WAIVERS}:2: duplicate-id: " in result.stdout and f"{WAIVERS}:3: schema: " in result.stdout
    assert f"{CLAIMS[A]}:1:" not in result.stdout  # the first, good waiver still applies


# -- the command ------------------------------------------------------------------------------------------------


def test_lint_refuses_invalid_data(repo: Repo) -> None:
    edit(repo.root / f"annotations/sources/{A}.jsonl", 0, entity_id="ent-nobody")
    with pytest.raises(LintRefusedError) as refused:
        lint(repo)
    assert any(p.rule == "dangling-ref" for p in refused.value.problems)
    result = dataset_cli(repo, "lint")
    assert result.returncode == 1 and result.stdout == "" and "does not validate" in result.stderr


def test_exit_codes_and_formats(repo: Repo) -> None:
    _waivable(repo)
    text = dataset_cli(repo, "lint")
    assert text.returncode == 0 and text.stdout.startswith(f"{CLAIMS[A]}:1: speech-verb-no-source: ")
    assert dataset_cli(repo, "lint", "--strict").returncode == 1
    github = dataset_cli(repo, "lint", "--format", "github").stdout.splitlines()
    assert github and all(line.startswith("::warning file=") for line in github)
    [row] = json.loads(dataset_cli(repo, "lint", "--format", "json").stdout)
    assert row["record_id"] == f"{A}:claim-001" and row["rule"] == "speech-verb-no-source" and row["waived"] is None
    _waive(repo)
    assert dataset_cli(repo, "lint", "--strict").returncode == 0
    notices = dataset_cli(repo, "lint", "--all", "--format", "github").stdout.splitlines()
    assert [line.split(" ", 1)[0] for line in notices] == ["::notice"]


def test_lint_run_reports_record_ids_and_verdicts(repo: Repo) -> None:
    _waivable(repo)
    _waive(repo)
    report = run(repo)
    [verdict] = report.verdicts
    assert verdict.warning.record_id == f"{A}:claim-001" and verdict.waiver is not None
    assert report.unwaived == [] and report.errors == []


def test_a_kept_claim_has_the_digest_of_the_whole_record() -> None:
    """The corpus-wide lints keep claims slimmed to the fields they read; a waiver's digest must still cover the
    whole record, so a change to any field (the cue, the sources, the text) makes the waiver stale."""
    data = {"id": "x:claim-001", "start": 0, "end": 5, "type": "event", "modality": "reportive", "quantity": None}
    full = Record("claims/x.jsonl", 1, {**data, "cue": {"start": 6, "end": 11, "text": "sagte"}, "note": "n"})
    changed = Record("claims/x.jsonl", 1, {**full.data, "cue": None})
    assert digest([Kept.of(full, KEPT_FIELDS)]) == digest([full])
    assert digest([Kept.of(changed, KEPT_FIELDS)]) != digest([Kept.of(full, KEPT_FIELDS)])
    assert Kept.of(full, KEPT_FIELDS).data == data
