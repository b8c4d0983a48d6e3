"""The review report in a real browser (headless Debian Chromium via Playwright), on the real dataset.

Skipped, with the reason in pytest's summary, where Playwright or Chromium is not installed (.ci/run installs both
where it can). One browser for the whole module keeps it fast.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from dataset.layers import BY_NAME, SPAN_LAYERS
from dataset.read.revisions import layer_paths
from dataset.repo import Repo
from dataset.report import write_report
from dataset.schemas import Schemas

from .conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries to reach its services, which a closed network refuses.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAPTOP = {"width": 1366, "height": 768}

# Every drawn span of the page: its head (data-id) with the text of all its fragments, and orphan continuations.
DRAWN = """
() => {
  const root = document.getElementById("seed-text");
  const heads = [...root.querySelectorAll("[data-id]")].map((el) => ({
    id: el.dataset.id,
    layer: el.dataset.layer,
    dataText: el.dataset.text,
    links: (el.dataset.links || "").split(" ").filter(Boolean),
    text: [el, ...root.querySelectorAll(`[data-continues="${CSS.escape(el.dataset.id)}"]`)]
      .map((part) => part.textContent).join(""),
  }));
  const continued = [...root.querySelectorAll("[data-continues]")].map((el) => el.dataset.continues);
  return {heads, continued, text: root.textContent, whiteSpace: getComputedStyle(root).whiteSpace};
}
"""

# What the page shows for an element: enough computed style to see whether a layer is drawn.
LOOK = """
(el) => {
  const s = getComputedStyle(el), before = getComputedStyle(el, "::before");
  return [s.borderBottomWidth, s.borderBottomStyle, s.backgroundColor, s.color, s.fontWeight, s.fontStyle,
          before.content].join("|");
}
"""


def records(layer: str) -> list[dict]:
    """Read as the validator reads (lines end at "\\n" only, never at a U+2028 inside a string)."""
    repo = Repo.find(ROOT)
    return [
        json.loads(line)
        for path in layer_paths(repo, BY_NAME[layer])
        for line in path.read_text(encoding="utf-8").split("\n")
        if line
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    write_report(Repo.find(ROOT), out)
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]'); browser tests skipped"
    )
    executable = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
    if executable is None:
        pytest.skip(
            f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium; .ci/run does this where "
            "apt-get works); browser tests skipped"
        )
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield launched
        launched.close()


class Visit:
    """A page opened from file://, with every console error, page error and request it made."""

    def __init__(self, browser, url: str) -> None:
        self.page = browser.new_page(viewport=LAPTOP)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url, wait_until="load")

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.page.close()


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_pages_load_without_console_errors_or_network_and_fit_a_laptop(browser, site: Path) -> None:
    for path in pages(site):
        with Visit(browser, path.as_uri()) as visit:
            assert visit.errors == [], (path.name, visit.errors)
            assert all(url.startswith("file://") for url in visit.requests), (path.name, visit.requests)
            assert visit.page.locator("h1").count() == 1
            overflow = visit.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path.name} is {overflow}px wider than a laptop screen"


def test_every_annotation_is_in_its_page_once_with_its_text(browser, site: Path) -> None:
    documents = records("documents")
    by_doc: dict[str, dict[str, dict]] = {d["doc_id"]: {} for d in documents}
    for layer in SPAN_LAYERS:
        for record in records(layer.name):
            by_doc[record["doc_id"]][record["id"]] = {**record, "layer": layer.name}
    for document in documents:
        doc_id = document["doc_id"]
        seed = Repo.find(ROOT).seed(doc_id).read_text(encoding="utf-8")
        with Visit(browser, (site / "documents" / f"{doc_id}.html").as_uri()) as visit:
            drawn = visit.page.evaluate(DRAWN)
        assert drawn["text"] == seed  # the text as written, nothing added or lost
        assert drawn["whiteSpace"] == "pre-wrap"  # line breaks kept
        heads = [h for h in drawn["heads"] if h["layer"] in {layer.name for layer in SPAN_LAYERS}]
        ids = [h["id"] for h in heads]
        assert sorted(ids) == sorted(by_doc[doc_id]), doc_id  # every record once, nothing else
        for head in heads:
            record = by_doc[doc_id][head["id"]]
            assert (head["layer"], head["dataText"], head["text"]) == (record["layer"], record["text"], record["text"])
        keys = {h["id"] for h in drawn["heads"]}
        assert set(drawn["continued"]) <= keys  # no fragment without its head
        nested = {h["id"]: h for h in drawn["heads"] if h["layer"] not in {layer.name for layer in SPAN_LAYERS}}
        for record in by_doc[doc_id].values():
            for name in BY_NAME[record["layer"]].nested_spans:
                if record.get(name):
                    (mark,) = [m for m in nested.values() if record["id"] in m["links"]]
                    assert mark["text"] == mark["dataText"] == record[name]["text"]


