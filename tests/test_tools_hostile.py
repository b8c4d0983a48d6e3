"""Hostile and broken tool exports: each gives a problem with its rule id, and no exception escapes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dataset.problems import Problem
from dataset.repo import Repo
from dataset.schemas import Schemas
from dataset.tools import MAX_TOOL_FILE_BYTES, TOOL_RULES, brat, inception, labelstudio
from dataset.tools.labels import build_labels
from dataset.tools.model import ToolDocument

ROOT = Path(__file__).resolve().parent.parent
LABELS = build_labels(Schemas(Repo(ROOT)))
DOC = "h01"
TEXT = "Menü 😀\r\nLaut CNN sind 50 Soldaten in Kursk. "
PROV = {"annotated_by": "annotator-a1", "reviewed_by": None, "review_status": "unreviewed", "note": None}
ENTITY = {"id": "ent-cnn", "name": "CNN", "type": "outlet", "description": "US news network.", **PROV}


def span(quote: str) -> dict:
    start = TEXT.index(quote)
    return {"start": start, "end": start + len(quote), "text": quote}


MENTION = {"id": f"{DOC}:src-001", "doc_id": DOC, **span("CNN"), "entity_id": "ent-cnn", **PROV}
CLAIM = {
    "id": f"{DOC}:claim-001",
    "doc_id": DOC,
    **span("CNN sind 50 Soldaten in Kursk"),
    "type": "quantity",
    "modality": "reportive",
    "source_ids": [MENTION["id"]],
    "cue": span("Laut"),
    "quantity": {"value": 50, "unit": "soldiers", "qualifier": "exact"},
    "cluster_id": None,
    **PROV,
}
BOILERPLATE = {"id": f"{DOC}:bp-001", "doc_id": DOC, **span("Menü"), "category": "navigation", **PROV}
DOCUMENT = ToolDocument(DOC, TEXT, {"boilerplate": [BOILERPLATE], "sources": [MENTION], "claims": [CLAIM]})
TOOLS = {"inception": inception, "labelstudio": labelstudio, "brat": brat}
MAIN = {"inception": f"{DOC}.xmi", "labelstudio": f"{DOC}.json", "brat": f"{DOC}.ann"}


def exported(tool: str) -> dict[str, bytes]:
    return TOOLS[tool].export_document(DOCUMENT, [ENTITY], [], LABELS)


def run(tool: str, files: dict[str, bytes]) -> list[Problem]:
    _, _, _, problems = TOOLS[tool].import_document(files, DOC, TEXT, DOCUMENT, [ENTITY], [], LABELS, "tester")
    for problem in problems:
        assert problem.rule in TOOL_RULES, problem
        assert problem.path and problem.line >= 1
    return problems


def edit(tool: str, old: str, new: str, count: int = 1) -> dict[str, bytes]:
    files = exported(tool)
    content = files[MAIN[tool]].decode("utf-8")
    assert old in content, (old, content[:400])
    files[MAIN[tool]] = content.replace(old, new, count).encode("utf-8")
    return files


def rules(problems: list[Problem]) -> set[str]:
    return {p.rule for p in problems}


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_clean_export_has_no_problem(tool: str) -> None:
    assert run(tool, exported(tool)) == []


def _ls(mutate) -> dict[str, bytes]:
    files = exported("labelstudio")
    tasks = json.loads(files[MAIN["labelstudio"]])
    mutate(tasks[0]["annotations"][0]["result"])
    files[MAIN["labelstudio"]] = json.dumps(tasks).encode()
    return files


def _label(result: list[dict], layer: str) -> dict:
    return next(r for r in result if r["type"] == "labels" and r["from_name"] == layer)


def test_labelstudio_offsets_beyond_the_text() -> None:
    problems = run(
        "labelstudio", _ls(lambda res: _label(res, "boilerplate")["value"].update(end=len(TEXT) + 9, text=None))
    )
    assert "tool-offset" in rules(problems)


def test_labelstudio_span_on_whitespace() -> None:
    start = TEXT.index("Laut") - 1
    value = {"start": start, "end": start + 5, "text": TEXT[start : start + 5]}
    assert "tool-whitespace" in rules(
        run("labelstudio", _ls(lambda res: _label(res, "boilerplate")["value"].update(value)))
    )


def test_labelstudio_stated_text_differs() -> None:
    assert "tool-text" in rules(run("labelstudio", _ls(lambda res: _label(res, "sources")["value"].update(text="NBC"))))


def test_labelstudio_unknown_label() -> None:
    assert "tool-label" in rules(
        run("labelstudio", _ls(lambda res: _label(res, "claims")["value"].update(labels=["Rumour"])))
    )


def test_labelstudio_unknown_choice() -> None:
    def mutate(result: list[dict]) -> None:
        next(r for r in result if r["from_name"] == "claims.modality")["value"]["choices"] = ["ironic"]

    assert "tool-label" in rules(run("labelstudio", _ls(mutate)))


def test_labelstudio_relation_to_unknown_mention() -> None:
    def mutate(result: list[dict]) -> None:
        next(r for r in result if r["type"] == "relation" and r["labels"] == ["source_ids 1"])["to_id"] = "nowhere"

    assert rules(run("labelstudio", _ls(mutate))) == {"tool-reference"}


def test_labelstudio_cue_linked_by_nothing() -> None:
    def mutate(result: list[dict]) -> None:
        result.remove(next(r for r in result if r["type"] == "relation" and r["labels"] == ["cue"]))

    assert rules(run("labelstudio", _ls(mutate))) == {"tool-reference"}


def test_labelstudio_broken_json() -> None:
    assert rules(run("labelstudio", {MAIN["labelstudio"]: b'[{"data": '})) == {"tool-json"}


def test_labelstudio_wrong_structure() -> None:
    for content in (b"[1, 2]", b'{"data": {"doc_id": "h01", "text": "x"}}', b'"text"', b"[]"):
        assert run("labelstudio", {MAIN["labelstudio"]: content}), content


def test_labelstudio_text_differs_from_seed() -> None:
    files = edit("labelstudio", "Kursk", "Kiew")
    assert "tool-text" in rules(run("labelstudio", files))


def test_brat_offsets_beyond_the_text() -> None:
    files = exported("brat")
    ann = files[MAIN["brat"]].decode()
    files[MAIN["brat"]] = re.sub(r"^(T1\t\w+) \d+ \d+", rf"\1 0 {len(TEXT) + 50}", ann, flags=re.M).encode()
    assert "tool-offset" in rules(run("brat", files))


def test_brat_span_on_whitespace() -> None:
    start = TEXT.index("Menü")
    files = exported("brat")
    ann = files[MAIN["brat"]].decode()
    files[MAIN["brat"]] = ann.replace(
        f"T1\tBoilerplateSpan {start} {start + 4}\tMenü", f"T1\tBoilerplateSpan {start} {start + 5}\tMenü "
    ).encode()
    assert "tool-whitespace" in rules(run("brat", files))


def test_brat_stated_text_differs() -> None:
    assert "tool-text" in rules(run("brat", edit("brat", "\tCNN\n", "\tNBC\n")))


def test_brat_unknown_type_and_attribute_value() -> None:
    assert "tool-label" in rules(run("brat", edit("brat", "\tBoilerplateSpan ", "\tSidebar ")))
    assert "tool-label" in rules(run("brat", edit("brat", " reportive\n", " ironic\n")))


def test_brat_unknown_mention_and_cue() -> None:
    assert rules(run("brat", edit("brat", "SourceIds:T2", "SourceIds:T99"))) == {"tool-reference"}
    problems = run("brat", edit("brat", " Cue:T4", ""))
    assert rules(problems) == {"tool-reference"}


def test_brat_broken_lines_and_notes() -> None:
    assert "tool-standoff" in rules(run("brat", edit("brat", "T1\t", "T1 ")))
    assert "tool-standoff" in rules(run("brat", edit("brat", "T1\tBoilerplateSpan 0", "T1\tBoilerplateSpan x")))
    assert "tool-json" in rules(run("brat", edit("brat", 'AnnotatorNotes T1\t{"id"', "AnnotatorNotes T1\t{id")))
    assert "tool-label" in rules(run("brat", edit("brat", '{"id"', '{"colour": 1, "id"')))


def test_brat_txt_must_be_the_seed() -> None:
    files = exported("brat")
    assert "\r" not in files[f"{DOC}.txt"].decode()
    files[f"{DOC}.txt"] = TEXT.encode()  # with its \r\n: not what brat was given
    assert rules(run("brat", files)) == {"tool-text"}


def test_brat_discontinuous_span() -> None:
    start = brat.brat_text(TEXT).index("Laut")  # brat's offsets: the .txt has \n for \r\n
    files = exported("brat")
    ann = files[MAIN["brat"]].decode()
    old = next(line for line in ann.splitlines() if line.startswith("T") and line.endswith("\tLaut"))
    new = old.split("\t")[0] + f"\tClaimCue {start} {start + 2};{start + 3} {start + 4}\tLa t"
    files[MAIN["brat"]] = ann.replace(old, new).encode()
    assert "tool-offset" in rules(run("brat", files))


def test_inception_offsets_beyond_and_inside_a_character() -> None:
    files = exported("inception")
    xmi = files[MAIN["inception"]].decode()
    beyond = re.sub(r'(<custom:BoilerplateSpan [^>]*end=")\d+', rf"\g<1>{len(TEXT) + 40}", xmi)
    assert rules(run("inception", {**files, MAIN["inception"]: beyond.encode()})) == {"tool-offset"}
    emoji = len("Menü ")  # the emoji's first UTF-16 unit; its second is not a code point boundary
    inside = re.sub(r'(<custom:BoilerplateSpan [^>]*end=")\d+', rf"\g<1>{emoji + 1}", xmi)
    assert rules(run("inception", {**files, MAIN["inception"]: inside.encode()})) == {"tool-offset"}


def test_inception_span_on_whitespace() -> None:
    files = exported("inception")
    xmi = re.sub(r'(<custom:BoilerplateSpan [^>]*end=")\d+', r"\g<1>5", files[MAIN["inception"]].decode())
    assert "tool-whitespace" in rules(run("inception", {**files, MAIN["inception"]: xmi.encode()}))


def test_inception_text_differs() -> None:
    assert rules(run("inception", edit("inception", "Kursk", "Kiew_"))) == {"tool-text"}


def test_inception_unknown_label() -> None:
    assert "tool-label" in rules(run("inception", edit("inception", 'modality="reportive"', 'modality="ironic"')))


def test_inception_link_to_a_span_of_another_layer() -> None:
    files = exported("inception")
    xmi = files[MAIN["inception"]].decode()
    cue_id = re.search(r'<custom:ClaimCue xmi:id="(\d+)"', xmi).group(1)  # type: ignore[union-attr]
    xmi = re.sub(r'(<custom:ClaimSourceIdsLink [^>]*target=")\d+', rf"\g<1>{cue_id}", xmi)
    assert rules(run("inception", {**files, MAIN["inception"]: xmi.encode()})) == {"tool-reference"}


def test_inception_broken_xml() -> None:
    assert rules(run("inception", {MAIN["inception"]: b"<xmi:XMI><unclosed>"})) == {"tool-xml"}
    assert rules(run("inception", {MAIN["inception"]: b"\x00\xff not xml"})) == {"tool-xml"}
    assert rules(run("inception", {MAIN["inception"]: b'<?xml version="1.0"?><other/>'})) == {"tool-xml"}


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" xmi:version="2.0">
<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" sofaString="&lol4;"/></xmi:XMI>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" xmi:version="2.0">
<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" sofaString="&secret;"/></xmi:XMI>"""


