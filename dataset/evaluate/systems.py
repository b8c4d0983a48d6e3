"""A prediction folder's metadata: system.jsonl, one record saying which system made it, how, and on what tasks.

Required in every committed prediction folder (annotations/predictions/<name>/), optional in a folder given to
`evaluate`. Its shape is SYSTEM_SCHEMA; `tasks` names the tasks the system is scored on (default: every task its
layers cover), so a system given part of the gold as input (the clustering baseline gets the gold claims) is not
scored on what it copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..problems import Problem, Sink, short
from ..read.files import SafeReader
from ..read.jsonl import parse_jsonl
from ..repo import PREDICTIONS, Repo, Store
from .gather import predicted_layers
from .tasks import TASKS

SYSTEM_FILE = "system.jsonl"
SYSTEM_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "A prediction folder's system.jsonl (one record)",
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "description", "command", "input", "tasks"],
    "properties": {
        "name": {
            "description": "The system's name: the prediction folder's name.",
            "type": "string",
            "pattern": "^[a-z0-9][a-z0-9._-]{0,63}$",
        },
        "description": {"description": "What the system is, in one line.", "type": "string", "minLength": 1},
        "command": {"description": "The command that made the folder.", "type": "string", "minLength": 1},
        "input": {
            "description": "What the system was given besides the seed texts (e.g. the gold claims), or null.",
            "type": ["string", "null"],
            "minLength": 1,
        },
        "tasks": {
            "description": "The tasks the system is scored on; null: every task its layers cover.",
            "oneOf": [
                {"type": "array", "items": {"enum": list(TASKS)}, "minItems": 1, "uniqueItems": True},
                {"type": "null"},
            ],
        },
    },
}
for _name in ("description", "command", "input"):
    SYSTEM_SCHEMA["properties"][_name]["maxLength"] = 500


@dataclass(frozen=True)
class System:
    """A prediction folder's metadata as read; `problems` says why it is unusable (then the fields are empty)."""

    name: str
    description: str = ""
    command: str = ""
    input: str | None = None
    tasks: tuple[str, ...] | None = None
    problems: list[Problem] = field(default_factory=list)


def committed(repo: Repo, store: Store) -> bool:
    """Whether a prediction folder is one of the repository's committed systems (metadata required)."""
    return store.path.parent == repo.annotations / PREDICTIONS


def read_system(reader: SafeReader, store: Store, *, required: bool) -> System | None:
    """The folder's system.jsonl: None when absent and not required; a System with problems when it is unusable."""
    from jsonschema import Draft202012Validator

    path = store.path / SYSTEM_FILE
    rel = reader.rel(path)
    if not path.exists() and not path.is_symlink():
        if not required:
            return None
        message = f"a committed prediction folder needs a {SYSTEM_FILE} saying which system made it"
        return System(store.path.name, problems=[_problem(rel, 0, message, "name, description, command", "no file")])
    text, problem = reader.read_text(path)
    if text is None:
        return System(store.path.name, problems=[problem] if problem else [])
    sink = Sink()
    records = parse_jsonl(text, rel, sink)
    if sink:
        return System(store.path.name, problems=sink.problems())
    if len(records) != 1:
        found = f"{len(records)} records"
        return System(store.path.name, problems=[_problem(rel, 1, "one record expected", "1 record", found)])
    record = records[0]
    errors = sorted(Draft202012Validator(SYSTEM_SCHEMA).iter_errors(record.data), key=lambda e: list(e.path))
    problems = [_problem(rel, record.line, f"{_where(e)}: {e.message}", e.validator, short(e.instance)) for e in errors]
    data = record.data
    if required and not problems and data["name"] != store.path.name:  # a committed folder is named for its system
        problems.append(_problem(rel, record.line, "name differs from the folder's", store.path.name, data["name"]))
    tasks = tuple(data["tasks"]) if not problems and data["tasks"] is not None else None
    layers = predicted_layers(store)
    for task in tasks or ():
        missing = [name for name in TASKS[task].layers if name not in layers]
        if missing:
            message = f"task {task} needs layers the folder does not have"
            problems.append(_problem(rel, record.line, message, f"folders {', '.join(missing)}", "none"))
    if problems:
        return System(store.path.name, problems=problems)
    return System(data["name"], data["description"], data["command"], data["input"], tasks)


def _where(error) -> str:
    return "/".join(map(str, error.path)) or "record"


def _problem(rel: str, line: int, message: str, expected: object, found: object) -> Problem:
    return Problem(rel, line, "prediction-metadata", message, str(expected), str(found))


def system_record(name: str, description: str, command: str, given: str | None, tasks: tuple[str, ...] | None) -> dict:
    """The metadata record of a prediction folder, in SYSTEM_SCHEMA's key order."""
    return {"name": name, "description": description, "command": command, "input": given, "tasks": tasks}
