"""Every real document through every tool, and what an import does with records a tool changed."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from dataset.layers import SPAN_LAYERS
from dataset.repo import Repo
from dataset.schemas import Schemas
from dataset.tools import brat, inception, labelstudio
from dataset.tools.labels import build_labels
from dataset.tools.model import ToolDocument

ROOT = Path(__file__).resolve().parent.parent
LABELS = build_labels(Schemas(Repo(ROOT)))
TOOLS = {"inception": inception, "labelstudio": labelstudio, "brat": brat}


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


ENTITIES = jsonl(ROOT / "annotations" / "entities.jsonl")
CLUSTERS = jsonl(ROOT / "annotations" / "clusters.jsonl")
DOC_IDS = sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))


def document(doc_id: str) -> ToolDocument:
    text = (ROOT / "seeds" / f"{doc_id}.txt").read_bytes().decode("utf-8")
    layers = {layer.name: jsonl(ROOT / "annotations" / layer.name / f"{doc_id}.jsonl") for layer in SPAN_LAYERS}
    return ToolDocument(doc_id, text, layers)


def roundtrip(tool: str, shown: ToolDocument, existing: ToolDocument, entities=ENTITIES, **kwargs):
    module = TOOLS[tool]
    files = module.export_document(shown, entities, CLUSTERS, LABELS)
    return module.import_document(files, existing.doc_id, existing.text, existing, ENTITIES, CLUSTERS, LABELS, **kwargs)


def test_every_document_goes_through_the_tools() -> None:
    records = (ROOT / "annotations/documents.jsonl").read_text(encoding="utf-8").split("\n")
    assert sorted(json.loads(line)["doc_id"] for line in records if line) == DOC_IDS


@pytest.mark.parametrize("tool", sorted(TOOLS))
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_real_document_roundtrip(tool: str, doc_id: str) -> None:
    doc = document(doc_id)
    back, entities, clusters, problems = roundtrip(tool, doc, doc, user="tester")
    assert problems == []
    assert (entities, clusters) == ([], [])
    assert back.layers == doc.layers
    for name, records in doc.layers.items():
        assert [json.dumps(r, ensure_ascii=False) for r in back.layers[name]] == [
            json.dumps(r, ensure_ascii=False) for r in records
        ]


def _number(record_id: str) -> int:
    return int(record_id.rsplit("-", 1)[1])


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_changed_mention_gets_new_id_and_its_claims_follow(tool: str) -> None:
    """A tool changed one mention's note: it and every claim citing it are new records; the rest is untouched."""
    doc = document("002_d596317c8eaa91fa")
    edited = copy.deepcopy(doc)
    mention = edited.layers["sources"][0]
    mention["note"] = "changed in the tool"
    citing = {c["id"] for c in doc.layers["claims"] if mention["id"] in c["source_ids"]}
    back, _, _, problems = roundtrip(tool, edited, doc, user="annotator-x")
    assert problems == []
    old_ids = {r["id"] for layer in doc.layers.values() for r in layer}
    new = [r for layer in back.layers.values() for r in layer if r["id"] not in old_ids]
    assert {r["note"] for r in new if r["id"].split(":")[1].startswith("src")} == {"changed in the tool"}
    assert len(new) == 1 + len(citing)
    top = max(_number(r["id"]) for r in doc.layers["sources"])
    assert [r["id"] for r in new if ":src-" in r["id"]] == [f"{doc.doc_id}:src-{top + 1:03d}"]
    for record in new:
        assert (record["annotated_by"], record["reviewed_by"], record["review_status"]) == (
            "annotator-x",
            None,
            "unreviewed",
        )
    kept = [r for layer in back.layers.values() for r in layer if r["id"] in old_ids]
    originals = {r["id"]: r for layer in doc.layers.values() for r in layer}
    assert all(originals[r["id"]] == r for r in kept)
    assert len(kept) == len(originals) - 1 - len(citing)


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_new_entity_comes_back_as_a_registry_record(tool: str) -> None:
    doc = document("000_bccd24adbed73a96")
    edited = copy.deepcopy(doc)
    edited.layers["sources"][0]["entity_id"] = "ent-new-source"
    entity = {"id": "ent-new-source", "name": "New", "type": "other", "description": "Made in the tool."}
    entity |= {"annotated_by": "x", "reviewed_by": None, "review_status": "unreviewed", "note": "line one\nline two"}
    back, entities, clusters, problems = roundtrip(tool, edited, doc, entities=[*ENTITIES, entity], user="annotator-x")
    assert problems == []
    assert entities == [{**entity, "annotated_by": "annotator-x"}]
    assert clusters == []
    assert back.layers["sources"][0]["entity_id"] == "ent-new-source"


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_unknown_entity_without_registry_fields_is_a_problem(tool: str) -> None:
    doc = document("000_bccd24adbed73a96")
    edited = copy.deepcopy(doc)
    edited.layers["sources"][0]["entity_id"] = "ent-nobody"
    _, _, _, problems = roundtrip(tool, edited, doc, user="annotator-x")
    assert [p.rule for p in problems] == ["tool-reference"]


