"""A config's Parquet file, written as a stream: the options datasets' own writer uses, one row group per
ROW_GROUP_ROWS rows.

The Arrow schema is the config's datasets.Features (with the features in the schema metadata, where datasets reads
them back); compression, dictionary encoding, content-defined chunking and the page index are what
`Dataset.to_parquet` sets. Rows arrive batch by batch (Arrow tables or Python rows) and at most one row group is
held in memory; the row groups are cut by count, so the bytes depend on the rows alone: the same rows give the same
file, whether they came from one process or several, from the corpus or from a text-free build being hydrated.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features, config
from datasets.io.parquet import get_parquet_column_options

from .layout import ROW_GROUP_ROWS


def writer_options(features: Features, schema: pa.Schema) -> dict:
    """ParquetDatasetWriter's options (datasets/io/parquet.py), so the file is the one datasets would write."""
    return {
        "use_content_defined_chunking": config.DEFAULT_CDC_OPTIONS,
        "write_page_index": True,
        **get_parquet_column_options(features, schema),
    }


class ParquetSink:
    """One Parquet file written incrementally; `close()` finishes it (an unclosed file is never a valid one)."""

    def __init__(self, path: Path, features: Features) -> None:
        self.features = features
        self.schema = features.arrow_schema
        path.parent.mkdir(parents=True, exist_ok=True)
        self.writer = pq.ParquetWriter(str(path), schema=self.schema, **writer_options(features, self.schema))
        self.pending: list[pa.Table] = []
        self.buffered = 0
        self.rows = 0

    def table(self, rows: list[dict]) -> pa.Table:
        return pa.Table.from_pylist(rows, schema=self.schema)

    def add_rows(self, rows: list[dict]) -> None:
        if rows:
            self.add(self.table(rows))

    def add(self, table: pa.Table) -> None:
        if not table.num_rows:
            return
        self.pending.append(table)
        self.buffered += table.num_rows
        while self.buffered >= ROW_GROUP_ROWS:
            self._write(ROW_GROUP_ROWS)

    def _write(self, count: int) -> None:
        table = pa.concat_tables(self.pending)
        group, rest = table.slice(0, count), table.slice(count)
        self.writer.write_table(group.combine_chunks(), row_group_size=count)
        self.pending = [rest] if rest.num_rows else []
        self.buffered -= count
        self.rows += count

    def close(self) -> int:
        """Write what is left and the footer; returns the number of rows written."""
        if self.buffered:
            self._write(self.buffered)
        self.writer.add_key_value_metadata({"content_defined_chunking": json.dumps(config.DEFAULT_CDC_OPTIONS)})
        self.writer.close()
        return self.rows

    def abort(self) -> None:
        """Stop writing (the caller removes the file's folder)."""
        self.pending, self.buffered = [], 0
        self.writer.close()


def write_table(path: Path, features: Features, table: pa.Table) -> int:
    """A whole (small) table as one file, written as the stream writes it."""
    sink = ParquetSink(path, features)
    sink.add(table)
    return sink.close()
