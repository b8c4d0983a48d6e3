"""The corpus grows by pull request: CONTRIBUTING.md, run as written, adds one more document, and everything holds.

CONTRIBUTING.md is this test's source: every fenced ```bash block runs, in order, as one script in a scratch
copy of the repository (a git clone with `origin/main`), and then every inline `python -m dataset ...` command.
The walk-through adds `tests/data/example-article.txt` (a text written for it) as a new document and annotates
it. What the test substitutes, and nothing else:

- `<doc_id>` in an inline command stands for the document the walk-through added (`"$DOC"` in the blocks);
- `pip` and `pre-commit` are stand-ins that must not change the environment the tests run in: `pip install -e
  ".[extras]"` checks that each extra exists in pyproject.toml and records whether pre-commit came with it, and
  `pre-commit install` fails unless it did and .pre-commit-config.yaml exists;
- `python` is the interpreter running the tests, with this checkout's package first on the path.

Then the grown repository goes through validate, build, publish, report and `datasets.load_dataset`, and nothing a
reader sees about the corpus' size still describes the corpus as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import datasets
import pytest

import dataset
from dataset.check.run import validate
from dataset.layers import LAYERS
from dataset.repo import Repo
from dataset.write.build import build

from .conftest import ROOT

# Deprecations inside mlcroissant's own dependencies (publish reads croissant.json back), not in this package.
pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index"),
]
# What a scratch copy needs: the data, the documents the walk-through reads or runs, and the example text.
PARTS = (
    "schema",
    "seeds",
    "annotations",
    "README.md",
    "CHANGELOG.md",
    "CONTRIBUTING.md",
    "pyproject.toml",
    ".pre-commit-config.yaml",
    ".gitattributes",
    "tests/data/example-article.txt",
)
PLACEHOLDERS = {"<doc_id>": '"$DOC"', "<name>": "rules"}  # <name>: a committed system, remade as it was
FENCED = re.compile(r"^```bash\n(.*?)^```", re.MULTILINE | re.DOTALL)
ANY_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"`(python -m dataset [^`]+)`")

PIP = """
import pathlib, re, sys, tomllib
args = sys.argv[1:]
match = re.fullmatch(r"\\.\\[([a-z,-]+)\\]", args[-1]) if args[:2] == ["install", "-e"] and len(args) == 3 else None
if match is None:
    sys.exit(f"pip stand-in: expected install -e .[extras], got {args}")
extras = tomllib.loads(pathlib.Path("pyproject.toml").read_text())["project"]["optional-dependencies"]
wanted, seen = list(match.group(1).split(",")), set()
while wanted:
    extra = wanted.pop()
    if extra not in extras:
        sys.exit(f"pip stand-in: no extra {extra!r} in pyproject.toml")
    seen.add(extra)
    for requirement in extras[extra]:
        inner = re.fullmatch(r"kursk-claims\\[([a-z,-]+)\\]", requirement)
        wanted += [e for e in inner.group(1).split(",") if e not in seen] if inner else []
        if requirement.startswith("pre-commit"):
            pathlib.Path(sys.argv[0]).with_name("pre-commit.installed").touch()
"""
PRE_COMMIT = """
import pathlib, sys
if not pathlib.Path(sys.argv[0]).with_name("pre-commit.installed").exists():
    sys.exit("pre-commit: command not found (no pip install of an extra brought it)")
if sys.argv[1:] != ["install"] or not pathlib.Path(".pre-commit-config.yaml").is_file():
    sys.exit(f"pre-commit stand-in: expected install with a .pre-commit-config.yaml, got {sys.argv[1:]}")
"""


def walkthrough() -> tuple[list[str], list[str]]:
    """CONTRIBUTING.md's bash blocks and its inline commands (outside any fence), in document order."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    blocks = FENCED.findall(text)
    inline = INLINE.findall(ANY_FENCE.sub("", text))
    return blocks, inline


def _shim(folder: Path, name: str, source: str) -> None:
    path = folder / name
    path.write_text(f"#!{sys.executable}\n{textwrap.dedent(source)}", encoding="utf-8")
    path.chmod(0o755)


def git(root: Path, *args: str) -> str:
    identity = ["-c", "user.name=walk-through", "-c", "user.email=walk@example.org", "-c", "commit.gpgsign=false"]
    return subprocess.run(["git", *identity, *args], cwd=root, check=True, capture_output=True, text=True).stdout