@pytest.mark.parametrize("payload", [LAUGHS, EXTERNAL], ids=["billion-laughs", "external-entity"])
def test_inception_entities_are_refused(payload: bytes) -> None:
    files = exported("inception")
    assert rules(run("inception", {**files, MAIN["inception"]: payload})) == {"tool-xml"}
    typesystem = payload.replace(b"xmi:XMI", b"typeSystemDescription")
    assert rules(run("inception", {**files, "TypeSystem.xml": typesystem})) == {"tool-xml"}


def test_inception_type_system_without_the_layers() -> None:
    files = exported("inception")
    files["TypeSystem.xml"] = (
        b'<?xml version="1.0"?><typeSystemDescription xmlns="http://uima.apache.org/resourceSpecifier"/>'
    )
    assert rules(run("inception", files)) == {"tool-xml"}


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_huge_file_is_refused_before_parsing(tool: str) -> None:
    files = exported(tool)
    files[MAIN[tool]] = b" " * (MAX_TOOL_FILE_BYTES + 1)
    assert rules(run(tool, files)) == {"tool-too-large"}


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_missing_file(tool: str) -> None:
    assert rules(run(tool, {"other.bin": b""})) == {"tool-file"}


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_changed_record_without_agent(tool: str) -> None:
    files = edit(tool, "reportive", "speculative")
    _, _, _, problems = TOOLS[tool].import_document(files, DOC, TEXT, DOCUMENT, [ENTITY], [], LABELS, None)
    assert rules(problems) == {"tool-user"}


