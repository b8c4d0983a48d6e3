"""Problems are data; how they are printed is decided by the formatters."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One finding: where, which rule, what was expected and what was found."""

    path: str
    line: int
    rule: str
    message: str
    expected: str | None = None
    found: str | None = None

    def text(self) -> str:
        detail = ""
        if self.expected is not None or self.found is not None:
            detail = f" (expected {self.expected}; found {self.found})"
        return f"{self.path}:{self.line}: {self.rule}: {self.message}{detail}"


def short(value: object, limit: int = 80) -> str:
    """A value as JSON, cut to a readable length for a message."""
    try:
        rendered = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        rendered = repr(value)
    return rendered if len(rendered) <= limit else rendered[: limit - 1] + "…"


def _escape_github(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_text(problems: list[Problem]) -> str:
    return "\n".join(p.text() for p in problems)


def format_github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands, so problems show inline on a pull request."""
    lines = []
    for p in problems:
        file = _escape_github(p.path, prop=True)
        title = _escape_github(p.rule, prop=True)
        lines.append(f"::error file={file},line={max(p.line, 1)},title={title}::{_escape_github(p.text())}")
    return "\n".join(lines)


def format_json(problems: list[Problem]) -> str:
    return json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2)


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}
