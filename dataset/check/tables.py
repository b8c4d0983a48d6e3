"""Table invariants with pandera on polars, over whole tables rather than record by record.

Unique ids, start < end, end within the text and references that resolve are column expressions: the span
records of a batch of documents (thousands of rows) are checked in one pandera call per layer, and only the
rows that fail are turned into messages. The table's schema is built from the layer declaration (its kind and
references), so a new reference is checked without a new line here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import polars as pl

from ..layers import Layer
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

    def frame(self) -> pl.DataFrame:
        layer = self.layer
        columns: dict[str, list] = {
            _ROW: list(range(len(self.records))),
            "id": [r.data[layer.id_field] for r in self.records],
        }
        schema: dict[str, pl.DataType] = {_ROW: pl.Int64, "id": pl.Utf8}
        if layer.is_span:
            columns["doc_id"] = [r.data["doc_id"] for r in self.records]
            columns["start"] = [r.data["start"] for r in self.records]
            columns["end"] = [r.data["end"] for r in self.records]
            columns["length"] = self.lengths
            schema.update(doc_id=pl.Utf8, start=pl.Int64, end=pl.Int64, length=pl.Int64)
        for ref in layer.references:
            columns[ref.field] = [r.data.get(ref.field) for r in self.records]
            schema[ref.field] = pl.List(pl.Utf8) if ref.many else pl.Utf8
        return pl.DataFrame(columns, schema=schema)


def _explain_duplicate(table: Table, record: Record, column: str) -> Finding:
    value = record.data[table.layer.id_field]
    return Finding(f"id {value} is already used by an earlier record", "a unique id", value, record)


def _explain_order(table: Table, record: Record, column: str) -> Finding:
    found = f"start={record.data['start']}, end={record.data['end']}"
    return Finding("span must have start < end", "start < end", found, record)


def _explain_bounds(length: int | None) -> Callable[[Table, Record, str], Finding]:
    def explain(table: Table, record: Record, column: str) -> Finding:
        return Finding("span ends beyond the document's text", f"end <= {length}", f"end={record.data['end']}", record)

    return explain


@dataclass(frozen=True)
class Targets:
    """Known ids per referenced layer (None: no registry to check against, e.g. a prediction without entities)."""

    ids: dict[str, frozenset[str] | None]
    mentions: pl.DataFrame | None = None  # (doc_id, id) of the batch's source mentions, for same-document refs


def _dangling(table: Table, record: Record, column: str, targets: Targets) -> Finding:
    ref = next(r for r in table.layer.references if r.field == column)
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


def check_table(table: Table, targets: Targets) -> Iterator[Problem]:
    """Run the layer's pandera schema over the table; one problem per failing row and check."""
    if not table.records:
        return
    import pandera.polars as pa  # imported when there is a table to check (it is slow to import)

    checks = [pa.Check(lambda d: d.lazyframe.select(pl.col("id").is_first_distinct()), name="duplicate-id")]
    explain: dict[str, Callable[..., Finding]] = {"duplicate-id": _explain_duplicate}
    if table.layer.is_span:
        checks.append(pa.Check(lambda d: d.lazyframe.select(pl.col("start") < pl.col("end")), name="span-order"))
        checks.append(pa.Check(lambda d: d.lazyframe.select(pl.col("end") <= pl.col("length")), name="span-bounds"))
        explain["span-order"] = _explain_order
    for ref in table.layer.references:
        check = _reference_check(ref.field, ref.many, ref.same_document, ref.target, targets)
        if check is not None:
            checks.append(pa.Check(check, name=f"dangling-ref:{ref.field}"))
    schema = pa.DataFrameSchema(checks=checks)
    try:
        schema.validate(table.frame(), lazy=True)
    except pa.errors.SchemaErrors as errors:
        seen: set[tuple[int, str]] = set()
        for case in errors.failure_cases.iter_rows(named=True):
            index, name = case["index"], str(case["check"])
            if index is None or (index, name) in seen:
                continue
            seen.add((index, name))
            rule, _, column = name.partition(":")
            record = table.records[index]
            if rule == "span-bounds":
                finding = _explain_bounds(table.lengths[index])(table, record, column)
            elif rule == "dangling-ref":
                finding = _dangling(table, record, column, targets)
            else:
                finding = explain[rule](table, record, column)
            yield stamp(rule, finding)


def _reference_check(column: str, many: bool, same_document: bool, target: str, targets: Targets) -> Callable | None:
    if same_document:
        mentions = (
            targets.mentions
            if targets.mentions is not None
            else pl.DataFrame({"doc_id": [], "id": []}, schema={"doc_id": pl.Utf8, "id": pl.Utf8})
        )

        def resolves_in_document(data) -> pl.LazyFrame:
            frame = data.lazyframe
            known = mentions.lazy().rename({"id": column}).with_columns(pl.lit(True).alias("_known"))
            exploded = frame.select(_ROW, "doc_id", column).explode(column).drop_nulls(column)
            bad = exploded.join(known, on=["doc_id", column], how="left").filter(pl.col("_known").is_null())
            bad_rows = bad.select(_ROW).collect()[_ROW]
            return frame.select(~pl.col(_ROW).is_in(bad_rows.implode()))

        return resolves_in_document
    known_ids = targets.ids.get(target)
    if known_ids is None:
        return None
    known = pl.Series(sorted(known_ids), dtype=pl.Utf8)
    if many:
        return lambda data: data.lazyframe.select(
            pl.col(column).list.eval(pl.element().is_in(known.implode())).list.all()
        )
    return lambda data: data.lazyframe.select(pl.col(column).is_null() | pl.col(column).is_in(known.implode()))
