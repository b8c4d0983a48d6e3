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


# One decoder for every line (json.loads with hooks would build a new one per call).
_DECODER = json.JSONDecoder(
    object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants, parse_float=_finite_float
)

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


def parse_line(rel: str, number: int, line: str) -> Record | Problem:
    """One JSONL line as a Record, or the Problem that stops it from being one."""
    if len(line) > limits.MAX_LINE_CHARS:
        limit = f"at most {limits.MAX_LINE_CHARS} characters"
        return Problem(rel, number, "line-too-long", "line is over the length limit", limit, str(len(line)))
    # Counting brackets is cheap and bounds the depth from above; only a line with many is scanned exactly.
    if line.count("[") + line.count("{") > limits.MAX_DEPTH and (depth := nesting_depth(line)) > limits.MAX_DEPTH:
        expected = f"depth at most {limits.MAX_DEPTH}"
        return Problem(rel, number, "json-too-deep", "record is nested too deeply", expected, str(depth))
    floats = _float_literals[0]
    try:
        # json.loads would say "Unexpected UTF-8 BOM" for a line that starts with one: so must we.
        value = _DECODER.decode(line) if not line.startswith(BOM) else json.loads(line)
    except _NumberRangeError as err:
        message = "a number is too large to represent (it would parse as infinity)"
        return Problem(rel, number, "json-number", message, "a finite number", short(str(err), 40))
    except _DuplicateKeyError as err:
        message = f"key {short(str(err))} appears twice in one object"
        return Problem(rel, number, "json-duplicate-key", message, "each key once", "a repeated key")
    except (ValueError, RecursionError) as err:
        return Problem(rel, number, "json", f"invalid JSON: {err}", "one JSON object per line", short(line, 60))
    if not isinstance(value, dict):
        return Problem(rel, number, "json", "a line must hold one JSON object", "object", type(value).__name__)
    if _SURROGATE_ESCAPE.search(line) and (bad := lone_surrogate(value)) is not None:
        message = "a string holds a lone UTF-16 surrogate (\\ud800-\\udfff without its pair), which is not text"
        return Problem(rel, number, "lone-surrogate", message, "valid Unicode text", short(bad, 60))
    return Record(rel, number, value, _float_literals[0] != floats)


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
    lines = text.split("\n")
    if text and lines[-1] != "":
        if strict:
            sink.add(Problem(rel, len(lines), "no-final-newline", "the last line has no newline", "a final \\n", "EOF"))
    else:
        lines.pop()
    records: list[Record] = []
    for number, line in enumerate(lines, start=1):
        if not line or line.isspace():
            if strict:
                message = "blank lines are not allowed in a JSONL file"
                sink.add(Problem(rel, number, "blank-line", message, "one JSON object", "an empty line"))
            continue
        if len(records) >= limits.MAX_RECORDS:
            message = "file has more records than the limit"
            sink.add(Problem(rel, number, "too-many-records", message, f"at most {limits.MAX_RECORDS}", "more"))
            break
        parsed = parse_line(rel, number, line)
        if isinstance(parsed, Record):
            records.append(parsed)
        else:
            sink.add(parsed)
    return records
