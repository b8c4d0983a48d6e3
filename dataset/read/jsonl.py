"""Parse JSONL, keeping file and line; every hostile or malformed input becomes a problem, never an exception.

Nothing hands a line to the JSON parser that is too long or nested too deep, and what the standard parser would
accept silently is refused: repeated keys (it keeps the last), NaN and Infinity, numbers that overflow to
infinity (1e400), and lone UTF-16 surrogates ("\\ud800"), which no writer could write back. Every good line of a
file is still read, so all problems show in one run; a Sink keeps their number bounded.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..problems import Problem, Sink, short
from . import limits

BOM = "\ufeff"


@dataclass(slots=True)
class Record:
    """One parsed JSON object and where it came from; `floats` says whether its line has a float literal."""

    path: str
    line: int
    data: dict
    floats: bool = False


class _DuplicateKeyError(ValueError):
    pass


class _NumberRangeError(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    """The standard parser silently keeps the last of two equal keys; we refuse them."""
    value = dict(pairs)
    if len(value) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return value


def _no_constants(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


_float_literals = [0]  # counts float literals parsed, so a record knows whether it has any (see Record.floats)


def _finite_float(literal: str) -> float:
    """1e400 is valid JSON syntax but parses as infinity, which no JSON writer can write back: refuse it here."""
    _float_literals[0] += 1
    value = float(literal)
    if not math.isfinite(value):
        raise _NumberRangeError(literal)
    return value


_OBJECT_LINE = re.compile(r"\s*\{.*\}\s*", re.DOTALL)  # the only lines that can hold one JSON object
_EMPTY_LINES = re.compile(r"\n+")  # one character repeated: matched without a backtracking stack

# A \\uD800-\\uDFFF escape: only then can a parsed string hold a lone surrogate (UTF-8 input cannot).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


def lone_surrogate(value: object) -> str | None:
    """The first string (key or value) holding a lone surrogate; json.loads pairs valid ones into one character."""
    if isinstance(value, str):
        return value if any("\ud800" <= char <= "\udfff" for char in value) else None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        return next((found for item in value if (found := lone_surrogate(item)) is not None), None)
    return None


# One decoder for every line (json.loads with hooks would build a new one per call, most of a line's cost).
_DECODER = json.JSONDecoder(
    object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants, parse_float=_finite_float
)


def nesting_depth(line: str) -> int:
    """Deepest nesting of [ and { outside strings, found without parsing (so it cannot recurse)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in line:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


Make = Callable[[str, int], Problem]  # builds a problem for (path, line), only when the Sink keeps it


def _problem(rule: str, message: str, expected: str, found: Callable[[], str]) -> tuple[str, Make]:
    return rule, lambda rel, number: Problem(rel, number, rule, message, expected, found())


def _parse(line: str, limited: bool = True) -> tuple[dict, bool] | tuple[str, Make]:
    """(object, whether the line has a float literal), or (rule, how to build the problem) for a refused line."""
    if limited and len(line) > limits.MAX_LINE_CHARS:
        return _problem(
            "line-too-long", "line is over the length limit", f"at most {limits.MAX_LINE_CHARS} characters",
            lambda: str(len(line)),
        )  # fmt: skip
    # Counting brackets is cheap and bounds the depth from above; only a line with many is scanned exactly.
    if line.count("[") + line.count("{") > limits.MAX_DEPTH and (depth := nesting_depth(line)) > limits.MAX_DEPTH:
        return _problem(
            "json-too-deep", "record is nested too deeply", f"depth at most {limits.MAX_DEPTH}", lambda: str(depth)
        )
    if _OBJECT_LINE.fullmatch(line) is None:  # cannot be one object: refused without running the parser
        return _problem("json", "a line must hold one JSON object", "one JSON object per line", lambda: short(line, 60))
    floats = _float_literals[0]
    try:
        value = _DECODER.decode(line)
    except _NumberRangeError as err:
        literal = str(err)  # an except clause unbinds its name: the problem is built later
        message = "a number is too large to represent (it would parse as infinity)"
        return _problem("json-number", message, "a finite number", lambda: short(literal, 40))
    except _DuplicateKeyError as err:
        message = f"key {short(str(err))} appears twice in one object"
        return _problem("json-duplicate-key", message, "each key once", lambda: "a repeated key")
    except (ValueError, RecursionError) as err:
        return _problem("json", f"invalid JSON: {err}", "one JSON object per line", lambda: short(line, 60))
    if not isinstance(value, dict):  # cannot happen after the check above; kept so no line is ever misread
        return _problem("json", "a line must hold one JSON object", "object", lambda: type(value).__name__)
    if _SURROGATE_ESCAPE.search(line) and (bad := lone_surrogate(value)) is not None:
        message = "a string holds a lone UTF-16 surrogate (\\ud800-\\udfff without its pair), which is not text"
        return _problem("lone-surrogate", message, "valid Unicode text", lambda: short(bad, 60))
    return value, _float_literals[0] != floats


def parse_line(rel: str, number: int, line: str, *, limited: bool = True) -> Record | Problem:
    """One JSONL line as a Record, or the Problem that stops it from being one. limited=False lifts the length
    limit on contributed lines (for a generated line, which carries a whole seed's text)."""
    parsed, detail = _parse(line, limited)
    if isinstance(parsed, str):
        return detail(rel, number)  # type: ignore[operator]
    return Record(rel, number, parsed, detail)  # type: ignore[arg-type]


def _blank_line(rel: str, number: int) -> Problem:
    return Problem(
        rel, number, "blank-line", "blank lines are not allowed in a JSONL file", "one JSON object", "an empty line"
    )


def parse_jsonl(text: str, rel: str, sink: Sink, *, strict: bool = True) -> list[Record]:
    """JSONL text, split on newlines only (U+2028 and kin stay inside strings); good lines are kept.

    strict=False (a file as git shows it at a revision) tolerates the working tree's formatting rules: a BOM,
    CRLF line endings, blank lines and a missing final newline are the validator's business, not a diff's.
    """
    if text.startswith(BOM):
        if strict:
            sink.add(Problem(rel, 1, "bom", "file starts with a byte-order mark", "UTF-8 without BOM", "U+FEFF"))
        text = text[1:]
    if "\r" in text:
        if strict:
            line = text[: text.index("\r")].count("\n") + 1
            message = "Windows line endings (git may have converted the file)"
            sink.add(Problem(rel, line, "crlf", message, "\\n line endings", "\\r\\n"))
        text = text.replace("\r\n", "\n")
    records: list[Record] = []
    # Lines are scanned in place, never listed; a run of empty lines is counted at once (16 MiB of blank lines
    # must not become 16 million of anything), and only the first few problems of a kind are ever built.
    pos, number, size = 0, 1, len(text)
    while pos < size:
        if text[pos] == "\n":  # a run of empty lines: one character each
            count = _EMPTY_LINES.match(text, pos).end() - pos  # type: ignore[union-attr]
            if strict:
                sink.note(rel, number, "blank-line", _blank_line, count)
            pos, number = pos + count, number + count
            continue
        end = text.find("\n", pos)
        if end < 0:
            end = size
            if strict:
                sink.add(Problem(rel, number, "no-final-newline", "the last line has no newline", "a final \\n", "EOF"))
        line, pos, number = text[pos:end], end + 1, number + 1
        if line.isspace():
            if strict:
                sink.note(rel, number - 1, "blank-line", _blank_line)
            continue
        if len(records) >= limits.MAX_RECORDS:
            message = "file has more records than the limit"
            sink.add(Problem(rel, number - 1, "too-many-records", message, f"at most {limits.MAX_RECORDS}", "more"))
            break
        parsed, detail = _parse(line)
        if isinstance(parsed, str):
            sink.note(rel, number - 1, parsed, detail)  # type: ignore[arg-type]
        else:
            records.append(Record(rel, number - 1, parsed, detail))  # type: ignore[arg-type]
    return records
