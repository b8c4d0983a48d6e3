"""Command-line options derived from a layer's schema, read back strictly into record fields.

`add` and `new-document` take a record's fields as options: their names, help texts, closed value sets and
whether they are required come from the layer's JSON Schema, never from a list typed here. A field the schema
requires and that may not be null is a required option (argparse names it in its usage error); a nullable field
defaults to null and an array to empty. Values are parsed as strictly as the reader reads files: no text that is
not Unicode (a lone surrogate is what Python makes of bytes that are not UTF-8 in argv), no NaN, Infinity or
numbers that overflow, no repeated JSON keys; a value that breaks its field's schema is a usage error naming the
option, never a problem on a line of a file that does not exist.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..layers import Layer
from ..problems import Finding, Problem
from ..read.jsonl import Record, lone_surrogate, parse_line
from ..schemas import Schemas


def flag(field: str) -> str:
    return "--" + field.replace("_", "-")


def text(value: str) -> str:
    """An argument that is Unicode text: invalid UTF-8 bytes in argv arrive as lone surrogates (surrogateescape)."""
    if lone_surrogate(value) is not None:
        raw = value.encode("utf-8", "surrogateescape")
        raise argparse.ArgumentTypeError(f"not valid UTF-8 text: {raw!r} (give the value as UTF-8)")
    return value


def _json_value(option: str) -> Callable[[str], object]:
    """A JSON value read as the reader reads a line (no NaN, Infinity, 1e400, repeated keys or lone surrogates)."""

    def parse(value: str) -> object:
        parsed = parse_line(option, 1, '{"value": ' + text(value) + "}")
        if isinstance(parsed, Problem):
            reason = parsed.message.removeprefix("invalid JSON: ")
            raise argparse.ArgumentTypeError(f"not a valid JSON value ({reason}): {value!r}")
        return parsed.data["value"]

    return parse


def _choice(values: list[str]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if text(value) not in values:
            raise argparse.ArgumentTypeError(f"invalid choice {value!r} (choose from {', '.join(values)})")
        return value

    return parse


def _joined(item: dict, schemas: Schemas, base: str) -> tuple[Callable[[str], dict], str]:
    """An array item that is an object of a few strings, given as `A:B` in the order of its required fields."""
    names = list(item.get("required", []))
    shapes = {name: schemas.shape(item["properties"][name], base)[0] for name in names}

    def parse(value: str) -> dict:
        parts = text(value).split(":", len(names) - 1)
        if len(parts) != len(names) or not all(parts):
            raise argparse.ArgumentTypeError(f"expected {':'.join(n.upper() for n in names)}, got {value!r}")
        record = dict(zip(names, parts, strict=True))
        for name, part in record.items():
            allowed = shapes[name].get("enum")
            if allowed is not None and part not in allowed:
                raise argparse.ArgumentTypeError(f"{name} {part!r} is not one of {', '.join(allowed)}")
        return record

    return parse, ":".join(name.upper() for name in names)


@dataclass(frozen=True)
class FieldOption:
    """One record field as a command-line option."""

    field: str
    flag: str
    required: bool  # the option must be given (the schema requires a value that cannot be null)
    default: object  # what the field holds when the option is not given
    kwargs: dict

    @property
    def dest(self) -> str:
        return self.flag[2:].replace("-", "_")

    def add_to(self, parser: argparse.ArgumentParser | argparse._ArgumentGroup, *, editing: bool = False) -> None:
        """Add the option; when editing, nothing is required and an option not given leaves its field alone."""
        required = self.required and not editing
        default = argparse.SUPPRESS if editing else self.default
        parser.add_argument(self.flag, dest=self.dest, required=required, default=default, **self.kwargs)


def field_options(
    schemas: Schemas, layer: Layer, fields: Iterable[str], *, name: Callable[[str], str] = flag
) -> list[FieldOption]:
    """Options for the given fields of a layer, as its schema shapes them; `name` makes an option's name."""
    schema = schemas.schema(layer)
    required = set(schema.get("required", []))
    options = []
    for field in fields:
        node, base, nullable = schemas.shape(schema["properties"][field], schema["$id"])
        kind = node.get("type")
        help_text = node.get("description") or None
        kwargs: dict = {"help": help_text}
        default: object = None
        if "enum" in node:
            kwargs.update(type=_choice(list(node["enum"])), metavar="{" + ",".join(node["enum"]) + "}")
        elif kind == "array":
            item, item_base, _ = schemas.shape(node.get("items", {}), base)
            default = []
            kwargs["action"] = "append"
            kwargs["help"] = f"{help_text or field} (repeat for several)"
            if item.get("type") == "object":
                kwargs["type"], kwargs["metavar"] = _joined(item, schemas, item_base)
            elif "enum" in item:
                kwargs["type"] = _choice(list(item["enum"]))
            else:
                kwargs["type"] = text
        elif kind in ("object", "number", "integer", "boolean"):
            kwargs.update(type=_json_value(name(field)), metavar="JSON")
            kwargs["help"] = f"{help_text or field} (JSON)"
        else:
            kwargs["type"] = text
        must = field in required and not nullable and default is None
        options.append(FieldOption(field, name(field), must, default, kwargs))
    return options


def values(args: argparse.Namespace, options: list[FieldOption]) -> dict[str, object]:
    """The fields the options give (an option absent in editing mode gives nothing); copies, never shared lists."""
    found = {}
    for option in options:
        if hasattr(args, option.dest):
            value = getattr(args, option.dest)
            found[option.field] = list(value) if isinstance(value, list) else value
    return found


def as_usage(command: str, findings: list[Finding], options: list[FieldOption]) -> list[Problem]:
    """Schema findings about a record made from options, said as usage errors naming the option to fix."""
    by_field = {option.field: option.flag for option in options}
    problems = []
    for finding in findings:
        field = finding.message.split("/", 1)[0].split(":", 1)[0]
        where = by_field.get(field)
        message = f"{command}: {where}: {finding.message}" if where else f"{command}: {finding.message}"
        problems.append(Problem(".", 0, "usage", message, finding.expected, finding.found))
    return problems


def check_record(schemas: Schemas, layer: Layer, record: dict, variant: str | None = None) -> list[Finding]:
    """The schema's findings about a record that is not in any file yet."""
    checker = schemas.checker(layer) if variant is None else schemas.checker(layer, variant)
    return checker.check(Record("-", 0, record, floats=True))  # floats=True: always the full check
