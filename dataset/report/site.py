"""Write the report in one pass over the corpus stream: each document's page as the document comes, the summary
pages at the end, from what every document left behind.

The checker runs first on every document (as on every stream); a document's page is rendered in the worker that
read the document and written into a staging folder beside the output, and the document leaves its row of the
index, its claims' entries of the clusters page and its entities in a spool on disk (spool.py) and a few counts.
The index, clusters and entities pages and the colours (assets/theme.css) are written last, as streams from the
spool. Only when the whole corpus validates does the staged site replace the output's files: an invalid dataset
writes nothing. Time and memory grow linearly with the corpus (memory only with the registries and the counts).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from .. import __version__
from ..check.run import Checker
from ..derive.figures import PER_DOCUMENT_UP_TO
from ..derive.tally import Tally
from ..layers import BY_NAME, DOCUMENT_LAYER, LAYERS, SPAN_LAYERS
from ..problems import format_text
from ..read import stream
from ..read.corpus import Corpus, Document
from ..read.revisions import resolve
from ..repo import Repo
from ..schemas import Schemas
from .changes import Changes, changes_since
from .model import DocumentView, Registries
from .pages import (
    Totals,
    cluster_page,
    doc_label,
    document_page,
    document_path,
    document_row,
    entity_page,
    index_page,
)
from .review import Flags, Queue, form, lint_flags
from .spool import Spool
from .text import finalize, script_json
from .theme import LINE_STYLES, MODALITY_PALETTE, PALETTE, cycle, entity_colours, stylesheet

THEME = "assets/theme.css"
NAV_DOCUMENTS = 12  # more documents than this: the header links to the index's table instead of to each one


@lru_cache(maxsize=4096)  # the same few values (types, modalities, entities) on every page
def slug(value: object) -> str:
    """A value as a CSS class fragment: schema values are slugs already; anything else is made one."""
    return re.sub(r"[^a-z0-9-]+", "-", str(value).lower()).strip("-") or "x"


def number(value: float) -> str:
    """A quantity as people write it: 50,000 rather than 50000.0."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("dataset.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,  # every string output shows its control characters (text.py)
    )
    env.filters["slug"] = slug
    env.filters["number"] = number
    env.filters["script_json"] = script_json
    env.globals["document_path"] = document_path
    return env


class Site:
    """What every page shares, set up once in the parent before the stream (the workers inherit it)."""

    def __init__(
        self, corpus: Corpus, stage: Path, changes: Changes | None, flags: Flags | None, revision: str | None
    ) -> None:
        self.corpus, self.stage, self.changes, self.flags = corpus, stage, changes, flags
        self.schemas = corpus.schemas
        self.gold = corpus.gold_store().name
        self.env = environment()
        self.registries = Registries.read(corpus)
        self.doc_ids = corpus.doc_ids
        self.number = {doc_id: index for index, doc_id in enumerate(self.doc_ids)}
        self.per_document = len(self.doc_ids) <= PER_DOCUMENT_UP_TO
        self.forms = {layer.name: form(self.schemas, layer) for layer in LAYERS}
        claims = self.registries.enums["claims"]
        self.colours = {
            "type": cycle(claims["type"], PALETTE),
            "modality": cycle(claims["modality"], MODALITY_PALETTE),
            "line": cycle(claims["modality"], LINE_STYLES),
        }
        nav = None
        if len(self.doc_ids) <= NAV_DOCUMENTS:
            nav = [(doc_id, corpus.records[doc_id].data.get("outlet")) for doc_id in self.doc_ids]
        self.common = {"colours": self.colours, "version": __version__, "revision": revision, "nav": nav}
        self.macros = self.env.get_template("macros.html").module

    def template(self, name: str) -> Template:
        return self.env.get_template(name)

    def queue(self) -> Queue:
        return Queue(self.forms, self.changes, self.flags)

    def write(self, target: str, template: str, context: dict) -> None:
        """Render a page as a stream into the staging folder (a large page is never whole in memory).

        Nobody sees the staging folder: its files become visible only by the renames of move_in, after one sync.
        """
        path = self.stage / target
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as out:
            out.writelines(self.template(template).generate(**self.common, **context))