def test_inception_curation_marks_review() -> None:
    doc = document("003_902d68cc3abdac8a")
    edited = copy.deepcopy(doc)
    edited.layers["claims"][0]["modality"] = (
        "speculative" if doc.layers["claims"][0]["modality"] != "speculative" else "asserted"
    )
    files = inception.export_document(edited, ENTITIES, CLUSTERS, LABELS)
    curated = {
        f"curation/{doc.doc_id}/CURATION_USER.xmi": files[f"{doc.doc_id}.xmi"],
        "TypeSystem.xml": files["TypeSystem.xml"],
    }
    back, _, _, problems = inception.import_document(
        curated, doc.doc_id, doc.text, doc, ENTITIES, CLUSTERS, LABELS, user="annotator-x", reviewer="reviewer-r9"
    )
    assert problems == []
    changed = [r for r in back.layers["claims"] if r not in doc.layers["claims"]]
    assert len(changed) == 1
    original = doc.layers["claims"][0]
    assert (changed[0]["annotated_by"], changed[0]["reviewed_by"], changed[0]["review_status"]) == (
        original["annotated_by"],
        "reviewer-r9",
        "corrected",
    )


def test_labelstudio_prediction_accepted_becomes_records() -> None:
    doc = document("001_30076441bec071a8")
    empty = ToolDocument(doc.doc_id, doc.text, {name: [] for name in doc.layers})
    files = labelstudio.export_document(empty, ENTITIES, CLUSTERS, LABELS, suggestions=doc)
    task = json.loads(files[f"{doc.doc_id}.json"])[0]
    assert "annotations" not in task and task["predictions"][0]["model_version"] == "suggestions"
    task["annotations"] = [
        {"result": task["predictions"][0]["result"], "completed_by": 7, "reviews": [{"accepted": True}]}
    ]
    files = {f"{doc.doc_id}.json": json.dumps([task]).encode()}
    back, _, _, problems = labelstudio.import_document(
        files, doc.doc_id, doc.text, empty, ENTITIES, CLUSTERS, LABELS, user="annotator-x", reviewer="reviewer-r9"
    )
    assert problems == []
    for name, records in doc.layers.items():
        assert len(back.layers[name]) == len(records)
        for record in back.layers[name]:
            assert (record["annotated_by"], record["reviewed_by"], record["review_status"]) == (
                "annotator-x",
                "reviewer-r9",
                "accepted",
            )


@pytest.mark.parametrize("tool", ["inception", "brat"])
def test_unconfirmed_suggestions_are_not_imported(tool: str) -> None:
    doc = document("004_ec74ea791d9cc449")
    empty = ToolDocument(doc.doc_id, doc.text, {name: [] for name in doc.layers})
    module = TOOLS[tool]
    files = module.export_document(empty, ENTITIES, CLUSTERS, LABELS, suggestions=doc)
    back, _, _, problems = module.import_document(files, doc.doc_id, doc.text, empty, ENTITIES, CLUSTERS, LABELS, "x")
    assert problems == []
    assert all(records == [] for records in back.layers.values())


