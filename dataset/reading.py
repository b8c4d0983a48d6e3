"""Read JSONL and seed files, keeping file and line; every hostile or malformed input becomes a problem.

Nothing here follows a symbolic link, reads a file over the size limit, or hands a line to the JSON parser
that is too long or nested too deep; every good line of a file is still read, so all problems show in one run.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_LINE_CHARS, MAX_RECORDS
from .problems import Problem, short

BOM = "\ufeff"


@dataclass(frozen=True)
class Record:
    """One parsed JSON object and where it came from."""

    path: str
    line: int
    data: dict


class DuplicateKeyError(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    """The standard parser silently keeps the last of two equal keys; we refuse them."""
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKeyError(key)
        seen[key] = value
    return seen


def _no_constants(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


class NumberRangeError(ValueError):
    pass


def _finite_float(literal: str) -> float:
    """1e400 is valid JSON syntax but parses as infinity, which no JSON writer can write back: refuse it here."""
    value = float(literal)
    if not math.isfinite(value):
        raise NumberRangeError(literal)
    return value


# A \uD800-\uDFFF escape: only then can a parsed string hold a lone surrogate (UTF-8 input cannot).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


def _lone_surrogate(value: object) -> str | None:
    """The first string (key or value) holding a lone surrogate; json.loads pairs valid ones into one character."""
    if isinstance(value, str):
        return value if any("\ud800" <= char <= "\udfff" for char in value) else None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        return next((found for item in value if (found := _lone_surrogate(item)) is not None), None)
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


def decode(data: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """Bytes as UTF-8 text; invalid bytes are a problem with the line they are on."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        found = f"byte 0x{data[err.start]:02x} at byte {err.start}"
        return None, [Problem(rel, line, "encoding", "file is not valid UTF-8", "UTF-8 text", found)]


def read_text(path: Path, rel: str) -> tuple[str | None, list[Problem]]:
    """Decode a regular file as UTF-8; links, oversized files and invalid bytes are problems."""
    if path.is_symlink():
        return None, [Problem(rel, 1, "symlink", "links are never followed", "a regular file", "a symbolic link")]
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(
                rel,
                1,
                "file-too-large",
                "file is over the size limit",
                f"at most {MAX_FILE_BYTES} bytes",
                f"{size} bytes",
            )
        ]
    return decode(path.read_bytes(), rel)


def parse_line(rel: str, number: int, line: str) -> Record | Problem:
    if len(line) > MAX_LINE_CHARS:
        return Problem(
            rel,
            number,
            "line-too-long",
            "line is over the length limit",
            f"at most {MAX_LINE_CHARS} characters",
            f"{len(line)}",
        )
    depth = nesting_depth(line)
    if depth > MAX_DEPTH:
        return Problem(
            rel, number, "json-too-deep", "record is nested too deeply", f"depth at most {MAX_DEPTH}", str(depth)
        )
    try:
        value = json.loads(
            line, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants, parse_float=_finite_float
        )
    except NumberRangeError as err:
        return Problem(
            rel,
            number,
            "json-number",
            "a number is too large to represent (it would parse as infinity)",
            "a finite number",
            short(str(err), 40),
        )
    except DuplicateKeyError as err:
        return Problem(
            rel,
            number,
            "json-duplicate-key",
            f"key {short(str(err))} appears twice in one object",
            "each key once",
            "a repeated key",
        )
    except (ValueError, RecursionError) as err:
        return Problem(rel, number, "json", f"invalid JSON: {err}", "one JSON object per line", short(line, 60))
    if not isinstance(value, dict):
        return Problem(rel, number, "json", "a line must hold one JSON object", "object", type(value).__name__)
    if _SURROGATE_ESCAPE.search(line) and (bad := _lone_surrogate(value)) is not None:
        found = short(bad.encode("utf-8", "backslashreplace").decode("ascii"), 60)
        message = "a string holds a lone UTF-16 surrogate (\\ud800-\\udfff without its pair), which is not text"
        return Problem(rel, number, "lone-surrogate", message, "valid Unicode text", found)
    return Record(rel, number, value)


def read_jsonl(path: Path, rel: str) -> tuple[list[Record], list[Problem]]:
    """Parse a JSONL file: one JSON object per line; every bad line is reported, the good ones are kept."""
    text, problems = read_text(path, rel)
    if text is None:
        return [], problems
    records, more = parse_jsonl(text, rel)
    return records, problems + more


def parse_jsonl(text: str, rel: str) -> tuple[list[Record], list[Problem]]:
    """JSONL text (from a file or a git revision), split on newlines only: U+2028 and kin stay inside strings."""
    problems: list[Problem] = []
    if text.startswith(BOM):
        problems.append(Problem(rel, 1, "bom", "file starts with a byte-order mark", "UTF-8 without BOM", "U+FEFF"))
        text = text[1:]
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.append(
            Problem(
                rel,
                line,
                "crlf",
                "Windows line endings (git may have converted the file)",
                "\\n line endings",
                "\\r\\n",
            )
        )
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if text and lines[-1] != "":
        problems.append(
            Problem(rel, len(lines), "no-final-newline", "the last line has no newline", "a final \\n", "end of file")
        )
    else:
        lines = lines[:-1]
    records: list[Record] = []
    for number, line in enumerate(lines, start=1):
        if line.strip() == "":
            problems.append(
                Problem(
                    rel,
                    number,
                    "blank-line",
                    "blank lines are not allowed in a JSONL file",
                    "one JSON object",
                    "an empty line",
                )
            )
            continue
        if len(records) >= MAX_RECORDS:
            problems.append(
                Problem(
                    rel,
                    number,
                    "too-many-records",
                    "file has more records than the limit",
                    f"at most {MAX_RECORDS}",
                    "more",
                )
            )
            break
        parsed = parse_line(rel, number, line)
        if isinstance(parsed, Problem):
            problems.append(parsed)
        else:
            records.append(parsed)
    return records, problems
