"""Table invariants as polars expressions over whole tables, reported through pandera, never record by record.

Unique ids, start < end, end within the text and references that resolve are column expressions: the span
records of a batch of documents (thousands of rows) are checked in one polars pass per layer. As with the
record shapes (schemas.py), the verdict is fast and the report thorough: only a table with a failing row is
given to pandera, with the same expressions as its checks, and its failure cases become the messages (so
pandera, which imports pandas, is never imported for valid data). The checks are built from the layer
declaration (its kind and references), so a new reference is checked without a new line here.

Many-valued references (a claim's source_ids) are a side table of (row, value) pairs rather than a list column:
polars builds flat columns from Python values about forty times faster than list columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

import polars as pl

from ..layers import Layer, Reference
from ..problems import Finding, Problem, short
from ..read.jsonl import Record
from .engine import stamp

_ROW = "_row"


@dataclass
class Table:
    """One layer's shape-valid records of one store, collected over a batch of documents (or a registry file)."""

    layer: Layer
    store: str
    records: list[Record] = field(default_factory=list)
    lengths: list[int | None] = field(default_factory=list)  # the text length of each record's document

    def add(self, records: list[Record], length: int | None = None) -> None:
        self.records.extend(records)
        self.lengths.extend([length] * len(records))

    @cached_property
    def frame(self) -> pl.DataFrame:
        """One row per record: its position, id, span and single-valued references (records are not added after)."""
        layer, data = self.layer, [r.data for r in self.records]
        columns: dict[str, list] = {_ROW: list(range(len(data))), "id": [d[layer.id_field] for d in data]}
        schema: dict[str, pl.DataType] = {_ROW: pl.Int64, "id": pl.Utf8}
        if layer.is_span:
            columns["doc_id"] = [d["doc_id"] for d in data]
            columns["start"] = [d["start"] for d in data]
            columns["end"] = [d["end"] for d in data]
            columns["length"] = self.lengths
            schema.update(doc_id=pl.Utf8, start=pl.Int64, end=pl.Int64, length=pl.Int64)
        for ref in layer.references:
            if not ref.many:
                columns[ref.field] = [d.get(ref.field) for d in data]
                schema[ref.field] = pl.Utf8
        return pl.DataFrame(columns, schema=schema)

    def values(self, ref: Reference) -> pl.DataFrame:
        """A many-valued reference as (row, value) pairs, one per id a record lists."""
        listed = [record.data.get(ref.field) or () for record in self.records]
        rows = [row for row, ids in enumerate(listed) for _ in ids]
        values = [value for ids in listed for value in ids]
        return pl.DataFrame({_ROW: rows, ref.field: values}, schema={_ROW: pl.Int64, ref.field: pl.Utf8})


@dataclass(frozen=True)
class Targets:
    """Known ids per referenced layer (None: no registry to check against, e.g. a prediction without entities)."""

    ids: dict[str, frozenset[str] | None]
    mentions: pl.DataFrame | None = None  # (doc_id, id) of the batch's source mentions, for same-document refs


@dataclass(frozen=True)
class TableRule:
    """One invariant: its rule id (and field), a boolean expression over the table's frame (true: the row is
    fine), and how a failing row is explained."""

    name: str
    ok: pl.Expr
    explain: Callable[[Table, Record, int, Targets], Finding]

    @property
    def rule(self) -> str:
        return self.name.partition(":")[0]


def table_rule(rule_id: str, ok: pl.Expr, explain: Callable[[Table, Record, int, Targets], Finding]) -> TableRule:
    return TableRule(rule_id, ok, explain)


def _explain_duplicate(table: Table, record: Record, row: int, targets: Targets) -> Finding:
    value = record.data[table.layer.id_field]
    return Finding(f"id {value} is already used by an earlier record", "a unique id", value, record)


def _explain_order(table: Table, record: Record, row: int, targets: Targets) -> Finding:
    found = f"start={record.data['start']}, end={record.data['end']}"
    return Finding("span must have start < end", "start < end", found, record)


def _explain_bounds(table: Table, record: Record, row: int, targets: Targets) -> Finding:
    expected = f"end <= {table.lengths[row]}"
    return Finding("span ends beyond the document's text", expected, f"end={record.data['end']}", record)