def test_cluster_matrix_shows_each_claim_in_its_cluster_row_and_document_column(browser, site: Path) -> None:
    clusters = {c["id"]: c for c in records("clusters")}
    claims = [c for c in records("claims") if c["cluster_id"]]
    columns = [d["doc_id"] for d in sorted(records("documents"), key=lambda d: d["doc_id"])]
    with Visit(browser, (site / "clusters.html").as_uri()) as visit:
        cells = visit.page.evaluate(
            """() => [...document.querySelectorAll("tr[data-cluster] .entry")].map((el) => ({
                 claim: el.dataset.claim, cluster: el.closest("tr").dataset.cluster,
                 column: [...el.closest("tr").children].indexOf(el.closest("td")) - 1,
                 modality: el.querySelector(".badge").textContent,
                 conflicting: el.closest("tbody").classList.contains("conflicting")}))"""
        )
        rows = visit.page.eval_on_selector_all("tr[data-cluster]", "(rows) => rows.map((r) => r.dataset.cluster)")
        visit.page.check("#only-conflicts")
        shown = visit.page.eval_on_selector_all(
            "tr[data-cluster]", "(rows) => rows.filter((r) => r.offsetParent !== null).map((r) => r.dataset.cluster)"
        )
    assert sorted(rows) == sorted(clusters)
    assert sorted(c["claim"] for c in cells) == sorted(c["id"] for c in claims)
    for cell, claim in zip(sorted(cells, key=lambda c: c["claim"]), sorted(claims, key=lambda c: c["id"]), strict=True):
        assert cell["cluster"] == claim["cluster_id"] and columns[cell["column"]] == claim["doc_id"]
        assert cell["modality"] == claim["modality"]
        assert cell["conflicting"] == bool(clusters[cell["cluster"]]["conflicts_with"])  # marked as contradicting
    assert sorted(shown) == sorted(c for c, record in clusters.items() if record["conflicts_with"])


def test_each_layer_toggle_hides_and_shows_its_layer(browser, site: Path) -> None:
    # a document with something to draw in every layer and nested span (not every document has boilerplate)
    drawn = {(r["doc_id"], layer.name) for layer in SPAN_LAYERS for r in records(layer.name)}
    drawn |= {
        (c["doc_id"], n) for layer in SPAN_LAYERS for n in layer.nested_spans for c in records(layer.name) if c[n]
    }
    names = [layer.name for layer in SPAN_LAYERS] + [n for layer in SPAN_LAYERS for n in layer.nested_spans]
    doc_id = next(d["doc_id"] for d in records("documents") if all((d["doc_id"], n) in drawn for n in names))
    with Visit(browser, (site / "documents" / f"{doc_id}.html").as_uri()) as visit:
        page = visit.page
        toggles = page.eval_on_selector_all("input[data-toggle]", "(boxes) => boxes.map((b) => b.dataset.toggle)")
        expected = [layer.name for layer in SPAN_LAYERS] + [n for layer in SPAN_LAYERS for n in layer.nested_spans]
        assert set(expected) <= set(toggles)
        for name in expected:
            element = page.locator(f'#seed-text [data-layer="{name}"][data-id]').first
            shown = element.evaluate(LOOK)
            page.uncheck(f'input[data-toggle="{name}"]')
            assert element.evaluate(LOOK) != shown, name
            page.check(f'input[data-toggle="{name}"]')
            assert element.evaluate(LOOK) == shown, name
        assert visit.errors == []


