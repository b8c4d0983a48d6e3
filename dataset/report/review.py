"""The review mode's data: for each record a page shows, what the reviewer sees and what they may change.

A page that shows records embeds them as its review queue: each record as stored, its digest (which `review
apply` recomputes, so a verdict about a record that has changed since is refused), whether a pull request
changed it (--changed-since) and what lint says about it. The fields a reviewer may correct, and how (one of the
schema's values, a text, a number, a list of ids, JSON), come from the layer's schema; the page's script
(static/review.js) walks the queue and writes the verdict file (verdicts.py says what it holds).
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
from collections import defaultdict
from multiprocessing.connection import Connection

from ..layers import Layer
from ..loading import InvalidDatasetError
from ..problems import Problem, format_text
from ..read.jsonl import Record
from ..read.stream import can_fork
from ..repo import Repo
from ..schemas import Schemas
from .changes import Changes
from .verdicts import VERDICTS, fixed_fields, record_digest

Flags = dict[tuple[str, int], list[str]]  # (path, line) of a record -> the lint warnings about it


def _kind(schemas: Schemas, node: dict, base: str) -> str:
    if "enum" in node:
        return "choice"
    kind = node.get("type")
    if kind in ("integer", "number", "string"):
        return {"string": "text"}.get(kind, kind)
    if kind == "array" and isinstance(node.get("items"), dict):
        items, _, _ = schemas.shape(node["items"], base)
        if items.get("type") == "string":
            return "list"
    return "json"


def form(schemas: Schemas, layer: Layer) -> list[dict]:
    """The fields a reviewer may correct, in schema order, each with how it is edited.

    A span's `text` is shown but not edited: the page takes it from the seed when the offsets change.
    """
    schema = schemas.schema(layer)
    fields = []
    for name in schemas.properties(layer):
        shown = layer.is_span and name == "text"
        if name in fixed_fields(layer) and not shown:
            continue
        node, base, nullable = schemas.shape(schema["properties"][name], schema["$id"])
        spec = {"name": name, "kind": "span-text" if shown else _kind(schemas, node, base), "nullable": nullable}
        if "enum" in node:
            spec["options"] = list(node["enum"])
        fields.append(spec)
    return fields


LINT = f"{__package__.rpartition('.')[0]}.lint"  # dataset.lint: the report works without it


def lint_flags(repo: Repo) -> Flags | None:
    """The lint warnings by the record they are about, or None where the package has no lint (yet).

    Linted in a forked child where the platform forks: lint's table checks start polars' thread pool, after
    which this process could no longer fork the report's own workers (the report would run on one core), and
    the memory lint's corpus-wide rules hold goes back to the system with the child. InvalidDatasetError, with
    the validator's problems, if the repository does not validate.
    """
    try:
        importlib.import_module(LINT)
    except ModuleNotFoundError as err:
        if err.name == LINT:
            return None
        raise
    problems, flags = _in_child(repo) if can_fork() else _lint(repo)
    if problems:
        raise InvalidDatasetError(f"{len(problems)} problem(s):\n{format_text(problems)}")
    return flags


def _in_child(repo: Repo) -> tuple[list[Problem], Flags]:
    """_lint(repo) in a forked process (not a pool's: lint forks its own workers), its answer sent back whole.

    The child's own exception is raised here as it was raised there (one that cannot travel, as a RuntimeError
    with its text), so the command reports it as it would have in one process; a child that dies (killed, out
    of memory) is reported with its exit code, and an interrupted parent stops the child before it goes."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_lint_into, args=(repo, send))
    child.start()
    send.close()
    try:
        answer = receive.recv()
    except (EOFError, OSError):  # nothing sent, or the child died while sending
        child.join()
        answer = RuntimeError(f"the lint process ended without an answer ({_ending(child.exitcode)})")
    finally:
        receive.close()
        if child.is_alive():
            child.terminate()
        child.join()
    if isinstance(answer, BaseException):
        raise answer
    return answer


def _ending(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"killed by signal {-exitcode}"
    return f"exit code {exitcode}"


def _lint_into(repo: Repo, send: Connection) -> None:
    """The child: the answer, or the exception that stopped it; an interrupt ends it quietly (the parent reports)."""
    try:
        answer: object = _lint(repo)
    except KeyboardInterrupt:
        os._exit(130)
    except Exception as err:  # any failure reaches the parent, which reports it as every command does
        answer = err if _travels(err) else RuntimeError(f"lint failed: {type(err).__name__}: {err}")
    send.send(answer)
    send.close()


def _travels(err: Exception) -> bool:
    """Whether the exception reaches the parent as itself: Python's own exceptions do (a package's exception
    with its own constructor may not rebuild from its arguments)."""
    return type(err).__module__ == "builtins"


def _lint(repo: Repo) -> tuple[list[Problem], Flags]:
    """(the validator's problems, no flags) for a repository that does not validate, else ([], the flags)."""
    try:
        warnings = importlib.import_module(LINT).lint(repo)
    except InvalidDatasetError as err:
        if not hasattr(err, "problems"):
            raise
        return err.problems, {}
    flags: Flags = defaultdict(list)
    for problem in warnings:
        flags[(problem.path, problem.line)].append(f"{problem.rule}: {problem.message}")
    return [], dict(flags)


class Queue:
    """What a page's review mode needs: the forms of its layers and one item per record it shows."""

    def __init__(self, forms: dict[str, list[dict]], changes: Changes | None, flags: Flags | None) -> None:
        self.forms, self.changes, self.flags = forms, changes, flags
        self.items: list[dict] = []
        self.layers: set[str] = set()

    def add(self, layer: Layer, record: Record, target: str, label: str) -> None:
        """A record of a page; target is the id of the element that shows it, label a short text to name it
        (each left out of the page's data where the record's id or text says it already)."""
        record_id = str(record.data.get(layer.id_field))
        self.layers.add(layer.name)
        item = {
            "layer": layer.name,
            "id": record_id,
            "digest": record_digest(record.data),
            "record": record.data,
            "change": self.changes.of(layer.name, record_id) if self.changes else None,
            "lint": (self.flags or {}).get((record.path, record.line), []),
        }
        if target != record_id:  # most records are shown by the element with their id; the page is smaller so
            item["target"] = target
        if label != record.data.get("text"):  # a span is named by its text, which the record holds already
            item["label"] = label
        self.items.append(item)

    def data(self) -> dict:
        return {
            "verdicts": list(VERDICTS),
            "revision": self.changes.revision if self.changes else None,
            "lint": self.flags is not None,
            "forms": {name: self.forms[name] for name in sorted(self.layers)},
            "items": self.items,
        }
