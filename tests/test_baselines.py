"""Baseline systems: every system runs offline on every seed, emits schema-valid records that obey the span
rules, is deterministic, and its German rules behave as documented on small hand-made examples."""

from __future__ import annotations

import ast
import itertools
import json
import unicodedata
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from dataset.baselines import BASELINES
from dataset.baselines.clustering import cluster_claims
from dataset.baselines.justext_boilerplate import predict as justext_predict
from dataset.baselines.rules import predict as rules_predict

ROOT = Path(__file__).resolve().parent.parent
SPAN_LAYERS = {"boilerplate": "bp", "sources": "src", "claims": "claim"}
LAYER_SCHEMA = {
    "boilerplate": "boilerplate",
    "sources": "sources",
    "claims": "claims",
    "entities": "entities",
    "clusters": "clusters",
}


def _seeds() -> list[tuple[str, str]]:
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def _gold(layer: str) -> list[dict]:
    rows = []
    for path in sorted((ROOT / "annotations" / layer).glob("*.jsonl")):
        rows += _lines(path)
    return rows


@pytest.fixture(scope="module")
def seeds() -> list[tuple[str, str]]:
    found = _seeds()
    assert [doc for doc, _ in found] == sorted(r["doc_id"] for r in _lines(ROOT / "annotations/documents.jsonl"))
    return found


@pytest.fixture(scope="module")
def gold_claims() -> list[dict]:
    """The clustering task's input: the gold claims (the clustering system is given claims by its caller)."""
    return _gold("claims")


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft202012Validator]:
    schemas = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "schema").glob("*.schema.json"))]
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    by_name = {s["$id"].rsplit("/", 1)[-1].removesuffix(".schema.json"): s for s in schemas}
    return {
        layer: Draft202012Validator(by_name[name], registry=registry, format_checker=None)
        for layer, name in LAYER_SCHEMA.items()
    }


@pytest.fixture(scope="module")
def outputs(seeds, gold_claims) -> dict[str, dict]:
    """Each system's output on every seed, computed once for the module."""
    return {name: baseline.predict(seeds, gold_claims) for name, baseline in BASELINES.items()}


def _dump(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, sort_keys=False)


# --- the registry -----------------------------------------------------------------------------------------


def test_registry_lists_every_system_with_its_layers(outputs):
    assert set(BASELINES) >= {"no-boilerplate", "sentence-claims", "justext-boilerplate", "rules", "tfidf-clusters"}
    for name, baseline in BASELINES.items():
        assert baseline.name == name
        assert baseline.description and "\n" not in baseline.description
        assert sorted(outputs[name]) == sorted(baseline.layers), name


def test_clustering_needs_claims(seeds):
    with pytest.raises(ValueError, match="claims"):
        BASELINES["tfidf-clusters"].predict(seeds, None)


# --- schema validity and span rules on every seed ----------------------------------------------------


def _span_problems(text: str, start: int, end: int, quoted: str) -> list[str]:
    problems = []
    if not 0 <= start < end <= len(text):
        return [f"bad offsets {start}, {end}"]
    if text[start:end] != quoted:
        problems.append("text differs from the seed")
    if quoted != quoted.strip():
        problems.append("whitespace at an end")
    for at in (start, end):
        if 0 < at < len(text):
            if text[at - 1].isalnum() and text[at].isalnum():
                problems.append(f"boundary {at} inside a word")
            if unicodedata.combining(text[at]):
                problems.append(f"boundary {at} before a combining mark")
    return problems


