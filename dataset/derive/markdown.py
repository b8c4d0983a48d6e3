"""Markdown that data cannot break: every value generated into the README, the card or a CI summary is escaped.

A document's outlet or a record's text comes from contributors. Escaped here, it can neither inject HTML or
Markdown (links, emphasis, tables) nor end a generated block early: no generated text can contain `<`, so no
`<!-- ... -->` marker can be forged, and a cell can hold no `|` or line break.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")  # special anywhere in a line
_LEADING = re.compile(r"^([#>+!-])")  # special only where a line (or a cell) starts
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def md(value: object) -> str:
    """A value as inline Markdown text: special characters backslash-escaped, < and & as entities, one line."""
    text = _CONTROL.sub(" ", str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _LEADING.sub(r"\\\1", _SPECIAL.sub(r"\\\1", text))


def code(value: object) -> str:
    """A value as inline code (ids): backticks cannot close it, since they are replaced; one line."""
    text = _CONTROL.sub(" ", str(value)).replace("`", "'").replace("<", "&lt;")
    return f"`{text}`"


def row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table from already-escaped cells."""
    return [row(header), "|" + "---|" * len(header), *(row(cells) for cells in rows)]
