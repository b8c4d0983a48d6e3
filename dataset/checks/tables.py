"""Table invariants with pandera: unique ids, start < end, end within the text, references resolve."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pandas as pd
import pandera.pandas as pa

from ..layers import Layer
from ..problems import Problem, short
from ..reading import Record

_RULE_OF_CHECK = {"field_uniqueness": "duplicate-id"}


def _absent(value: object) -> bool:
    """A null reference (pandas may hand None over as NaN)."""
    return value is None or (isinstance(value, float) and value != value)


def _frame(records: list[Record], columns: Iterable[str]) -> pd.DataFrame:
    rows = {record.line: {c: record.data.get(c) for c in columns} for record in records}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(columns), dtype=object)


def table_schema(layer: Layer, targets: dict[str, set[str]], length: int | None) -> pa.DataFrameSchema:
    """The pandera schema of one layer's table; targets maps a referenced layer to its known ids."""
    columns: dict[str, pa.Column] = {
        layer.id_field: pa.Column(object, unique=True, report_duplicates="exclude_first", nullable=True)
    }
    checks = []
    if layer.is_span:
        columns["start"] = pa.Column(object, nullable=True)
        columns["end"] = pa.Column(object, nullable=True)
        checks.append(pa.Check(lambda df: df["start"] < df["end"], name="span-order"))
        if length is not None:
            columns["end"] = pa.Column(object, pa.Check(lambda s: s <= length, name="span-bounds"), nullable=True)
    for ref in layer.references:
        known = targets[ref.target]
        if ref.many:
            check = pa.Check(
                lambda s, known=known: s.map(lambda ids: all(i in known for i in ids)), name="dangling-ref"
            )
        else:
            check = pa.Check(lambda s, known=known: s.map(lambda i: _absent(i) or i in known), name="dangling-ref")
        columns[ref.field] = pa.Column(object, check, nullable=True)
    return pa.DataFrameSchema(columns, checks=checks)


def check_table(
    layer: Layer, records: list[Record], targets: dict[str, set[str]], length: int | None = None
) -> Iterator[Problem]:
    """Run the layer's table schema over shape-valid records; one problem per failing row and check."""
    if not records:
        return
    schema = table_schema(layer, targets, length)
    frame = _frame(records, schema.columns)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        by_line = {record.line: record for record in records}
        seen = set()
        for case in errors.failure_cases.to_dict("records"):
            line = case["index"]
            rule = _RULE_OF_CHECK.get(str(case["check"]), str(case["check"]).split(":")[0].strip())
            column = case["column"]
            if line is None or pd.isna(line) or (line, rule, column) in seen:
                continue
            seen.add((line, rule, column))
            record = by_line[int(line)]
            yield _problem(layer, record, rule, column, targets, length)


def _problem(
    layer: Layer, record: Record, rule: str, column: str | None, targets: dict[str, set[str]], length: int | None
) -> Problem:
    data = record.data
    if rule == "duplicate-id":
        return Problem(
            record.path,
            record.line,
            rule,
            f"id {data[layer.id_field]} is already used by an earlier record",
            "a unique id",
            data[layer.id_field],
        )
    if rule == "span-order":
        return Problem(
            record.path,
            record.line,
            rule,
            "span must have start < end",
            "start < end",
            f"start={data['start']}, end={data['end']}",
        )
    if rule == "span-bounds":
        return Problem(
            record.path,
            record.line,
            rule,
            "span ends beyond the document's text",
            f"end <= {length}",
            f"end={data['end']}",
        )
    if rule != "dangling-ref":
        return Problem(
            record.path,
            record.line,
            rule,
            f"table check failed on {column or 'record'}",
            rule,
            short(data.get(column) if column else data),
        )
    ref = next(r for r in layer.references if r.field == column)
    value = data[ref.field]
    missing = [i for i in value if i not in targets[ref.target]] if ref.many else [value]
    scope = " of this document" if ref.same_document else ""
    return Problem(
        record.path,
        record.line,
        "dangling-ref",
        f"{ref.field} refers to unknown {ref.target} id(s){scope}",
        f"ids of annotations/{ref.target}",
        short(missing),
    )
