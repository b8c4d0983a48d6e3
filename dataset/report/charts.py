"""Geometry of the report's bar charts, so the templates only draw (inline SVG, no script, no network)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LABEL_WIDTH = 170
BAR_AREA = 190
LABEL_CHARACTERS = 26
VALUE_WIDTH = 50
ROW_HEIGHT = 22
BAR_HEIGHT = 14
WIDTH = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH


@dataclass(frozen=True)
class Segment:
    key: str
    value: int
    x: float
    width: float
    colour: str


@dataclass(frozen=True)
class Row:
    label: str
    total: int
    y: int
    segments: tuple[Segment, ...]

    @property
    def short_label(self) -> str:
        """The label cut to fit the label column (the full label is in the row's tooltip)."""
        return self.label if len(self.label) <= LABEL_CHARACTERS else self.label[: LABEL_CHARACTERS - 1] + "…"

    @property
    def end(self) -> float:
        """Where the bar ends, so the value can be written after it."""
        return max((s.x + s.width for s in self.segments), default=float(LABEL_WIDTH))


@dataclass(frozen=True)
class Chart:
    """Horizontal bars, one row per label, each bar one or more coloured segments."""

    title: str
    rows: tuple[Row, ...]
    keys: tuple[tuple[str, str], ...]  # (key, colour) for the legend of a stacked chart; empty for plain bars
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_area: int = BAR_AREA
    row_height: int = ROW_HEIGHT
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return max(1, len(self.rows)) * self.row_height + 4

    @property
    def description(self) -> str:
        """The chart's numbers as one sentence, for assistive technology."""
        return "; ".join(f"{row.label}: {row.total}" for row in self.rows)


def stacked_chart(title: str, rows: Sequence[tuple[str, Sequence[tuple[str, int]]]], colours: dict[str, str]) -> Chart:
    """Rows of (label, [(key, value), ...]); bars share one scale, the largest total fills the bar area."""
    largest = max((sum(v for _, v in parts) for _, parts in rows), default=0) or 1
    built = []
    for index, (label, parts) in enumerate(rows):
        x = float(LABEL_WIDTH)
        segments = []
        for key, value in parts:
            width = BAR_AREA * value / largest
            if value:
                segments.append(Segment(key, value, round(x, 2), round(width, 2), colours[key]))
            x += width
        built.append(Row(label, sum(v for _, v in parts), index * ROW_HEIGHT + 2, tuple(segments)))
    keys = tuple((key, colours[key]) for key in colours) if len(colours) > 1 else ()
    return Chart(title, tuple(built), keys)


def bar_chart(title: str, counts: Iterable[tuple[str, int]], colour: str) -> Chart:
    """One bar per (label, count), in the given order (zero counts are kept: they are findings too)."""
    return stacked_chart(title, [(label, [(title, value)]) for label, value in counts], {title: colour})