def _check_layer(
    layer: str, per_doc: dict[str, list[dict]], texts: dict[str, str], validator, renumbered: bool
) -> None:
    """Schema, span rules, unique spans, ids numbered in text order (where the system made the spans)."""
    kind = SPAN_LAYERS[layer]
    for doc_id, records in per_doc.items():
        text = texts[doc_id]
        positions = [(r["start"], r["end"]) for r in records]
        assert len(set(positions)) == len(positions), f"{layer} {doc_id}: two records with the same span"
        for record in records:
            errors = [e.message for e in validator.iter_errors(record)]
            assert not errors, (record["id"], errors)
            assert record["doc_id"] == doc_id
            assert record["id"].startswith(f"{doc_id}:{kind}-")
            assert not _span_problems(text, record["start"], record["end"], record["text"]), record["id"]
            if layer == "claims" and record["cue"] is not None:
                cue = record["cue"]
                assert not _span_problems(text, cue["start"], cue["end"], cue["text"]), record["id"]
        ordered = sorted(records, key=lambda r: (r["start"], r["end"]))
        if renumbered:
            assert [r["id"] for r in ordered] == [f"{doc_id}:{kind}-{n + 1:03d}" for n in range(len(records))]
        if layer == "boilerplate":
            for left, right in itertools.pairwise(ordered):
                assert left["end"] <= right["start"], f"{doc_id}: boilerplate spans overlap"


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_every_record_is_schema_valid_and_obeys_the_span_rules(name, outputs, seeds, validators, gold_claims):
    texts = dict(seeds)
    result = outputs[name]
    for layer in ("boilerplate", "sources", "claims"):
        if layer in result:
            assert sorted(result[layer]) == sorted(texts), f"{layer}: one entry per document"
            renumbered = not (name == "tfidf-clusters" and layer == "claims")  # given claims keep their ids
            _check_layer(layer, result[layer], texts, validators[layer], renumbered)
    for layer in ("entities", "clusters"):
        for record in result.get(layer, []):
            errors = [e.message for e in validators[layer].iter_errors(record)]
            assert not errors, (record["id"], errors)
    records = [r for layer in LAYER_SCHEMA for r in _records(result.get(layer))]
    for record in records:
        assert record["annotated_by"].startswith("baseline-")
        assert (record["reviewed_by"], record["review_status"], record["note"]) == (None, "unreviewed", None)
    _check_links(result, gold_claims)


def _records(layer_output) -> list[dict]:
    if layer_output is None:
        return []
    if isinstance(layer_output, dict):
        return [r for records in layer_output.values() for r in records]
    return list(layer_output)


def _check_links(result: dict, gold_claims: list[dict]) -> None:
    """Ids that records point to exist, and every entity and cluster is used."""
    if "sources" in result:
        mentions = _records(result["sources"])
        entity_ids = {e["id"] for e in result["entities"]}
        assert {m["entity_id"] for m in mentions} == entity_ids
        spans = {(m["doc_id"], m["start"], m["end"]) for m in mentions}
        for claim in _records(result["claims"]):
            doc_mentions = [m["id"] for m in mentions if m["doc_id"] == claim["doc_id"]]
            assert claim["source_ids"] == [i for i in doc_mentions if i in claim["source_ids"]], claim["id"]
            if claim["cue"] is not None:
                assert (claim["doc_id"], claim["cue"]["start"], claim["cue"]["end"]) not in spans, claim["id"]
    if "clusters" in result:
        cluster_ids = {c["id"] for c in result["clusters"]}
        used = {c["cluster_id"] for c in _records(result["claims"])} - {None}
        assert used == cluster_ids
        for cluster in result["clusters"]:
            for other in cluster["conflicts_with"]:
                assert other in cluster_ids and other != cluster["id"]
                partner = next(c for c in result["clusters"] if c["id"] == other)
                assert cluster["id"] in partner["conflicts_with"]
            docs = {c["doc_id"] for c in _records(result["claims"]) if c["cluster_id"] == cluster["id"]}
            assert len(docs) >= 2, cluster["id"]


def test_clustering_keeps_every_given_claim_and_its_fields(outputs, gold_claims):
    clustered = _records(outputs["tfidf-clusters"]["claims"])
    assert sorted(c["id"] for c in clustered) == sorted(c["id"] for c in gold_claims)
    by_id = {c["id"]: c for c in gold_claims}
    kept = ("doc_id", "start", "end", "text", "type", "modality", "source_ids", "cue", "quantity")
    for claim in clustered:
        assert {k: claim[k] for k in kept} == {k: by_id[claim["id"]][k] for k in kept}


# --- determinism ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_output_is_deterministic_and_ignores_input_order(name, outputs, seeds, gold_claims):
    again = BASELINES[name].predict(list(reversed(seeds)), list(reversed(gold_claims)))
    assert _dump(again) == _dump(outputs[name])


# --- the rule baseline on hand-made German sentences -------------------------------------------------------


def _rules_one(text: str) -> tuple[list[dict], list[dict], list[dict]]:
    result = rules_predict([("t", text)])
    return result["claims"]["t"], result["sources"]["t"], result["entities"]


def test_laut_gives_a_reportive_claim_with_cue_and_mention():
    claims, sources, entities = _rules_one("Laut CNN sind mehrere Dörfer eingenommen worden.")
    (claim,) = claims
    assert claim["text"] == "Laut CNN sind mehrere Dörfer eingenommen worden"
    assert claim["modality"] == "reportive"
    assert claim["cue"] == {"start": 0, "end": 4, "text": "Laut"}
    assert [s["text"] for s in sources] == ["CNN"]
    assert claim["source_ids"] == ["t:src-001"]
    assert [(e["id"], e["type"]) for e in entities] == [("ent-cnn", "outlet")]


