"""Problems are data; how they are printed is decided by the formatters.

A rule yields Findings (message, expected, found, and the record it is about when that is not the one it was
given); the engine that ran the rule stamps path, line and rule id, turning each into a Problem. A Sink keeps
problems bounded: at most MAX_PER_FILE_AND_RULE of one rule in one file, then one line saying how many more.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

MAX_PER_FILE_AND_RULE = 50


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located: where, which rule, what was expected and what was found."""

    path: str
    line: int
    rule: str
    message: str
    expected: str | None = None
    found: str | None = None

    def text(self) -> str:
        """One line, whatever the data: a control character (a newline or a terminal escape in a file name) is
        shown escaped, so no problem can forge another line or drive the terminal."""
        detail = ""
        if self.expected is not None or self.found is not None:
            detail = f" (expected {self.expected}; found {self.found})"
        return _visible(f"{self.path}:{self.line}: {self.rule}: {self.message}{detail}")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _visible(text: str) -> str:
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True)
class Finding:
    """What a rule says: the engine adds path, line and rule id. `at` names another record than the one checked."""

    message: str
    expected: str | None = None
    found: str | None = None
    at: Any = None  # a Record (path, line) when the finding is about another record


def short(value: object, limit: int = 80) -> str:
    """A value as JSON, cut to a readable length for a message; never raises (lone surrogates are escaped)."""
    try:
        rendered = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        rendered = repr(value)
    rendered = rendered.encode("utf-8", "backslashreplace").decode("utf-8")
    return rendered if len(rendered) <= limit else rendered[: limit - 1] + "…"


class Sink:
    """Collects problems, keeping at most `limit` per (file, rule) and counting the rest.

    A hostile file (16 MiB of blank lines) must not become millions of problem objects: memory stays bounded by
    files, rules and the limit, and the report still says how many were left out.
    """

    def __init__(self, limit: int = MAX_PER_FILE_AND_RULE) -> None:
        self.limit = limit
        self.kept: list[Problem] = []
        self.counts: Counter[tuple[str, str]] = Counter()  # every problem seen, kept or not
        self._kept: Counter[tuple[str, str]] = Counter()

    def _keep(self, problem: Problem) -> None:
        key = (problem.path, problem.rule)
        if self._kept[key] < self.limit:
            self._kept[key] += 1
            self.kept.append(problem)

    def add(self, problem: Problem) -> None:
        self.counts[(problem.path, problem.rule)] += 1
        self._keep(problem)

    def keeps(self, path: str, rule: str) -> bool:
        """Whether one more problem of this file and rule would be kept (else it is only counted)."""
        return self._kept[(path, rule)] < self.limit

    def note(self, path: str, line: int, rule: str, make: Callable[[str, int], Problem], count: int = 1) -> None:
        """Count `count` problems on consecutive lines from `line`, building (make(path, line)) only those that are
        kept: a hostile file has millions of them."""
        key = (path, rule)
        self.counts[key] += count
        room = self.limit - self._kept[key]
        if room > 0:
            keep = min(count, room)
            self._kept[key] += keep
            self.kept.extend(make(path, line + i) for i in range(keep))

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def merge(self, other: Sink) -> None:
        for problem in other.kept:
            self._keep(problem)
        self.counts.update(other.counts)

    def __bool__(self) -> bool:
        return bool(self.counts)

    def __len__(self) -> int:
        return sum(self.counts.values())

    def problems(self) -> list[Problem]:
        """Every kept problem in order, and for each (file, rule) over the limit one line with the count left out."""
        left_out = [
            Problem(path, 0, rule, f"{n - self.limit} more {rule} problem(s) in this file were left out of the report")
            for (path, rule), n in sorted(self.counts.items())
            if n > self.limit
        ]
        return sorted(self.kept + left_out)


def format_text(problems: list[Problem]) -> str:
    return "\n".join(p.text() for p in problems)


def _escape_github(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(problems: list[Problem], level: str = "error") -> str:
    """GitHub Actions workflow commands, so problems show inline on a pull request (`level`: error, warning or
    notice; only errors mark a check as failed)."""
    lines = []
    for p in problems:
        file = _escape_github(_visible(p.path), prop=True)
        title = _escape_github(p.rule, prop=True)
        lines.append(f"::{level} file={file},line={max(p.line, 1)},title={title}::{_escape_github(p.text())}")
    return "\n".join(lines)


def format_json(problems: list[Problem]) -> str:
    return json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2)


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}
