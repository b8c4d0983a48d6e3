"""add: errors a contributor can act on, and registry records made with their first use; nothing half-written."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from dataset.anchor import AnchorError, locate
from dataset.check.run import validate
from dataset.layers import BY_NAME
from dataset.repo import Repo

from .conftest import ROOT, dataset_cli, snapshot
from .test_rules import rows

A = "annotations"
CLAIM = ["--type", "event", "--modality", "asserted", "--annotated-by", "contributor-1"]


def add(repo: Repo, layer: str, *args: str):
    return dataset_cli(repo, "add", layer, *args)


def refused(repo: Repo, before: dict, result, code: int, *expected: str) -> None:
    """A refusal: its exit code, every expected text in stderr, no traceback, and not one byte changed."""
    assert result.returncode == code, result.stdout + result.stderr
    for text in expected:
        assert text in result.stderr, (text, result.stderr)
    assert "Traceback" not in result.stderr and "internal-error" not in result.stderr
    assert snapshot(repo.root) == before


# -- usage errors -----------------------------------------------------------------------------------------------


def test_every_add_layer_has_help(mini: Repo) -> None:
    for layer in BY_NAME.values():
        if not layer.is_document:
            result = add(mini, layer.name, "--help")
            assert result.returncode == 0 and "usage:" in result.stdout, layer.name


def test_a_missing_required_option_is_a_usage_error_naming_it(mini: Repo) -> None:
    before = snapshot(mini.root)
    result = add(mini, "claims", "--doc", "101_mini", "--quote", "sagte Patel", "--modality", "asserted",
                 "--annotated-by", "c")  # fmt: skip
    refused(mini, before, result, 2, ".:0: usage: ", "the following arguments are required: --type")
    result = add(mini, "sources", "--doc", "101_mini", "--quote", "Patel", "--annotated-by", "c")
    refused(mini, before, result, 2, "one of the arguments --entity-id --new-entity is required")


@pytest.mark.parametrize(
    "value",
    ['{"value": NaN, "unit": "soldiers", "qualifier": "exact"}', "Infinity", '{"value": 1e400}', '{"a": 1, "a": 2}'],
)
def test_quantity_is_parsed_strictly(mini: Repo, value: str) -> None:
    before = snapshot(mini.root)
    result = add(mini, "claims", "--doc", "101_mini", "--quote", "sagte Patel", *CLAIM, "--quantity", value)
    refused(mini, before, result, 2, ".:0: usage: ", "argument --quantity: not a valid JSON value")
    assert "invalid JSON" not in result.stderr and ".jsonl" not in result.stderr  # no line the user never wrote


@pytest.mark.parametrize("option", ["--note", "--quote"])
def test_an_argument_that_is_not_text_is_a_usage_error(mini: Repo, option: str) -> None:
    """Bytes that are not UTF-8 reach Python's argv as lone surrogates (add --note $'\\xff')."""
    before = snapshot(mini.root)
    args = {"--doc": "101_mini", "--quote": "sagte Patel", "--note": "fine"}
    args[option] = os.fsdecode(b"\xff")
    result = add(mini, "claims", *[x for pair in args.items() for x in pair], *CLAIM)
    refused(mini, before, result, 2, f"argument {option}: not valid UTF-8 text: b'\\xff'")


def test_a_schema_error_of_the_record_names_the_option_and_says_not_written(mini: Repo) -> None:
    before = snapshot(mini.root)
    result = add(mini, "claims", "--doc", "101_mini", "--quote", "sagte Patel", "--type", "quantity",
                 "--modality", "asserted", "--annotated-by", "Not An Id")  # fmt: skip
    refused(mini, before, result, 2, ".:0: usage: add claims: --quantity: ", ".:0: usage: add claims: --annotated-by: ")
    assert result.stderr.endswith("add: not written: fix the options above\n")
    assert ".jsonl:" not in result.stderr  # never a line of a file that does not hold the record


def test_an_unknown_document_is_a_usage_error(mini: Repo) -> None:
    before = snapshot(mini.root)
    result = add(mini, "claims", "--doc", "102_nothing", "--quote", "x", *CLAIM)
    refused(mini, before, result, 2, "--doc: unknown document '102_nothing'", "add: not written")


# -- quotes -----------------------------------------------------------------------------------------------------


def test_locate_names_every_occurrence_and_the_nearest_miss() -> None:
    text = "Erste Zeile.\nLaut CNN und laut dpa: Laut Reuters.\n"
    with pytest.raises(AnchorError) as ambiguous:
        locate(text, "Laut")
    assert (ambiguous.value.line, str(ambiguous.value)) == (
        2,
        "quote occurs 2 times, at 2:1, 2:24 (line:column); pass --occurrence 1..2",
    )
    with pytest.raises(AnchorError) as missing:
        locate(text, "Laut Reuter.")
    assert missing.value.line == 2 and 'nearest text at 2:24 is "Laut Reuters' in str(missing.value)
    claim = text.index("Laut Reuters")
    assert locate(text, "Laut", within=(claim, claim + 12)) == (claim, claim + 4)  # the one inside the claim wins
    with pytest.raises(AnchorError):
        locate(text, "Laut", within=(0, 40))  # two inside: still ambiguous


