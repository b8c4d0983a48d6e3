"""Read JSONL and seed files, keeping file and line; bad bytes and bad JSON become problems."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem, short


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


def read_text(path: Path, rel: str) -> tuple[str | None, list[Problem]]:
    """Decode a file as UTF-8; invalid bytes are a problem with the line they are on."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return None, [
            Problem(
                rel,
                line,
                "encoding",
                "file is not valid UTF-8",
                "UTF-8 text",
                f"byte 0x{data[err.start]:02x} at byte {err.start}",
            )
        ]


def read_jsonl(path: Path, rel: str) -> tuple[list[Record], list[Problem]]:
    """Parse one JSON object per line; every bad line is reported, the good ones are kept."""
    text, problems = read_text(path, rel)
    if text is None:
        return [], problems
    records: list[Record] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip() == "":
            continue
        try:
            value = json.loads(line, object_pairs_hook=_no_duplicate_keys)
        except DuplicateKeyError as err:
            problems.append(
                Problem(
                    rel,
                    number,
                    "json-duplicate-key",
                    f"key {short(str(err))} appears twice in one object",
                    "each key once",
                    "a repeated key",
                )
            )
            continue
        except ValueError as err:
            problems.append(
                Problem(rel, number, "json", f"invalid JSON: {err}", "one JSON object per line", short(line, 60))
            )
            continue
        if not isinstance(value, dict):
            problems.append(
                Problem(rel, number, "json", "a line must hold one JSON object", "object", type(value).__name__)
            )
            continue
        records.append(Record(rel, number, value))
    return records, problems