def test_claim_details_on_keyboard_focus_and_on_hover(browser, site: Path) -> None:
    claims = {c["id"]: c for c in records("claims")}
    mentions = {m["id"]: m for m in records("sources")}
    entities = {e["id"]: e for e in records("entities")}
    doc_id = next(c["doc_id"] for c in claims.values() if len(c["source_ids"]) > 1)
    with Visit(browser, (site / "documents" / f"{doc_id}.html").as_uri()) as visit:
        page = visit.page
        for _ in range(60):  # Tab through the navigation and the toggles to the first claim
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.matches('.claim[data-id]')"):
                break
        focused = page.evaluate("() => document.activeElement.dataset.id")
        assert focused in claims, "no claim is reachable with the keyboard"
        tip = page.locator("#tip")
        assert tip.is_visible()
        assert claims[focused]["type"] in tip.inner_text() and claims[focused]["modality"] in tip.inner_text()
        page.keyboard.press("Escape")
        assert not tip.is_visible()
        chained = next(c for c in claims.values() if c["doc_id"] == doc_id and len(c["source_ids"]) > 1)
        page.hover(f'[data-id="{chained["id"]}"]')
        assert tip.is_visible()
        names = [entities[mentions[m]["entity_id"]]["name"] for m in chained["source_ids"]]
        assert tip.locator(".chain li .entity-name").all_inner_texts() == names  # outermost reporter first
        linked = page.eval_on_selector_all("#seed-text .linked[data-id]", "(els) => els.map((e) => e.dataset.id)")
        assert set(chained["source_ids"]) <= set(linked)
        shot = site / "screenshots" / f"{doc_id}-claim.png"
        shot.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def _walk_to(page, layer: str, record_id: str) -> None:
    """Press Next until the review panel shows the record (the queue is in reading order)."""
    for _ in range(400):
        if page.inner_text("#review-position").endswith(f"{layer} {record_id}"):
            return
        page.click("#review-next")
    raise AssertionError(f"{layer} {record_id} is not in the review queue")


def test_review_mode_verdicts_download_and_apply_to_the_records(browser, site: Path, tmp_path: Path) -> None:
    """A reviewer accepts one claim, corrects another with a reason, downloads the verdicts; `review apply`
    then writes them into a scratch copy of the repository."""
    from .conftest import dataset_cli

    claims = records("claims")
    doc_id = min(c["doc_id"] for c in claims)
    accepted, corrected = [c for c in claims if c["doc_id"] == doc_id][:2]
    modalities = Schemas(Repo.find(ROOT)).enum(BY_NAME["claims"], "modality")
    modality = next(m for m in modalities if m != corrected["modality"])
    with Visit(browser, (site / "documents" / f"{doc_id}.html").as_uri()) as visit:
        page = visit.page
        assert not page.is_visible("#review")
        page.click("#review-toggle")
        assert page.is_visible("#review") and page.get_attribute("#review-toggle", "aria-expanded") == "true"
        page.fill("#review-reviewer", "person-browser")
        _walk_to(page, "claims", accepted["id"])
        assert "under-review" in (page.get_attribute(f'#seed-text [data-id="{accepted["id"]}"]', "class") or "")
        page.click("#review-accept")
        assert "Say why" in page.inner_text("#review-status")  # a verdict needs a reason
        page.fill("#review-reason", "reportive, as the cue says")
        page.click("#review-accept")
        assert page.inner_text("#review-status") == f"Accepted claims {accepted['id']}."
        _walk_to(page, "claims", corrected["id"])
        page.select_option("#review-field-modality", modality)
        page.fill("#review-reason", "the verb hedges it")
        page.click("#review-correct")
        assert page.inner_text("#review-status") == f"Corrected claims {corrected['id']}."
        assert page.inner_text("#review-download") == "Download verdicts (2)"
        with page.expect_download() as download:
            page.click("#review-download")
        verdicts = tmp_path / "verdicts.jsonl"
        download.value.save_as(verdicts)
        assert visit.errors == []
    lines = [json.loads(line) for line in verdicts.read_text(encoding="utf-8").splitlines()]
    assert [(v["id"], v["verdict"], v.get("changes")) for v in lines] == [
        (accepted["id"], "accepted", None),
        (corrected["id"], "corrected", {"modality": modality}),
    ]
    scratch = tmp_path / "repo"
    for name in ("schema", "seeds", "annotations"):
        shutil.copytree(ROOT / name, scratch / name)
    shutil.copy(ROOT / "README.md", scratch / "README.md")
    result = dataset_cli(Repo(scratch), "review", "apply", str(verdicts))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = (scratch / f"annotations/claims/{doc_id}.jsonl").read_text(encoding="utf-8").split("\n")
    changed = {record["id"]: record for record in (json.loads(line) for line in lines if line)}
    assert changed[accepted["id"]]["review_status"] == "accepted"
    assert changed[accepted["id"]]["reviewed_by"] == "person-browser"
    assert changed[corrected["id"]]["modality"] == modality
    assert changed[corrected["id"]]["note"].endswith("[person-browser] the verb hedges it")
