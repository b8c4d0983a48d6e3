"""add: create a span record from a quote; offsets and id are computed, the dataset stays valid."""

from __future__ import annotations

import argparse
import json
import re
import sys

from ..anchor import AnchorError, locate
from ..check.engine import stamp
from ..derive.canonical import canonical_record
from ..layers import SPAN_LAYERS, Layer
from ..problems import FORMATTERS, Problem
from ..read.files import SafeReader
from ..read.jsonl import Record
from ..repo import Repo
from ..schemas import Schemas
from ..write.store import ChangeRejectedError, read_records, transaction, write_layer

WRITES = True  # holds the repository lock for its whole run (write/lock.py)
HELP = "add a boilerplate span, source mention or claim from a quote (offsets and id are found for you)"
# Fields the command computes or sets itself; every other property of the layer's schema becomes an option.
COMPUTED = ("id", "doc_id", "start", "end", "text", "annotated_by", "reviewed_by", "review_status", "note")


def _option(field: str) -> str:
    return "--" + field.replace("_", "-")


def _layer_fields(schemas: Schemas, layer: Layer) -> dict[str, dict]:
    """The fields a contributor supplies, each resolved to its non-null shape."""
    return {
        name: schemas.field(layer, name)
        for name in schemas.properties(layer)
        if name not in COMPUTED and name not in layer.nested_spans
    }


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    layers = parser.add_subparsers(dest="layer", required=True, metavar="LAYER")
    schemas = Schemas(repo)
    for layer in SPAN_LAYERS:
        sub = layers.add_parser(
            layer.name, help=layer.description, description=f"add to {layer.name}: {layer.description}"
        )
        sub.add_argument("--doc", required=True, help="document id (the seed's file stem)")
        sub.add_argument("--quote", required=True, help="the exact text of the span, copied from the seed")
        sub.add_argument(
            "--occurrence", type=int, help="which occurrence of the quote (1-based), when it occurs more than once"
        )
        for name, node in _layer_fields(schemas, layer).items():
            help_text = node.get("description") or None
            if "enum" in node:
                sub.add_argument(_option(name), choices=node["enum"], help=help_text)
            elif node.get("type") == "array":
                sub.add_argument(_option(name), action="append", default=[], help=f"{help_text} (repeat for several)")
            elif node.get("type") == "object":
                sub.add_argument(_option(name), type=json.loads, help=f"{help_text} (a JSON object)")
            else:
                sub.add_argument(_option(name), help=help_text)
        for name in layer.nested_spans:
            sub.add_argument(_option(name), help=f"quote of the {name} span, if any")
            sub.add_argument(_option(name) + "-occurrence", type=int, help=f"which occurrence of the {name} quote")
        sub.add_argument("--annotated-by", required=True, help="your agent id (lower-case letters, digits, . _ -)")
        sub.add_argument("--note", help="why you decided so, for hard cases")
        sub.set_defaults(run=run, layer_obj=layer)


def _next_id(layer: Layer, doc: str, records: list[dict]) -> str:
    numbers = [int(m.group(1)) for r in records if (m := re.search(r"-(\d+)$", str(r.get("id", ""))))]
    return f"{doc}:{layer.id_kind}-{max(numbers, default=0) + 1:03d}"


def build_record(args: argparse.Namespace, text: str, schemas: Schemas, existing: list[dict]) -> dict:
    layer: Layer = args.layer_obj
    start, end = locate(text, args.quote, args.occurrence)
    record: dict = {
        "id": _next_id(layer, args.doc, existing),
        "doc_id": args.doc,
        "start": start,
        "end": end,
        "text": text[start:end],
    }
    for name in _layer_fields(schemas, layer):
        record[name] = getattr(args, name)
    for name in layer.nested_spans:
        quote = getattr(args, name)
        if quote is None:
            record[name] = None
        else:
            s, e = locate(text, quote, getattr(args, f"{name}_occurrence"))
            record[name] = {"start": s, "end": e, "text": text[s:e]}
    record.update(annotated_by=args.annotated_by, reviewed_by=None, review_status="unreviewed", note=args.note)
    return canonical_record(layer, record, schemas)


def run(args: argparse.Namespace) -> int:
    repo: Repo = args.repo
    layer: Layer = args.layer_obj
    schemas = Schemas(repo)
    if not schemas.is_doc_id(args.doc) or not repo.seed(args.doc).is_file():
        print(f"add: unknown document {args.doc!r}: expected the stem of a file in seeds/", file=sys.stderr)
        return 2
    text, unreadable = SafeReader(repo.root).read_text(repo.seed(args.doc))
    path = repo.layer_file(layer, args.doc)
    existing, broken = read_records(repo, path)
    if text is None or broken:
        print(FORMATTERS["text"]([p for p in [unreadable, *broken] if p is not None]), file=sys.stderr)
        print("add: not written: fix these problems first", file=sys.stderr)
        return 1
    try:
        record = build_record(args, text, schemas, existing)
    except AnchorError as err:
        print(Problem(repo.rel(repo.seed(args.doc)), 0, "anchor", str(err)).text(), file=sys.stderr)
        print("add: not written", file=sys.stderr)
        return 1
    rel = repo.rel(path)
    candidate = Record(rel, len(existing) + 1, record)
    shape = [stamp("schema", finding, candidate) for finding in schemas.checker(layer).check(candidate)]
    if shape:
        print(FORMATTERS["text"](shape), file=sys.stderr)
        print("add: not written: the record does not match its schema", file=sys.stderr)
        return 1
    try:
        with transaction(repo) as writes:
            write_layer(writes, layer, path, [*existing, record], schemas)
    except ChangeRejectedError as err:
        print(FORMATTERS["text"](err.problems), file=sys.stderr)
        print("add: not written: the record would make the dataset invalid", file=sys.stderr)
        return 1
    line = next(i for i, r in enumerate(read_records(repo, path)[0], start=1) if r["id"] == record["id"])
    print(f"{rel}:{line}: added {record['id']} [{record['start']}, {record['end']}) {record['text'][:60]!r}")
    return 0
