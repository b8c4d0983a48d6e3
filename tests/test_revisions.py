"""Reading records at a git revision (diff, report --changed-since): user-given revisions never reach git as options,
and every file is read as the validator reads it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dataset.layers import BY_NAME
from dataset.read.revisions import RevisionError, layer_records, resolve
from dataset.repo import Repo

from .conftest import dataset_cli
from .test_report import git, git_status
from .test_rules import rows

CLAIMS = "annotations/claims/100_mini.jsonl"
# Line and paragraph separators and NEL: str.splitlines() breaks a line at each, JSONL only at "\n".
SEPARATORS = "eins\u2028zwei\u2029drei\x85vier"


def committed(repo: Repo) -> Repo:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return repo


def write_raw(path: Path, records: list[dict]) -> None:
    """Records as one line each, separators left unescaped (json.dumps with ensure_ascii=False does not escape them)."""
    path.write_bytes("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8"))


@pytest.mark.parametrize(
    "command",
    [
        lambda target: ["diff", "--", f"--output={target}"],
        lambda target: ["diff", "HEAD", "--", f"--output={target}"],
        lambda target: ["report", "--out", str(target.parent / "site"), f"--changed-since=--output={target}"],
    ],
    ids=["diff-rev1", "diff-rev2", "report-changed-since"],
)
def test_an_option_like_revision_is_refused_and_writes_nothing(mini: Repo, tmp_path: Path, command) -> None:
    committed(mini)
    target = tmp_path / "written-by-git"
    status = git_status(mini)
    result = dataset_cli(mini, *command(target))
    assert result.returncode == 2
    assert f"'--output={target}' is not a revision name" in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists() and not (tmp_path / "site").exists()
    assert git_status(mini) == status


def test_an_unknown_revision_is_a_clear_error(mini: Repo, tmp_path: Path) -> None:
    committed(mini)
    result = dataset_cli(mini, "diff", "no-such-rev")
    assert result.returncode == 2
    assert result.stderr.strip() == "diff: unknown revision 'no-such-rev': git knows no commit by that name"
    with pytest.raises(RevisionError, match="not a git repository"):
        resolve(Repo(tmp_path), "HEAD")  # outside any git checkout: git's reason is kept


def test_a_revision_is_resolved_to_its_commit(mini: Repo) -> None:
    committed(mini)
    head = resolve(mini, "HEAD")
    assert len(head) == 40 and resolve(mini, "main") == resolve(mini, head) == head
    with pytest.raises(RevisionError):
        resolve(mini, "HEAD:annotations")  # a tree, not a commit


def test_a_note_with_line_separators_round_trips_through_a_revision(mini: Repo) -> None:
    claims = rows(mini.root / CLAIMS)
    claims[0]["note"] = SEPARATORS
    write_raw(mini.root / CLAIMS, claims)
    assert SEPARATORS.encode("utf-8") in (mini.root / CLAIMS).read_bytes()  # written raw, not escaped
    committed(mini)
    layer = BY_NAME["claims"]
    at_head = layer_records(mini, layer, "HEAD")
    assert at_head["100_mini:claim-001"]["note"] == SEPARATORS
    assert at_head == layer_records(mini, layer, None)
    assert "### claims: 0 added, 0 removed, 0 changed" in dataset_cli(mini, "diff", "HEAD").stdout

    claims[0]["note"] = SEPARATORS + " (reviewed)"
    write_raw(mini.root / CLAIMS, claims)
    result = dataset_cli(mini, "diff", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "### claims: 0 added, 0 removed, 1 changed" in result.stdout
    assert "- changed `100_mini:claim-001`: note: " in result.stdout


def test_invalid_utf8_in_the_working_tree_or_at_a_revision_is_a_clear_error(mini: Repo) -> None:
    committed(mini)
    good = (mini.root / CLAIMS).read_bytes()
    (mini.root / CLAIMS).write_bytes(good + b'{"id": "\xff"}\n')
    line = len(good.splitlines()) + 1
    problem = f"{CLAIMS}:{line}: encoding: file is not valid UTF-8"
    result = dataset_cli(mini, "diff", "HEAD")
    assert result.returncode == 2
    assert f"in the working tree: {problem}" in result.stderr and "Traceback" not in result.stderr

    git(mini, "commit", "-qam", "a broken file")
    result = dataset_cli(mini, "diff", "HEAD~1", "HEAD")
    assert result.returncode == 2
    assert "at revision 'HEAD' (" in result.stderr and problem in result.stderr and "Traceback" not in result.stderr
    assert "100_mini:claim-001" in layer_records(mini, BY_NAME["claims"], "HEAD~1")