def _explain_dangling(ref: Reference) -> Callable[[Table, Record, int, Targets], Finding]:
    def explain(table: Table, record: Record, row: int, targets: Targets) -> Finding:
        value = record.data[ref.field]
        if ref.same_document:
            known = (
                set()
                if targets.mentions is None
                else set(targets.mentions.filter(pl.col("doc_id") == record.data["doc_id"])["id"].to_list())
            )
        else:
            known = targets.ids.get(ref.target) or frozenset()
        missing = [i for i in value if i not in known] if ref.many else [value]
        scope = " of this document" if ref.same_document else ""
        message = f"{ref.field} refers to unknown {ref.target} id(s){scope}"
        return Finding(message, f"ids of annotations/{ref.target}", short(missing), record)

    return explain


def _resolves(table: Table, ref: Reference, targets: Targets) -> pl.Expr | None:
    """True where the row's reference resolves; None when there is nothing to check it against."""
    if ref.same_document:
        known = (
            targets.mentions
            if targets.mentions is not None
            else pl.DataFrame(schema={"doc_id": pl.Utf8, "id": pl.Utf8})
        )
        if ref.many:  # each listed id with its record's document
            pairs = table.values(ref).join(table.frame.select(_ROW, "doc_id"), on=_ROW)
        else:
            pairs = table.frame.select(_ROW, "doc_id", ref.field).drop_nulls(ref.field)
        bad = pairs.join(known.rename({"id": ref.field}), on=["doc_id", ref.field], how="anti")[_ROW]
        return ~pl.col(_ROW).is_in(bad.implode())
    ids = targets.ids.get(ref.target)
    if ids is None:
        return None
    known = pl.Series(sorted(ids), dtype=pl.Utf8)
    if ref.many:
        values = table.values(ref)
        bad = values.filter(~pl.col(ref.field).is_in(known.implode()))[_ROW]
        return ~pl.col(_ROW).is_in(bad.implode())
    return pl.col(ref.field).is_null() | pl.col(ref.field).is_in(known.implode())


def table_rules(table: Table, targets: Targets) -> list[TableRule]:
    """The layer's invariants: unique ids; for spans, order and bounds; every reference resolving."""
    rules = [table_rule("duplicate-id", pl.col("id").is_first_distinct(), _explain_duplicate)]
    if table.layer.is_span:
        rules.append(table_rule("span-order", pl.col("start") < pl.col("end"), _explain_order))
        rules.append(table_rule("span-bounds", pl.col("end") <= pl.col("length"), _explain_bounds))
    for ref in table.layer.references:
        ok = _resolves(table, ref, targets)
        if ok is not None:
            rules.append(table_rule(f"dangling-ref:{ref.field}", ok, _explain_dangling(ref)))
    return rules


def check_table(table: Table, targets: Targets) -> Iterator[Problem]:
    """One polars pass for the verdict; for a table with a failing row, pandera's failure cases as problems."""
    if not table.records:
        return
    rules = table_rules(table, targets)
    verdict = table.frame.select([rule.ok.all().alias(rule.name) for rule in rules]).row(0)
    if all(verdict):
        return
    failing = [rule for rule, ok in zip(rules, verdict, strict=True) if not ok]
    yield from _report(table, targets, failing)


def _report(table: Table, targets: Targets, rules: list[TableRule]) -> Iterator[Problem]:
    import pandera.polars as pa  # imported only when a table has a failing row (it imports pandas: slow)

    by_name = {rule.name: rule for rule in rules}
    checks = [pa.Check(lambda data, ok=rule.ok: data.lazyframe.select(ok), name=rule.name) for rule in rules]
    try:
        pa.DataFrameSchema(checks=checks).validate(table.frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        seen: set[tuple[int, str]] = set()
        for case in errors.failure_cases.iter_rows(named=True):
            index, name = case["index"], str(case["check"])
            if index is None or (index, name) in seen:
                continue
            seen.add((index, name))
            rule = by_name[name]
            yield stamp(rule.rule, rule.explain(table, table.records[index], index, targets))