def test_brat_confirmed_suggestions_are_imported() -> None:
    doc = document("004_ec74ea791d9cc449")
    empty = ToolDocument(doc.doc_id, doc.text, {name: [] for name in doc.layers})
    files = brat.export_document(empty, ENTITIES, CLUSTERS, LABELS, suggestions=doc)
    ann = files[f"{doc.doc_id}.ann"].decode()
    files[f"{doc.doc_id}.ann"] = "".join(
        line + "\n" for line in ann.splitlines() if "\tSuggestion " not in line
    ).encode()
    back, _, _, problems = brat.import_document(
        files, doc.doc_id, doc.text, empty, ENTITIES, CLUSTERS, LABELS, "annotator-x"
    )
    assert problems == []
    assert [len(records) for records in back.layers.values()] == [len(records) for records in doc.layers.values()]


def test_a_new_enum_value_reaches_every_tool_configuration(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    for name, pointer, value in (("boilerplate", "category", "satire-box"), ("claims", "modality", "ironic")):
        path = tmp_path / "schema" / f"{name}.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        schema["$defs"][pointer]["enum"].append(value)
        path.write_text(json.dumps(schema), encoding="utf-8")
    labels = build_labels(Schemas(Repo(tmp_path)))
    configs = {
        "inception": inception.project_config(labels),
        "labelstudio": labelstudio.project_config(labels),
        "brat": brat.project_config(labels),
    }
    for tool, files in configs.items():
        text = b"".join(files.values()).decode("utf-8")
        assert "satire-box" in text and "ironic" in text, tool
    for tool in ("inception", "labelstudio", "brat"):
        assert "satire-box" not in b"".join(TOOLS[tool].project_config(LABELS).values()).decode()


def _with_metadata(xmi: bytes, user: str, length: int) -> bytes:
    """An XMI as INCEpTION exports it: DKPro DocumentMetaData names the user whose annotations these are."""
    text = xmi.decode("utf-8")
    meta = (
        '<type4:DocumentMetaData xmlns:type4="http:///de/tudarmstadt/ukp/dkpro/core/api/metadata/type.ecore" '
        f'xmi:id="9999" sofa="1" begin="0" end="{length}" documentTitle="doc.xmi" documentId="{user}"/>'
    )
    text = text.replace("<cas:Sofa ", meta + "<cas:Sofa ", 1)
    text = text.replace('<cas:View sofa="1" members="', '<cas:View sofa="1" members="9999 ', 1)
    return text.encode("utf-8")


@pytest.mark.parametrize(
    ("tool_user", "expected"),
    [
        ("anna", ("anna", None, "unreviewed")),
        ("CURATION_USER", ("annotator-a1", "reviewer-r9", "corrected")),
        ("Anna M", None),
    ],
)
def test_inception_user_comes_from_document_metadata(tool_user: str, expected) -> None:
    doc = document("003_902d68cc3abdac8a")
    edited = copy.deepcopy(doc)
    claim = edited.layers["claims"][0]
    claim["modality"] = "speculative" if claim["modality"] != "speculative" else "asserted"
    xmi = inception.export_document(edited, ENTITIES, CLUSTERS, LABELS)[f"{doc.doc_id}.xmi"]
    files = {"export.xmi": _with_metadata(xmi, tool_user, len(doc.text.encode("utf-16-le")) // 2)}
    back, _, _, problems = inception.import_document(
        files, doc.doc_id, doc.text, doc, ENTITIES, CLUSTERS, LABELS, user=None, reviewer="reviewer-r9"
    )
    if expected is None:
        assert [p.rule for p in problems] == ["tool-user"]
        return
    assert problems == []
    changed = [r for r in back.layers["claims"] if r not in doc.layers["claims"]]
    assert [(r["annotated_by"], r["reviewed_by"], r["review_status"]) for r in changed] == [expected]
