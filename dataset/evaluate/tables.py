"""The README's results block: every scored row (tables of the annotator passes and the systems) in one place.

One table per task with its headline metrics (tasks.TASKS[...].headline), annotator rows first (the ceiling),
then the systems; a row appears where it is scored. Every value comes from the scorer; every text is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..derive.markdown import code, md, table
from .scoreboard import Row
from .slices import ADJUDICATED, AGREED
from .slices import HEADLINE as SLICE_HEADLINE
from .tasks import TASKS

NONE = "—"


def number(value: float | None) -> str:
    return NONE if value is None else f"{value:.3f}"


def _systems(rows: Sequence[Row]) -> list[str]:
    cells = [
        [
            code(row.name),
            row.kind,
            md(row.description),
            md(row.given) if row.given else "the seed texts",
            code(row.command) if row.command else NONE,
        ]
        for row in rows
    ]
    return table(["row", "kind", "what it is", "given", "made by"], cells)


def _task(name: str, rows: Sequence[Row]) -> list[str]:
    headline = TASKS[name].headline
    scored = [row for row in rows if name in row.tasks]
    cells = [[code(row.name), *(number(row.tasks[name].get(m)) for m in headline)] for row in scored]
    return [f"**{name}**", "", *table(["row", *headline], cells), ""] if scored else []


def _slices(rows: Sequence[Row], sizes: Mapping[str, int]) -> list[str]:
    scored = [row for row in rows if row.slices]
    if not scored:
        return []
    names = [n for n in (AGREED, ADJUDICATED) if n in sizes]
    header = [f"{n}: {m}" for n in names for m in SLICE_HEADLINE]
    cells = [
        [code(row.name), *(number(row.slices.get(n, {}).get(m)) for n in names for m in SLICE_HEADLINE)]
        for row in scored
    ]
    counts = ", ".join(f"{n} {sizes[n]}" for n in names)
    return [f"**claim slices** (gold claims: {counts})", "", *table(["row", *header], cells), ""]


def results(rows: Sequence[Row], sizes: Mapping[str, int], documents: int) -> str:
    """The results block's content."""
    if not rows:
        return "No stored annotation pass and no committed prediction folder: nothing is scored yet.\n"
    lines = [
        f"Scores against the final data on its {documents} documents (point estimates; `evaluate` adds 95 % "
        "bootstrap intervals). The annotator rows score the stored annotation passes and clusterings as if they "
        "were systems: the ceiling to compare the systems with.",
        "",
        *_systems(rows),
        "",
    ]
    for name in TASKS:
        lines += _task(name, rows)
    lines += _slices(rows, sizes)
    return "\n".join(lines).rstrip("\n") + "\n"
