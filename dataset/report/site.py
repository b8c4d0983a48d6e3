"""Render the report's pages with Jinja2 (every text autoescaped) and write them, with the static assets."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from .. import __version__
from ..read.revisions import resolve
from ..repo import Repo
from ..write.files import atomic_write
from .changes import changes_since
from .model import ReportData
from .pages import cluster_page, document_page, document_path, index_page, theme


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
    )
    env.filters["slug"] = slug
    env.filters["number"] = number
    env.globals["document_path"] = document_path
    return env


def write_report(repo: Repo, out: Path, changed_since: str | None = None) -> list[Path]:
    """Read and validate the dataset, render every page, then write the site under out; returns the files written."""
    if changed_since:
        resolve(repo, changed_since)  # a revision git cannot name fails at once, before the slow validation
    data = ReportData.read(repo)  # an invalid working tree is the validator's to report, before any comparison
    data.changes = changes_since(repo, changed_since) if changed_since else None
    env = environment()
    colours = theme(data)
    common = {"colours": colours, "version": __version__, "revision": changed_since, "documents": data.documents}
    pages = [("index.html", "index.html", index_page(data, colours))]
    pages.append(("clusters.html", "clusters.html", cluster_page(data)))
    for index, doc in enumerate(data.documents):
        pages.append((document_path(doc["doc_id"]), "document.html", document_page(data, index)))
    site = {target: env.get_template(template).render(**common, **context) for target, template, context in pages}
    for asset in (files("dataset.report") / "static").iterdir():
        site[f"assets/{asset.name}"] = asset.read_text(encoding="utf-8")
    for target, content in site.items():
        atomic_write(out / target, content)
    return [out / target for target in site]