@pytest.mark.parametrize("tool", sorted(TOOLS))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_mangled_exports_never_raise(tool: str, data) -> None:
    files = exported(tool)
    content = files[MAIN[tool]]
    start = data.draw(st.integers(0, len(content)))
    end = data.draw(st.integers(start, min(len(content), start + 40)))
    junk = data.draw(st.binary(max_size=12) | st.sampled_from([b"<", b"&", b'"', b"\t", b"\n", b"{", b"]", b"999999"]))
    files[MAIN[tool]] = content[:start] + junk + content[end:]
    run(tool, files)  # problems or none, but never an exception


def test_labelstudio_annotations_missing_or_ambiguous() -> None:
    files = exported("labelstudio")
    tasks = json.loads(files[MAIN["labelstudio"]])
    annotation = tasks[0]["annotations"][0]
    for submitted in ([], [annotation, annotation], [{**annotation, "was_cancelled": True}]):
        tasks[0]["annotations"] = submitted
        assert rules(run("labelstudio", {MAIN["labelstudio"]: json.dumps(tasks).encode()})) == {"tool-file"}
    tasks[0]["annotations"] = [annotation, {**annotation, "ground_truth": True}]
    assert run("labelstudio", {MAIN["labelstudio"]: json.dumps(tasks).encode()}) == []
