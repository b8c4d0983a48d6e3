"""Record shape: every record against its layer's JSON Schema."""

from __future__ import annotations

from collections.abc import Iterator

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from ..problems import Problem, short
from ..reading import Record


def check_shape(record: Record, validator: Draft202012Validator, data: dict | None = None) -> Iterator[Problem]:
    """One problem per failing field (the most relevant error of each), so a record's faults all show."""
    instance = record.data if data is None else data
    by_field: dict[str, list] = {}
    for error in validator.iter_errors(instance):
        field = str(error.absolute_path[0]) if error.absolute_path else ""
        by_field.setdefault(field, []).append(error)
    for field in sorted(by_field):
        error = best_match(by_field[field])
        where = "/".join(str(part) for part in error.absolute_path) or "record"
        expected = f"{error.validator} {short(error.validator_value, 80)}"
        yield Problem(
            record.path, record.line, "schema", f"{where}: {error.message}", expected, short(error.instance, 60)
        )
