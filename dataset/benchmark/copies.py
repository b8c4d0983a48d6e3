"""The default scenario: the real documents copied under new ids until the corpus holds the span records asked for.

Each copy is a whole real document (seed, metadata, span layers), so every rule runs on real annotation and the
corpus validates; the registries are shared, as they would be in a larger corpus.
"""

from __future__ import annotations

from pathlib import Path

from ..repo import Repo
from .scenario import Generated, scenario
from .template import Writer, read_template


@scenario("copies", "the real documents copied under new ids (registries shared)")
def copies(source: Repo, records: int, root: Path) -> Generated:
    originals = read_template(source)
    writer = Writer(source, root)
    documents = 0
    while True:
        for original in originals:
            if documents and writer.span_records + original.span_records > records:
                return Generated(writer.finish(f"copies: {records} span records"), documents, writer.span_records)
            writer.copy(original, f"{documents // len(originals):05d}-{original.doc_id}")
            documents += 1