def test_koennte_gives_speculative_even_when_reported():
    (claim,) = _rules_one("Russland könnte laut CNN bald angreifen.")[0]
    assert claim["modality"] == "speculative"
    assert claim["cue"]["text"] == "laut"


def test_asserted_without_cue():
    (claim,) = _rules_one("Die Armee hat die Stadt eingenommen.")[0]
    assert (claim["modality"], claim["cue"], claim["source_ids"], claim["type"]) == ("asserted", None, [], "event")


@pytest.mark.parametrize(
    ("sentence", "quantity"),
    [
        ("Über 10.000 Soldaten sind in Kursk.", {"value": 10000, "unit": "soldiers", "qualifier": "at-least"}),
        ("Es sind über 10.000 Soldaten in Kursk.", {"value": 10000, "unit": "soldiers", "qualifier": "at-least"}),
        (
            "Russland hat rund 50.000 Soldaten zusammengezogen.",
            {"value": 50000, "unit": "soldiers", "qualifier": "about"},
        ),
        ("Dort stehen 10 000 Soldaten.", {"value": 10000, "unit": "soldiers", "qualifier": "exact"}),
        ("Der Angriff dauerte zwei Tage.", {"value": 2, "unit": "days", "qualifier": "exact"}),
        ("Zehntausende Soldaten stehen bereit.", {"value": 10000, "unit": "soldiers", "qualifier": "about"}),
        ("Sie marschierten bis zu 30 Kilometer.", {"value": 30, "unit": "kilometres", "qualifier": "at-most"}),
        (
            "Mehr als 11.000 nordkoreanische Soldaten kämpfen.",
            {"value": 11000, "unit": "soldiers", "qualifier": "at-least"},
        ),
        ("Das Land hat 1,2 Millionen Soldaten.", {"value": 1200000, "unit": "soldiers", "qualifier": "exact"}),
        ("Es waren mehrere tausend Soldaten.", {"value": 1000, "unit": "soldiers", "qualifier": "about"}),
        ("Moskau hat die Angriffe verzehnfacht.", {"value": 10, "unit": "times", "qualifier": "exact"}),
    ],
)
def test_quantities_are_normalised(sentence, quantity):
    (claim,) = _rules_one(sentence)[0]
    assert claim["type"] == "quantity"
    assert claim["quantity"] == quantity


def test_dates_and_years_are_not_quantities():
    (claim,) = _rules_one("Trump tritt sein Amt am 20. Januar 2025 an.")[0]
    assert claim["quantity"] is None and claim["type"] != "quantity"


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Putin will die Region zurückerobern.", "plan"),
        ("Ziel ist es, die Region zurückzuerobern.", "plan"),
        ("Der Angriff wird in den kommenden Tagen beginnen.", "prediction"),
        ("Beamte erwarten einen Angriff.", "prediction"),
        ("Die Soldaten sind eine Bedrohung für die Ukraine.", "assessment"),
        ("Die Truppen sind in der Region stationiert.", "state"),
        ("Die Ukraine marschierte in die Region ein.", "event"),
    ],
)
def test_claim_types_from_the_lexicon(sentence, kind):
    assert _rules_one(sentence)[0][0]["type"] == kind


def test_sources_next_to_cues():
    text = (
        "Der New York Times zufolge rücken die Truppen vor. Die Truppen rücken vor, sagte Rutte. "
        "Selenskyj erklärte, die Lage sei ernst. Die Lage sei ernst, so der Präsident. "
        "Nach Angaben von US-Beamten rücken die Truppen vor. Mit Material von dpa, Reuters."
    )
    claims, sources, entities = _rules_one(text)
    assert [s["text"] for s in sources] == [
        "Der New York Times",
        "Rutte",
        "Selenskyj",
        "der Präsident",
        "US-Beamten",
        "dpa",
        "Reuters",
    ]
    types = {e["name"]: e["type"] for e in entities}
    assert types["New York Times"] == "outlet"
    assert types["dpa"] == "news-agency"
    assert types["US-Beamten"] == "anonymous"
    assert types["Rutte"] == "person"
    assert [c["cue"]["text"] for c in claims] == ["zufolge", "sagte", "erklärte", "so", "Nach Angaben von"]
    assert all(c["modality"] == "reportive" for c in claims)  # the credit line is no claim


