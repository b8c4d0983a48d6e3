"""export-tool and import-tool on the command line: the real data round-trips through every tool with no diff;
changes come back with ids and provenance; hostile or invalid exports are refused whole, with rule ids."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dataset.layers import LAYERS
from dataset.repo import Repo
from dataset.rules import RULES
from dataset.tools import MAX_TOOL_FILE_BYTES, TOOLS
from dataset.write.tools import MARKER

from .conftest import ROOT, dataset_cli, snapshot

USER = "annotator-t1"
MAIN = {"inception": "{}.xmi", "labelstudio": "{}.json", "brat": "{}.ann"}


def git(root: Path, *args: str) -> str:
    command = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """A scratch git clone of the repository's data: schemas, seeds, annotations and README."""
    root = tmp_path_factory.mktemp("real") / "repo"
    for name in ("schema", "seeds", "annotations"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy2(ROOT / "README.md", root / "README.md")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return Repo(root)


def export(repo: Repo, tool: str, out: Path, *options: str):
    result = dataset_cli(repo, "export-tool", tool, "--out", str(out), *options)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def main_file(tool: str, doc: str) -> str:
    return MAIN[tool].format(doc)


def refused(repo: Repo, tool: str, folder: Path, rule: str, *options: str) -> str:
    """Import, expecting a refusal with the rule; the repository must be unchanged."""
    before = snapshot(repo.root)
    result = dataset_cli(repo, "import-tool", tool, str(folder), "--user", USER, *options)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert re.search(rf"^\S.*:\d+: {rule}: ", result.stdout, flags=re.M), output
    assert "Traceback" not in output and "nothing was written" in result.stderr
    assert snapshot(repo.root) == before
    return result.stdout


# ---------------------------------------------------------------- help


@pytest.mark.parametrize("command", ["export-tool", "import-tool"])
def test_help_lists_the_tools_from_the_registry(mini: Repo, command: str) -> None:
    result = dataset_cli(mini, command, "--help")
    assert result.returncode == 0
    assert "{" + ",".join(TOOLS) + "}" in result.stdout
    for name, description in TOOLS.items():
        assert f"{name} " in result.stdout and description in result.stdout
    assert "[tools]" in result.stdout and "CONTRIBUTING.md" in result.stdout
    options = ("--out", "--doc", "--suggestions") if command == "export-tool" else ("DIR", "--user", "--reviewer")
    assert all(option in result.stdout for option in options)
    assert dataset_cli(mini, command, "gate").returncode == 2  # not a tool: a usage error


# ---------------------------------------------------------------- the real data


@pytest.mark.parametrize("tool", list(TOOLS))
def test_real_repository_round_trips_with_no_diff(real: Repo, tool: str, tmp_path: Path) -> None:
    before = snapshot(real.root)
    out = tmp_path / tool
    export(real, tool, out)
    assert (out / MARKER).is_file()
    for doc in real.seeds.glob("*.txt"):
        assert (out / main_file(tool, doc.stem)).is_file()
    result = dataset_cli(real, "import-tool", tool, str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("nothing changed")
    assert snapshot(real.root) == before
    assert git(real.root, "status", "--porcelain") == ""
    diff = dataset_cli(real, "diff", "HEAD")
    for layer in LAYERS:
        assert f"### {layer.name}: 0 added, 0 removed, 0 changed" in diff.stdout


def test_real_repository_with_a_stored_pass_as_suggestions(real: Repo, tmp_path: Path) -> None:
    """A stored first pass keeps its role; its records become the tool's pre-annotations, still marked as such."""
    first_pass = real.annotations / "review" / "first-pass"
    doc = sorted(p.stem for p in real.seeds.glob("*.txt"))[0]
    for tool in TOOLS:
        out = tmp_path / tool
        export(real, tool, out, "--suggestions", str(first_pass), "--doc", doc)
        assert len(list(out.glob("*" + main_file(tool, "")))) == 1
        result = dataset_cli(real, "import-tool", tool, str(out))
        assert result.returncode == 0 and result.stdout.startswith("nothing changed"), result.stdout + result.stderr
    assert "\tSuggestion " in (tmp_path / "brat" / f"{doc}.ann").read_text(encoding="utf-8")
    task = json.loads((tmp_path / "labelstudio" / f"{doc}.json").read_text(encoding="utf-8"))[0]
    assert task["predictions"][0]["result"]


# ---------------------------------------------------------------- changes come back


def test_changed_record_gets_a_new_id_and_the_users_provenance(mini: Repo, tmp_path: Path) -> None:
    export(mini, "brat", tmp_path / "brat")
    ann = tmp_path / "brat" / "100_mini.ann"
    ann.write_text(ann.read_text(encoding="utf-8").replace(" reportive\n", " speculative\n"), encoding="utf-8")
    claims = mini.root / "annotations/claims/100_mini.jsonl"
    others = {k: v for k, v in snapshot(mini.root).items() if "claims/100_mini" not in k and k != "README.md"}
    result = dataset_cli(mini, "import-tool", "brat", str(tmp_path / "brat"), "--user", USER)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "annotations/claims/100_mini.jsonl: 1 added, 1 removed" in result.stdout
    [record] = [json.loads(line) for line in claims.read_text(encoding="utf-8").splitlines()]
    assert record["id"] == "100_mini:claim-002" and record["modality"] == "speculative"
    assert (record["annotated_by"], record["reviewed_by"], record["review_status"]) == (USER, None, "unreviewed")
    after = snapshot(mini.root)
    assert {k: v for k, v in after.items() if k in others} == others
    assert dataset_cli(mini, "validate").returncode == 0
    assert dataset_cli(mini, "build", "--check").returncode == 0  # the transaction rebuilt the derived files


def test_inception_project_export_layout_and_curation(mini: Repo, tmp_path: Path) -> None:
    """An INCEpTION export keeps a folder per document; the curation user's file is a review of the records."""
    flat = tmp_path / "flat"
    export(mini, "inception", flat)
    project = tmp_path / "project"
    (project / "annotation" / "101_mini.xmi").mkdir(parents=True)
    (project / "curation" / "100_mini.xmi").mkdir(parents=True)
    (project / "source").mkdir()
    shutil.copy(flat / "101_mini.xmi", project / "source" / "101_mini.xmi")  # the document as it was imported
    export_zip = project / "annotation" / "101_mini.xmi" / "webanno123export"  # an unzipped per-user export
    export_zip.mkdir()
    shutil.copy(flat / "TypeSystem.xml", export_zip / "TypeSystem.xml")
    shutil.copy(flat / "101_mini.xmi", export_zip / "anna.xmi")
    shutil.copy(flat / "TypeSystem.xml", project / "TypeSystem.xml")
    xmi = (flat / "100_mini.xmi").read_text(encoding="utf-8").replace('modality="reportive"', 'modality="asserted"')
    (project / "curation" / "100_mini.xmi" / "CURATION_USER.xmi").write_text(xmi, encoding="utf-8")
    result = dataset_cli(mini, "import-tool", "inception", str(project), "--reviewer", "reviewer-r1")
    assert result.returncode == 0, result.stdout + result.stderr
    [claim] = [json.loads(line) for line in (mini.root / "annotations/claims/100_mini.jsonl").open(encoding="utf-8")]
    assert claim["modality"] == "asserted"
    assert (claim["annotated_by"], claim["reviewed_by"], claim["review_status"]) == (
        "test-annotator",
        "reviewer-r1",
        "corrected",
    )


def test_labelstudio_project_export_in_one_file(mini: Repo, tmp_path: Path) -> None:
    """Label Studio exports every task of a project in one JSON file; tasks are told apart by data.doc_id."""
    export(mini, "labelstudio", tmp_path / "tasks")
    tasks = [json.loads(p.read_text(encoding="utf-8"))[0] for p in sorted((tmp_path / "tasks").glob("*.json"))]
    for task in tasks:
        task["annotations"][0] |= {"id": 1, "completed_by": 1, "was_cancelled": False}
    (tmp_path / "ls").mkdir()
    (tmp_path / "ls" / "project-1-at-2024.json").write_text(json.dumps(tasks), encoding="utf-8")
    before = snapshot(mini.root)
    result = dataset_cli(mini, "import-tool", "labelstudio", str(tmp_path / "ls"))
    assert result.returncode == 0 and result.stdout.startswith("nothing changed"), result.stdout + result.stderr
    assert snapshot(mini.root) == before
    tasks.append(tasks[0])
    (tmp_path / "ls" / "project-1-at-2024.json").write_text(json.dumps(tasks), encoding="utf-8")
    assert "a second task of 100_mini" in refused(mini, "labelstudio", tmp_path / "ls", "tool-file")


def test_new_entity_described_differently_in_two_documents(mini: Repo, tmp_path: Path) -> None:
    export(mini, "labelstudio", tmp_path / "ls")
    for doc, name in (("100_mini", "One"), ("101_mini", "Other")):
        path = tmp_path / "ls" / f"{doc}.json"
        tasks = json.loads(path.read_text(encoding="utf-8"))
        for result in tasks[0]["annotations"][0]["result"]:
            if result.get("from_name") == "sources.entity_id":
                result["value"]["text"] = ["ent-new"]
            if result.get("from_name") == "sources.entity.name":
                result["value"]["text"] = [name]
        path.write_text(json.dumps(tasks), encoding="utf-8")
    output = refused(mini, "labelstudio", tmp_path / "ls", "tool-reference")
    assert "ent-new is described differently in the exports of two documents" in output


def test_import_that_would_not_validate_writes_nothing(mini: Repo, tmp_path: Path) -> None:
    export(mini, "brat", tmp_path / "brat")
    ann = tmp_path / "brat" / "100_mini.ann"
    ann.write_text(
        ann.read_text(encoding="utf-8") + "T9\tBoilerplateSpan 0 4\tMenü\nA9\tBoilerplateSpanCategory T9 navigation\n",
        encoding="utf-8",
    )
    output = refused(mini, "brat", tmp_path / "brat", "boilerplate-overlap")
    assert "annotations/boilerplate/100_mini.jsonl:" in output


def test_seed_that_is_not_the_pinned_one(mini: Repo, tmp_path: Path) -> None:
    export(mini, "brat", tmp_path / "brat")
    seed = mini.seed("100_mini")
    seed.write_bytes(seed.read_bytes() + b" ")
    assert "is not the pinned one" in refused(mini, "brat", tmp_path / "brat", "seed-digest")


def test_layer_file_that_does_not_read_cleanly_is_not_rewritten(mini: Repo, tmp_path: Path) -> None:
    export(mini, "brat", tmp_path / "brat")
    claims = mini.root / "annotations/claims/100_mini.jsonl"
    claims.write_bytes(claims.read_bytes() + b"{broken\n")
    refused(mini, "brat", tmp_path / "brat", "json")


# ---------------------------------------------------------------- hostile exports


def _replace(old: str, new: str):
    def mutate(text: str) -> str:
        assert old in text, (old, text[:300])
        return text.replace(old, new, 1)

    return mutate


def _region(**value):
    """A Label Studio task with the source mention's region changed."""

    def mutate(text: str) -> str:
        tasks = json.loads(text)
        result = tasks[0]["annotations"][0]["result"]
        next(r for r in result if r["type"] == "labels" and r["from_name"] == "sources")["value"].update(value)
        return json.dumps(tasks)

    return mutate


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" xmi:version="2.0">
<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" sofaString="&lol3;"/></xmi:XMI>"""

HOSTILE = {  # case -> (tool, what is done to the export of 100_mini, the rule that refuses it)
    "brat-offsets-beyond-the-text": (
        "brat",
        _replace("SourceMention 11 14\t", "SourceMention 11 9999\t"),
        "tool-offset",
    ),
    "brat-span-on-whitespace": (
        "brat",
        _replace("SourceMention 11 14\tCNN", "SourceMention 10 14\t CNN"),
        "tool-whitespace",
    ),
    "brat-unknown-label": ("brat", _replace("\tSourceMention ", "\tRumour "), "tool-label"),
    "brat-unknown-value": ("brat", _replace(" reportive\n", " ironic\n"), "tool-label"),
    "labelstudio-offsets-beyond-the-text": ("labelstudio", _region(end=9999, text=None), "tool-offset"),
    "labelstudio-span-on-whitespace": ("labelstudio", _region(start=10, text=" CNN"), "tool-whitespace"),
    "labelstudio-unknown-label": ("labelstudio", _region(labels=["Rumour"]), "tool-label"),
    "labelstudio-broken-json": ("labelstudio", _replace('"data": {', '"data": {{'), "tool-json"),
    "inception-offsets-beyond-the-text": (
        "inception",
        _replace('begin="11" end="14"', 'begin="11" end="9999"'),
        "tool-offset",
    ),
    "inception-span-on-whitespace": (
        "inception",
        _replace('begin="11" end="14"', 'begin="10" end="14"'),
        "tool-whitespace",
    ),
    "inception-unknown-label": ("inception", _replace('modality="reportive"', 'modality="ironic"'), "tool-label"),
    "inception-broken-xml": ("inception", _replace("</xmi:XMI>", "</xmi:XM"), "tool-xml"),
    "inception-entity-expansion": ("inception", lambda text: LAUGHS, "tool-xml"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_export_is_refused_whole(mini: Repo, tmp_path: Path, case: str) -> None:
    tool, mutate, rule = HOSTILE[case]
    out = tmp_path / tool
    export(mini, tool, out)
    path = out / main_file(tool, "100_mini")
    path.write_text(mutate(path.read_text(encoding="utf-8")), encoding="utf-8")
    output = refused(mini, tool, out, rule)
    assert f"{path}:" in output  # located at the tool's file


@pytest.mark.parametrize("tool", list(TOOLS))
def test_huge_file_is_refused_unread(mini: Repo, tmp_path: Path, tool: str) -> None:
    out = tmp_path / tool
    export(mini, tool, out)
    with (out / main_file(tool, "101_mini")).open("r+b") as handle:
        handle.truncate(MAX_TOOL_FILE_BYTES + 1)  # sparse: costs no disk, and is never read
    output = refused(mini, tool, out, "file-too-large")
    assert len(output.splitlines()) == 1  # said once, at the file: nothing else is read for that document


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_link_in_the_export_is_not_followed(mini: Repo, tmp_path: Path) -> None:
    out = tmp_path / "brat"
    export(mini, "brat", out)
    target = tmp_path / "elsewhere.ann"
    (out / "101_mini.ann").rename(target)
    (out / "101_mini.ann").symlink_to(target)
    refused(mini, "brat", out, "symlink")


def test_files_of_unknown_or_repeated_documents(mini: Repo, tmp_path: Path) -> None:
    out = tmp_path / "brat"
    export(mini, "brat", out)
    (out / "999_other.ann").write_text("", encoding="utf-8")
    assert "a file of no document of the dataset" in refused(mini, "brat", out, "tool-file")
    (out / "999_other.ann").unlink()
    (out / "copy").mkdir()
    shutil.copy(out / "100_mini.ann", out / "copy" / "100_mini.ann")
    assert "a second export of 100_mini" in refused(mini, "brat", out, "tool-file")


def test_missing_or_empty_folder(mini: Repo, tmp_path: Path) -> None:
    refused(mini, "brat", tmp_path / "absent", "tool-file")
    (tmp_path / "empty").mkdir()
    assert "no brat export of any document" in refused(mini, "brat", tmp_path / "empty", "tool-file")


# ---------------------------------------------------------------- the output folder and the optional extra


def test_export_never_replaces_a_folder_it_did_not_make(mini: Repo, tmp_path: Path) -> None:
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    result = dataset_cli(mini, "export-tool", "brat", "--out", str(foreign))
    assert result.returncode == 1 and f"{foreign}:0: tool-out: " in result.stdout
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    out = tmp_path / "export"
    export(mini, "brat", out)
    (out / "stale.ann").write_text("", encoding="utf-8")
    export(mini, "labelstudio", out, "--doc", "101_mini")  # its own earlier export is replaced whole
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "101_mini.json", "label_config.xml"])
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folder left behind


def test_export_refuses_invalid_data_and_unknown_documents(mini: Repo, tmp_path: Path) -> None:
    unknown = dataset_cli(mini, "export-tool", "brat", "--out", str(tmp_path / "a"), "--doc", "nope")
    assert unknown.returncode == 2 and ".:0: usage: --doc: unknown document 'nope'" in unknown.stderr
    claims = mini.root / "annotations/claims/100_mini.jsonl"
    claims.write_text(claims.read_text(encoding="utf-8").replace('"reportive"', '"ironic"'), encoding="utf-8")
    result = dataset_cli(mini, "export-tool", "brat", "--out", str(tmp_path / "b"))
    assert result.returncode == 1 and "annotations/claims/100_mini.jsonl:1: schema: " in result.stdout
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_suggestions_from_a_prediction_folder(mini: Repo, tmp_path: Path) -> None:
    prediction = tmp_path / "prediction"
    for layer in ("boilerplate", "sources", "claims"):
        shutil.copytree(mini.annotations / layer, prediction / layer)
    for tool in TOOLS:
        export(mini, tool, tmp_path / tool, "--suggestions", str(prediction))
        result = dataset_cli(mini, "import-tool", tool, str(tmp_path / tool))
        assert result.returncode == 0 and result.stdout.startswith("nothing changed"), result.stdout + result.stderr
    assert (tmp_path / "brat" / "100_mini.ann").read_text(encoding="utf-8").count("\tSuggestion ") == 5
    bad = dataset_cli(mini, "export-tool", "brat", "--out", str(tmp_path / "x"), "--suggestions", str(tmp_path))
    assert bad.returncode == 2 and "usage: --suggestions: not a folder laid out like annotations/" in bad.stderr


@pytest.mark.parametrize("command", ["export-tool", "import-tool"])
def test_missing_extra_is_named(mini: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    monkeypatch.setitem(sys.modules, "cassis", None)  # as if dkpro-cassis were not installed
    monkeypatch.delitem(sys.modules, "dataset.tools.inception")
    args = ["--out", str(tmp_path / "x")] if command == "export-tool" else [str(tmp_path)]
    result = dataset_cli(mini, command, "inception", *args)
    assert result.returncode == 2
    assert result.stderr.startswith(".:0: tool-extra: the inception converter needs the optional [tools]")
    assert "pip install 'kursk-claims[tools]'" in result.stderr and "Traceback" not in result.stderr


def test_contributing_has_a_section_per_tool() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text[text.index("## Annotate in a tool") :]
    section = section[: section.index("\n## ", 1)]
    for description in TOOLS.values():
        assert f"\n### {description.split(':')[0].split(' / ')[0]}\n" in section, description
    assert MARKER in section and "nothing changed" in section and "[tools]" in section
    for rule in re.findall(r"`([a-z]+(?:-[a-z0-9]+)+)`", section):
        if rule.startswith("tool-") or rule.startswith("unused-"):
            assert rule in RULES, rule