def documents(root: Path) -> list[str]:
    lines = (root / "annotations/documents.jsonl").read_text(encoding="utf-8").split("\n")
    return [json.loads(line)["doc_id"] for line in lines if line]


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    scratch = tmp_path_factory.mktemp("grow")
    root = scratch / "clone"
    for part in PARTS:
        source, target = ROOT / part, root / part
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    git(root, "update-ref", "refs/remotes/origin/main", "HEAD")  # as in a clone of the upstream repository
    shims = scratch / "bin"
    shims.mkdir()
    _shim(shims, "pip", PIP)
    _shim(shims, "pre-commit", PRE_COMMIT)
    blocks, inline = walkthrough()
    commands = []
    for command in inline:
        command = " ".join(command.split())  # an inline command may be wrapped over two lines
        for placeholder, value in PLACEHOLDERS.items():
            command = command.replace(placeholder, value)
        commands.append(command)
    script = "set -euo pipefail\nset -x\n" + "\n".join(blocks) + "\n" + "\n".join(commands) + "\n"
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(shims), str(Path(sys.executable).parent), os.environ["PATH"]]),
        "PYTHONPATH": str(ROOT),
        "PS4": "+ ",
    }
    before = documents(root)
    result = subprocess.run(["bash", "-c", script], cwd=root, env=env, capture_output=True, text=True)
    added = [doc for doc in documents(root) if doc not in before]
    return SimpleNamespace(
        root=root, repo=Repo(root), result=result, before=before, added=added, blocks=blocks, inline=commands
    )


def test_contributing_runs_as_written_in_order(walked: SimpleNamespace) -> None:
    result = walked.result
    assert result.returncode == 0, result.stdout[-3000:] + "\n" + result.stderr[-6000:]
    assert walked.blocks and walked.inline, "CONTRIBUTING.md has no commands to run"
    traced = [line for line in result.stderr.split("\n") if re.match(r"\++ python -m dataset ", line)]
    started = re.compile(r"(?:^|&&\s*)(?:\w+=\$\()?python -m dataset ", re.MULTILINE)
    expected = sum(len(started.findall(text)) for text in [*walked.blocks, *walked.inline])
    assert len(traced) == expected, traced  # every command ran (set -x traces each)
    assert "Traceback" not in result.stderr and "internal-error" not in result.stderr


def test_the_walkthrough_adds_one_document_and_correct_annotations(walked: SimpleNamespace) -> None:
    assert len(walked.added) == 1, walked.result.stderr[-3000:]
    doc = walked.added[0]
    root = walked.root
    data = (ROOT / "tests/data/example-article.txt").read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    number = max(int(d.split("_", 1)[0]) for d in walked.before) + 1
    assert doc == f"{number:03d}_{digest[:16]}"  # the documented convention
    assert (root / "seeds" / f"{doc}.txt").read_bytes() == data  # byte for byte
    assert f"{digest}  {doc}.txt\n" in (root / "seeds/SHA256SUMS").read_text(encoding="utf-8")
    record = next(json.loads(line) for line in (root / "annotations/documents.jsonl").open() if doc in line)
    assert (record["outlet"], record["url"], record["lineage"]) == (None, None, [])  # only what the text states
    claims = [json.loads(line) for line in (root / f"annotations/claims/{doc}.jsonl").open()]
    assert {c["review_status"] for c in claims} == {"unreviewed"}
    assert all(c["cue"] and c["source_ids"] and c["cluster_id"] for c in claims)
    clusters = {c["id"]: c for c in map(json.loads, (root / "annotations/clusters.jsonl").open())}
    new_clusters = {c["cluster_id"] for c in claims} - set(_original_ids("clusters"))
    assert new_clusters, "the walk-through makes a cluster with its first claim"
    for cluster in new_clusters:
        for other in clusters[cluster]["conflicts_with"]:
            assert cluster in clusters[other]["conflicts_with"]  # written on both clusters
    entities = [json.loads(line)["id"] for line in (root / "annotations/entities.jsonl").open()]
    assert set(entities) - set(_original_ids("entities")), "the walk-through makes an entity with its first mention"
    report = validate(walked.repo)
    assert report.ok, "\n".join(p.text() for p in report.problems)
    assert report.counts["documents"] == len(walked.before) + 1


def _original_ids(layer: str) -> list[str]:
    lines = (ROOT / f"annotations/{layer}.jsonl").read_text(encoding="utf-8").split("\n")
    return [json.loads(line)["id"] for line in lines if line]


FIVE = re.compile(r"\bfive\b", re.IGNORECASE)


def test_the_grown_corpus_builds_publishes_reports_and_loads(walked: SimpleNamespace, tmp_path: Path) -> None:
    from dataset.hub.publish import publish
    from dataset.report import write_report

    repo, doc, count = walked.repo, walked.added[0], len(walked.before) + 1
    problems, changed = build(repo, check=True)
    assert (problems, changed) == ([], []), "\n".join(p.text() for p in problems)
    readme = repo.readme.read_text(encoding="utf-8")
    assert f"{count} documents (" in readme and f"`{doc}`" in readme
    assert not FIVE.search(readme)
    out = tmp_path / "hub"
    publish(repo, out)
    for name in ("README.md", "croissant.json"):
        assert not FIVE.search((out / name).read_text(encoding="utf-8")), name
    site = tmp_path / "report"
    write_report(repo, site)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert not FIVE.search(index) and (site / "documents" / f"{doc}.html").is_file()
    for layer in LAYERS:
        loaded = datasets.load_dataset(str(repo.root), layer.name)["test"]
        assert loaded.to_list() == dataset.load_config(layer.name, repo.root)["test"].to_list(), layer.name
        if layer.is_document or layer.is_span:
            assert doc in loaded["doc_id"], layer.name