def test_a_cue_is_found_in_its_claim_and_an_ambiguous_one_says_where(mini: Repo) -> None:
    before = snapshot(mini.root)
    result = add(mini, "claims", "--doc", "100_mini", "--quote", "Mehr lesen", *CLAIM, "--cue", "e")
    refused(
        mini,
        before,
        result,
        1,
        "seeds/100_mini.txt:1: anchor: --cue: quote occurs 5 times, at 1:2, 3:24",
        "pass --cue-occurrence 1..",
    )


# -- registry records with their first use -----------------------------------------------------------------------

NEW_ENTITY = ["--new-entity", "Kursk Radio", "--entity-type", "outlet", "--entity-description", "A radio station."]


def test_new_entity_is_created_with_its_first_mention(mini: Repo) -> None:
    result = add(mini, "sources", "--doc", "100_mini", "--quote", "Kursk", *NEW_ENTITY, "--annotated-by", "c")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f'{A}/entities.jsonl:2: added ent-kursk-radio "Kursk Radio"\n')
    entity = next(e for e in rows(mini.root / f"{A}/entities.jsonl") if e["id"] == "ent-kursk-radio")
    assert entity == {
        "id": "ent-kursk-radio",
        "name": "Kursk Radio",
        "type": "outlet",
        "description": "A radio station.",
        "annotated_by": "c",
        "reviewed_by": None,
        "review_status": "unreviewed",
        "note": None,
    }
    mention = rows(mini.root / f"{A}/sources/100_mini.jsonl")[-1]
    assert (mention["text"], mention["entity_id"]) == ("Kursk", "ent-kursk-radio")
    assert validate(mini).ok


def test_new_entity_whose_id_is_taken_is_refused(mini: Repo) -> None:
    before = snapshot(mini.root)
    args = ["--new-entity", "CNN", "--entity-type", "outlet", "--entity-description", "x", "--annotated-by", "c"]
    result = add(mini, "sources", "--doc", "100_mini", "--quote", "Kursk", *args)
    refused(mini, before, result, 1, f"{A}/entities.jsonl:1: id-taken: entity ent-cnn exists already", "--entity-id")


def test_a_name_with_nothing_to_make_an_id_from_is_a_usage_error(mini: Repo) -> None:
    before = snapshot(mini.root)
    args = ["--new-entity", "Кремль", "--entity-type", "government-body", "--entity-description", "x"]
    result = add(mini, "sources", "--doc", "100_mini", "--quote", "Kursk", *args, "--annotated-by", "c")
    refused(mini, before, result, 2, "--new-entity: 'Кремль' has no letters or digits (a-z, 0-9) to make an id from")


def test_new_entity_options_go_together(mini: Repo) -> None:
    before = snapshot(mini.root)
    result = add(mini, "sources", "--doc", "100_mini", "--quote", "Kursk", "--new-entity", "X", "--annotated-by", "c")
    refused(mini, before, result, 2, "--new-entity needs --entity-type, --entity-description")
    args = ["--entity-id", "ent-cnn", "--entity-type", "outlet", "--annotated-by", "c"]
    result = add(mini, "sources", "--doc", "100_mini", "--quote", "Kursk", *args)
    refused(mini, before, result, 2, "--entity-type only with --new-entity")


NEW_CLUSTER = ["--new-cluster", "--statement-de", "Patel sprach.", "--statement-en", "Patel spoke."]


def test_new_cluster_of_one_document_needs_a_conflict(mini: Repo) -> None:
    before = snapshot(mini.root)
    result = add(mini, "claims", "--doc", "101_mini", "--quote", "sagte Patel", *CLAIM, *NEW_CLUSTER)
    refused(mini, before, result, 1, "cluster-single-document", "add: not written")
    result = add(
        mini,
        "claims",
        "--doc",
        "101_mini",
        "--quote",
        "sagte Patel",
        *CLAIM,
        *NEW_CLUSTER,
        "--conflicts-with",
        "cl-fifty",
    )
    assert result.returncode == 0, result.stderr
    clusters = {c["id"]: c for c in rows(mini.root / f"{A}/clusters.jsonl")}
    assert clusters["cl-patel-spoke"]["conflicts_with"] == ["cl-fifty"]
    assert clusters["cl-fifty"]["conflicts_with"] == ["cl-patel-spoke"]  # written on both
    assert clusters["cl-fifty"]["review_status"] == "unreviewed"  # changed, so to be reviewed again
    assert rows(mini.root / f"{A}/claims/101_mini.jsonl")[-1]["cluster_id"] == "cl-patel-spoke"
    assert validate(mini).ok