class Pages:
    """The stream consumer: writes each document's page and keeps what the summary pages need."""

    def __init__(self, site: Site, spool: Spool | None) -> None:
        self.site, self.spool = site, spool  # the spool only in the parent: a worker hands its part back
        self.totals = Totals.empty()
        self.rows: list[tuple[int, str]] = []
        self.entries: list[tuple[str, int, int, str, str]] = []
        self.mentioned: list[tuple[int, str]] = []

    def fresh(self) -> Pages:
        return Pages(self.site, None)

    def __getstate__(self) -> dict:
        """A worker hands back only what it gathered: the site is the parent's already (and not picklable)."""
        return {**self.__dict__, "site": None, "spool": None}

    def document(self, doc: Document) -> None:
        if doc.flawed:
            return  # the checker reported it; the report will not be written
        site = self.site
        view = DocumentView(doc, site.gold, site.schemas)
        index = site.number[doc.doc_id]
        previous = site.doc_ids[index - 1] if index > 0 else None
        following = site.doc_ids[index + 1] if index + 1 < len(site.doc_ids) else None
        context = document_page(view, site.registries, site.changes, previous, following)
        queue = self._queue(view)
        site.write(document_path(doc.doc_id), "document.html", {**context, "review": queue.data()})
        warnings = sum(1 for item in queue.items if item["lint"]) if site.flags is not None else None
        self.totals.warnings += warnings or 0
        row = document_row(view, site.changes, warnings)
        self.rows.append((index, str(site.macros.index_row(row, [layer.name for layer in SPAN_LAYERS], site.changes))))
        for card in context["cards"]:
            if card["cluster"] is not None:
                claim = card["claim"]
                html = str(site.macros.cluster_entry(card))
                self.entries.append((claim["cluster_id"], index, claim["start"], claim["id"], html))
        mentions = view.records("sources")
        self.mentioned += [(index, entity) for entity in sorted({m["entity_id"] for m in mentions})]
        label = doc.doc_id if site.per_document else doc_label(view.row)
        self.totals.add(label, view.records("claims"), mentions)

    def _queue(self, view: DocumentView) -> Queue:
        """The document's own record first, then its spans in reading order."""
        queue = self.site.queue()
        queue.add(DOCUMENT_LAYER, view.source, "document-record", view.row.get("headline") or view.doc_id)
        spans = [(record, rank, layer) for rank, layer in enumerate(SPAN_LAYERS) for record in view.spans[layer.name]]
        spans.sort(key=lambda item: (item[0].data["start"], -item[0].data["end"], item[1]))
        for record, _, layer in spans:
            queue.add(layer, record, record.data["id"], record.data["text"])
        return queue

    def end_batch(self) -> None:
        if self.spool is not None:  # serial run: this is the parent's own state
            self._flush(self)

    def merge(self, other: Pages) -> None:
        self.totals.merge(other.totals)
        self._flush(other)

    def _flush(self, part: Pages) -> None:
        assert self.spool is not None
        self.spool.add(part.rows, part.entries, part.mentioned)
        part.rows, part.entries, part.mentioned = [], [], []


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """A staging folder beside the output (same file system, so its files can be renamed in); removed after."""
    out = Path(os.path.abspath(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial"))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def move_in(stage: Path, out: Path) -> list[Path]:
    """Every staged file renamed into the output (each rename atomic, after one sync puts every byte on disk, so a
    crash never leaves a renamed page half written); files the output had besides stay."""
    os.sync()
    written = []
    for path in sorted(p for p in stage.rglob("*") if p.is_file()):
        target = out / path.relative_to(stage)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        written.append(target)
    return written


def _refuse(problems: list) -> None:
    from ..loading import InvalidDatasetError

    raise InvalidDatasetError(f"{len(problems)} problem(s):\n{format_text(problems)}")


def write_report(
    repo: Repo,
    out: Path,
    changed_since: str | None = None,
    *,
    jobs: int | None = None,
    progress: bool = False,
    lint: bool = True,
) -> list[Path]:
    """Validate the dataset while rendering every page, then put the site under out; returns the files written.

    InvalidDatasetError (nothing written) if the dataset does not validate; RevisionError if git cannot read
    changed_since.
    """
    schemas = Schemas(repo)
    if schemas.problems():
        _refuse(schemas.problems())
    if changed_since:
        resolve(repo, changed_since)  # a revision git cannot name fails at once, before the long pass
    corpus = Corpus(repo, schemas)
    checker = Checker(corpus).start()
    if not checker.readable:
        _refuse(checker.finish().problems)
    changes = changes_since(repo, changed_since) if changed_since else None
    flags = lint_flags(repo) if lint else None
    with staged(out) as stage, tempfile.TemporaryDirectory(prefix="kursk-report-") as scratch:
        spool = Spool(Path(scratch) / "spool.sqlite")
        try:
            site = Site(corpus, stage, changes, flags, changed_since)
            pages = Pages(site, spool)
            tally = Tally.start(corpus)
            stream.run(corpus, [checker, tally, pages], jobs=jobs, label="report", progress=progress)
            problems = checker.finish().problems
            if problems:
                _refuse(problems)
            spool.finish()
            _summary_pages(site, tally, pages.totals, spool)
        finally:
            spool.close()
        return move_in(stage, Path(os.path.abspath(out)))


def _summary_pages(site: Site, tally: Tally, totals: Totals, spool: Spool) -> None:
    registries, changes = site.registries, site.changes
    colours = {**site.colours, "entity": entity_colours(spool.mentioned())}
    (site.stage / THEME).parent.mkdir(parents=True, exist_ok=True)
    (site.stage / THEME).write_text(stylesheet(colours, slug), encoding="utf-8")
    index = index_page(
        tally,
        totals,
        registries,
        changes,
        spool,
        colours,
        per_document=site.per_document,
        lint=site.flags is not None,
    )
    site.write("index.html", "index.html", index)
    clusters = cluster_page(registries, tally, spool, registries.documents, changes)
    queue = site.queue()
    for record in registries.records["clusters"]:
        queue.add(BY_NAME["clusters"], record, record.data["id"], record.data["statement_en"])
    site.write("clusters.html", "clusters.html", {**clusters, "review": queue.data()})
    queue = site.queue()
    for record in registries.records["entities"]:
        queue.add(BY_NAME["entities"], record, record.data["id"], record.data["name"])
    entities = entity_page(registries, totals, spool, changes)
    site.write("entities.html", "entities.html", {**entities, "review": queue.data()})
    for asset in (files("dataset.report") / "static").iterdir():
        (site.stage / "assets" / asset.name).write_bytes(asset.read_bytes())
