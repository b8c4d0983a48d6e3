"""A scenario that grows documents rather than their number: each generated document is one real document's text
repeated (blank lines between), with its spans repeated at each copy's offset and renumbered.

Per-document work (the sweeps over one document's spans, a document's tables, its seed's scans) meets fifteen
times the spans of a real document, so work that grows faster than a document's spans shows here while
`copies` stays linear. Also the example of a scenario module: a function under @scenario.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..layers import BY_NAME, SPAN_LAYERS
from ..read.digests import sha256_hex
from ..repo import Repo
from .scenario import Generated, scenario
from .template import Original, Writer, read_template

REPEATS = 15  # copies of a text per document: its generated record, which holds the text, stays under 100,000 chars
SEPARATOR = "\n\n"  # a blank line ends a sentence: no claim's sentence runs from one copy into the next


def _renumber(value: str, old: str, new: str, copy: int) -> str:
    """`old:claim-001` in copy 7 becomes `new:claim-007001` (ids keep their kind and stay unique)."""
    return re.sub(rf"^{re.escape(old)}:([a-z]+)-(\d+)$", lambda m: f"{new}:{m[1]}-{copy:03d}{m[2]}", value)


def _shifted(record: dict, layer_name: str, old: str, new: str, copy: int, offset: int) -> dict:
    layer = BY_NAME[layer_name]
    moved = {**record, "doc_id": new, "id": _renumber(record["id"], old, new, copy)}
    moved["start"] += offset
    moved["end"] += offset
    for key in layer.nested_spans:
        if isinstance(moved.get(key), dict):
            moved[key] = {**moved[key], "start": moved[key]["start"] + offset, "end": moved[key]["end"] + offset}
    for ref in layer.references:
        if ref.same_document and isinstance(moved.get(ref.field), list):
            moved[ref.field] = [_renumber(value, old, new, copy) for value in moved[ref.field]]
    return moved


def _long_document(original: Original, new: str, repeats: int) -> tuple[bytes, dict[str, str]]:
    text = original.seed.decode("utf-8")
    step = len(text) + len(SEPARATOR)
    spans = {}
    for layer in SPAN_LAYERS:
        records = [json.loads(line) for line in original.spans.get(layer.name, "").splitlines() if line.strip()]
        spans[layer.name] = "".join(
            json.dumps(_shifted(record, layer.name, original.doc_id, new, copy, copy * step), ensure_ascii=False) + "\n"
            for copy in range(repeats)
            for record in records
        )
    return SEPARATOR.join([text] * repeats).encode("utf-8"), spans


@scenario("long", f"each document one real text repeated {REPEATS} times with its spans (few, long documents)")
def long_documents(source: Repo, records: int, root: Path) -> Generated:
    originals = read_template(source)
    writer = Writer(source, root)
    documents = 0
    while writer.span_records < records:
        original = originals[documents % len(originals)]
        repeats = max(1, min(REPEATS, -(-(records - writer.span_records) // max(original.span_records, 1))))
        new = f"{documents:05d}-long-{original.doc_id}"[:64]
        seed, spans = _long_document(original, new, repeats)
        writer.document({**original.record, "doc_id": new}, seed, sha256_hex(seed), spans)
        documents += 1
    return Generated(writer.finish(f"long: {records} span records"), documents, writer.span_records)