def test_questions_are_not_claims_and_pronouns_link_to_the_person_before():
    text = "Greift Russland an? Selenskyj warnte vor einem Angriff. Er sagte, die Lage sei ernst."
    claims, sources, _ = _rules_one(text)
    assert [c["text"] for c in claims] == ["Selenskyj warnte vor einem Angriff", "Er sagte, die Lage sei ernst"]
    assert [(s["text"], s["entity_id"]) for s in sources] == [("Selenskyj", "ent-selenskyj"), ("Er", "ent-selenskyj")]


def test_one_entity_per_normalised_name_across_documents():
    result = rules_predict(
        [("b", 'Laut der "New York Times" rücken sie vor.'), ("a", "Die New York Times berichtete das.")]
    )
    assert [e["id"] for e in result["entities"]] == ["ent-new-york-times"]
    assert {m["entity_id"] for doc in result["sources"].values() for m in doc} == {"ent-new-york-times"}


# --- floors -------------------------------------------------------------------------------------------------


def test_sentence_claims_floor_is_one_asserted_event_per_sentence():
    text = "Russland greift an. Wer weiß das?\n\nLaut CNN sind 50 Soldaten dort!"
    claims = BASELINES["sentence-claims"].predict([("t", text)], None)["claims"]["t"]
    assert [c["text"] for c in claims] == ["Russland greift an", "Wer weiß das", "Laut CNN sind 50 Soldaten dort"]
    assert {(c["type"], c["modality"], c["cue"], c["quantity"]) for c in claims} == {("event", "asserted", None, None)}


def test_no_boilerplate_floor_is_empty_for_every_document(seeds, outputs):
    assert outputs["no-boilerplate"] == {"boilerplate": {doc_id: [] for doc_id, _ in seeds}}


# --- jusText ------------------------------------------------------------------------------------------------

PAGE = (
    "Startseite\n\nPolitik\n\n"
    "Russland hat in der Grenzregion Kursk Zehntausende Soldaten zusammengezogen, um die von der Ukraine besetzten "
    "Gebiete zurückzuerobern. Das berichtet die New York Times unter Berufung auf amerikanische und ukrainische "
    "Regierungsquellen, die mit der Lage vertraut sind.\n\n"
    "Die Ukraine hatte im August eine Offensive in der Region begonnen und dabei nach eigenen Angaben mehrere "
    "Ortschaften eingenommen. Seitdem wird in dem Gebiet heftig gekämpft, und beide Seiten melden Verluste.\n\n"
    "https://example.org/a\nhttps://example.org/b\n\n"
    "Teilen\nDrucken\n\nAnmelden"
)


@pytest.mark.parametrize("mode", ["blocks", "lines"])
def test_justext_maps_paragraphs_back_to_exact_offsets(mode):
    records = justext_predict([("page", PAGE)], mode)["boilerplate"]["page"]
    assert records, "the navigation, link and widget paragraphs are boilerplate"
    for record in records:
        assert PAGE[record["start"] : record["end"]] == record["text"]
        assert record["text"] == record["text"].strip()
    texts = [r["text"] for r in records]
    assert not any("Zehntausende" in t or "Ortschaften" in t for t in texts), "prose stays editorial"
    assert {r["category"] for r in records} <= {"link-list", "interface"}
    if mode == "blocks":
        assert "https://example.org/a\nhttps://example.org/b" in texts
        assert next(r for r in records if r["text"].startswith("https"))["category"] == "link-list"


def test_justext_merges_adjacent_boilerplate_paragraphs_of_one_category():
    records = justext_predict([("page", PAGE)])["boilerplate"]["page"]
    texts = [r["text"] for r in records]
    assert "Startseite\n\nPolitik" in texts
    assert "Teilen\nDrucken\n\nAnmelden" in texts


# --- clustering ---------------------------------------------------------------------------------------------


def _claim(doc_id: str, n: int, text: str) -> dict:
    return {
        "id": f"{doc_id}:claim-{n:03d}",
        "doc_id": doc_id,
        "start": 0,
        "end": len(text),
        "text": text,
        "type": "quantity" if "Soldaten" in text else "event",
        "modality": "asserted",
        "source_ids": [],
        "cue": None,
        "quantity": {"value": 50000, "unit": "soldiers", "qualifier": "exact"} if "Soldaten" in text else None,
        "cluster_id": None,
        "annotated_by": "test",
        "reviewed_by": None,
        "review_status": "unreviewed",
        "note": None,
    }