def test_changing_conflicts_keeps_them_symmetric(mini: Repo) -> None:
    conflict = ["--conflicts-with", "cl-fifty"]
    assert (
        add(mini, "claims", "--doc", "101_mini", "--quote", "sagte Patel", *CLAIM, *NEW_CLUSTER, *conflict).returncode
        == 0
    )
    other = [
        "--new-cluster",
        "cl-menu",
        "--statement-de",
        "M.",
        "--statement-en",
        "M.",
        "--conflicts-with",
        "cl-patel-spoke",
    ]
    assert add(mini, "claims", "--doc", "100_mini", "--quote", "50 Soldaten", *CLAIM, *other).returncode == 0
    result = dataset_cli(mini, "add", "clusters", "--id", "cl-patel-spoke", "--conflicts-with", "cl-menu")
    assert result.returncode == 0, result.stderr
    assert "changed cl-fifty (the link back to cl-patel-spoke)" in result.stdout
    clusters = {c["id"]: c["conflicts_with"] for c in rows(mini.root / f"{A}/clusters.jsonl")}
    assert clusters == {"cl-fifty": [], "cl-menu": ["cl-patel-spoke"], "cl-patel-spoke": ["cl-menu"]}
    assert validate(mini).ok


def test_add_clusters_makes_a_cluster_only_with_its_claims(mini: Repo) -> None:
    before = snapshot(mini.root)
    statements = ["--statement-de", "Zwei.", "--statement-en", "Two claims agree.", "--annotated-by", "c"]
    result = dataset_cli(mini, "add", "clusters", *statements)
    refused(mini, before, result, 2, "a new cluster must be used by a record", "--claims ID", "--new-cluster")
    for doc, quote in (("100_mini", "50 Soldaten"), ("101_mini", "sagte Patel")):
        assert add(mini, "claims", "--doc", doc, "--quote", quote, *CLAIM).returncode == 0
    members = ["--claims", "100_mini:claim-002", "--claims", "101_mini:claim-002"]
    result = dataset_cli(mini, "add", "clusters", *statements, *members)
    assert result.returncode == 0, result.stderr
    assert "added cl-two-claims-agree" in result.stdout
    for doc in ("100_mini", "101_mini"):
        assert rows(mini.root / f"{A}/claims/{doc}.jsonl")[-1]["cluster_id"] == "cl-two-claims-agree"
    assert validate(mini).ok


def test_add_registry_changes_an_existing_record(mini: Repo) -> None:
    result = dataset_cli(mini, "add", "entities", "--id", "ent-cnn", "--description", "Cable News Network.")
    assert result.returncode == 0, result.stderr
    cnn = next(e for e in rows(mini.root / f"{A}/entities.jsonl") if e["id"] == "ent-cnn")
    assert (cnn["description"], cnn["name"], cnn["review_status"]) == ("Cable News Network.", "CNN", "unreviewed")
    before = snapshot(mini.root)
    refused(mini, before, dataset_cli(mini, "add", "clusters", "--id", "cl-fifty"), 2, "nothing to change")
    result = dataset_cli(mini, "add", "clusters", "--id", "cl-fifty", "--claims", "101_mini:claim-009")
    refused(mini, before, result, 2, "--claims: no record 101_mini:claim-009")


def test_add_registry_never_changes_a_record_it_was_asked_to_create(mini: Repo) -> None:
    before = snapshot(mini.root)
    args = ["--name", "CNN", "--type", "outlet", "--description", "x", "--annotated-by", "c"]
    result = dataset_cli(mini, "add", "entities", *args, "--sources", "101_mini:src-001")
    refused(mini, before, result, 1, f"{A}/entities.jsonl:1: id-taken: entity ent-cnn exists already", "--id ent-cnn")


def test_a_registry_change_that_breaks_the_data_is_refused(mini: Repo) -> None:
    """Moving CNN's only mention to a new entity would leave ent-cnn unused: refused, nothing written."""
    before = snapshot(mini.root)
    args = ["--name", "Cable", "--type", "outlet", "--description", "x", "--annotated-by", "c"]
    result = dataset_cli(mini, "add", "entities", *args, "--sources", "100_mini:src-001")
    refused(mini, before, result, 1, "unused-entity", "add: not written")


# -- the command line -------------------------------------------------------------------------------------------


def test_version() -> None:
    result = subprocess.run([sys.executable, "-m", "dataset", "--version"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("python -m dataset ")


def test_a_closed_pipe_is_quiet_and_not_an_error(mini: Repo) -> None:
    """`stats | head -1`: the reader went away; exit 0 and no `io` message, as head's other writers do."""
    read, write = os.pipe()
    os.close(read)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "dataset", "--root", str(mini.root), "stats"], stdout=write, stderr=subprocess.PIPE,
        env=env, text=True,
    )  # fmt: skip
    os.close(write)
    assert result.returncode == 0 and result.stderr == ""


def test_every_span_layer_option_comes_from_the_schema(mini: Repo) -> None:
    """No option list is typed by hand: each field of a span layer's schema is an option (or computed)."""
    text = add(mini, "claims", "--help").stdout
    schema = json.loads((mini.schema_dir / "claims.schema.json").read_text(encoding="utf-8"))
    for field in ("type", "modality", "source_ids", "quantity", "cluster_id", "cue", "annotated_by", "note"):
        assert f"--{field.replace('_', '-')}" in text and field in schema["properties"]