def test_clustering_groups_near_identical_claims_and_leaves_others_alone():
    claims = [
        _claim("b", 1, "Russland hat 50.000 Soldaten in der Region Kursk zusammengezogen"),
        _claim("a", 1, "Russland hat rund 50.000 Soldaten in der Region Kursk zusammengezogen"),
        _claim("a", 2, "Der Tech-Milliardär nahm ebenfalls an dem Telefonat teil"),
    ]
    clustered, clusters = cluster_claims(claims)
    by_id = {c["id"]: c for c in clustered}
    assert by_id["a:claim-001"]["cluster_id"] == by_id["b:claim-001"]["cluster_id"] == "cl-auto-001"
    assert by_id["a:claim-002"]["cluster_id"] is None
    (cluster,) = clusters
    assert cluster["statement_de"] == "Russland hat rund 50.000 Soldaten in der Region Kursk zusammengezogen"
    assert cluster["statement_en"] == "(not translated) " + cluster["statement_de"]
    assert cluster["conflicts_with"] == []


def test_claims_of_one_document_alone_form_no_cluster():
    claims = [
        _claim("a", 1, "Russland hat Soldaten zusammengezogen"),
        _claim("a", 2, "Russland hat Soldaten zusammengezogen."),
    ]
    clustered, clusters = cluster_claims(claims)
    assert clusters == [] and {c["cluster_id"] for c in clustered} == {None}


def test_same_statement_with_other_numbers_gives_conflicting_clusters():
    texts = ("Nordkorea hat 10.000 Soldaten nach Kursk geschickt", "Nordkorea hat 11.000 Soldaten nach Kursk geschickt")
    claims = []
    for n, (doc_id, text, value) in enumerate(
        [("a", texts[0], 10000), ("b", texts[0], 10000), ("c", texts[1], 11000), ("d", texts[1], 11000)]
    ):
        claim = _claim(doc_id, n + 1, text)
        claim["quantity"] = {"value": value, "unit": "soldiers", "qualifier": "exact"}
        claims.append(claim)
    _, clusters = cluster_claims(claims)
    assert [(c["id"], c["conflicts_with"]) for c in clusters] == [
        ("cl-auto-001", ["cl-auto-002"]),
        ("cl-auto-002", ["cl-auto-001"]),
    ]


# --- purity -------------------------------------------------------------------------------------------------


def test_baselines_import_nothing_else_from_the_package():
    """The baselines stay pure: no import from the rest of ``dataset``, so they survive its restructuring."""
    for path in sorted((ROOT / "dataset" / "baselines").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.level <= 1, (path.name, node.module)
                assert node.level == 1 or not (node.module or "").startswith("dataset"), (path.name, node.module)
            elif isinstance(node, ast.Import):
                assert not any(alias.name.startswith("dataset") for alias in node.names), path.name


def test_decomposed_umlauts_give_the_same_labels_and_entity():
    composed = "Laut Präsident Selenskyj sind über 10.000 Soldaten in Kursk."
    decomposed = unicodedata.normalize("NFD", composed)
    (nfc_claim,), _, nfc_entities = _rules_one(composed)
    (nfd_claim,), nfd_sources, nfd_entities = _rules_one(decomposed)
    assert (
        nfd_claim["quantity"] == nfc_claim["quantity"] == {"value": 10000, "unit": "soldiers", "qualifier": "at-least"}
    )
    assert [e["id"] for e in nfd_entities] == [e["id"] for e in nfc_entities] == ["ent-praesident-selenskyj"]
    assert nfd_sources[0]["text"] == decomposed[5:25]


# --- the committed predictions --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_committed_predictions_are_what_the_baseline_makes(name, outputs, seeds, gold_claims):
    """annotations/predictions/<name>/ is exactly the system's output in the dataset's layout (so the results table
    is reproducible with the command its system.jsonl names)."""
    from dataset.baselines import given_claims
    from dataset.evaluate.folder import folder_files
    from dataset.evaluate.systems import SYSTEM_FILE, system_record
    from dataset.repo import Repo
    from dataset.schemas import Schemas

    baseline = BASELINES[name]
    folder = ROOT / "annotations" / "predictions" / name
    result = baseline.predict(seeds, given_claims(gold_claims)) if baseline.given else outputs[name]
    command = f"python -m dataset baseline {name} --out annotations/predictions/{name}"
    metadata = system_record(name, baseline.description, command, baseline.given, baseline.tasks)
    expected = folder_files(result, [doc_id for doc_id, _ in seeds], metadata, Schemas(Repo(ROOT)))
    committed = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
    assert sorted(committed) == sorted(expected)
    for rel, content in expected.items():
        found = committed[rel].read_text(encoding="utf-8")
        assert (json.loads(found) if rel == SYSTEM_FILE else found) == (
            json.loads(content) if rel == SYSTEM_FILE else content
        ), rel
