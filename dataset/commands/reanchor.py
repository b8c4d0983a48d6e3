"""reanchor: after a seed's text was corrected, move every span to its quote's new position.

Every stored span that points into the seed moves with it: the final layers, the stored annotation passes
(from which the agreement figures are computed) and the committed predictions. If any span cannot move, nothing
is written.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..anchor import AnchorError, OffsetMap, reanchor
from ..check.engine import stamp
from ..derive.canonical import canonical_file
from ..layers import SPAN_LAYERS
from ..problems import FORMATTERS, Problem, Sink
from ..read.digests import sha256_hex, with_digest
from ..read.files import SafeReader, decode
from ..read.jsonl import parse_jsonl
from ..repo import PREDICTION, Repo
from ..schemas import PREDICTION as PREDICTION_VARIANT
from ..schemas import STORED, Schemas
from ..write.store import ChangeRejectedError, transaction

WRITES = True  # holds the repository lock for its whole run (write/lock.py)
HELP = "after a seed's text changed, move every span to its quote's new position; pin the new digest only if all moved"


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.add_argument("--doc", required=True, help="document id whose seed changed")
    parser.set_defaults(run=run)


def _old_text(repo: Repo, reader: SafeReader, doc: str) -> str | None:
    """The text the spans were anchored to: the generated documents table holds it as last built."""
    lines, _ = reader.lines(repo.generated_documents)
    marker = f'"doc_id": "{doc}"'.encode()
    for line in lines or ():
        if marker in line:
            try:
                record = json.loads(line)
            except ValueError:
                return None
            if record.get("doc_id") == doc:
                text = record.get("text")
                return text if isinstance(text, str) else None
    return None


def _moved_files(repo: Repo, schemas: Schemas, doc: str, old: str, new: str) -> tuple[dict, int, list[Problem]]:
    """New contents of every span file of the document in every store, the number of spans moved, and the spans
    that could not move."""
    reader = SafeReader(repo.root)
    offsets = OffsetMap(old, new)
    failures: list[Problem] = []
    rewrites = {}
    moved = 0
    for store in repo.span_stores():
        variant = PREDICTION_VARIANT if store.role == PREDICTION else STORED
        for layer in SPAN_LAYERS:
            path = store.layer_file(layer, doc)
            data, problem = reader.read(path)
            if problem is not None:
                failures.append(problem)
            if data is None:
                continue
            text, problem = decode(data, reader.rel(path))
            sink = Sink()
            records = parse_jsonl(text, reader.rel(path), sink) if text is not None else []
            failures += [p for p in (problem, *sink.problems()) if p is not None]
            checker = schemas.checker(layer, variant)
            for record in records:
                shape = [stamp("schema", f, record) for f in checker.check(record)]
                failures.extend(shape)
                if shape:
                    continue
                for span in [record.data, *(record.data[f] for f in layer.nested_spans if record.data.get(f))]:
                    try:
                        target = reanchor(new, span["text"], span["start"], offsets)
                    except AnchorError as err:
                        failures.append(Problem(record.path, record.line, "reanchor", f"{record.data['id']}: {err}"))
                        continue
                    moved += (target.start, target.end) != (span["start"], span["end"])
                    span["start"], span["end"] = target.start, target.end
            rewrites[path] = canonical_file(layer, [r.data for r in records], schemas)
    return rewrites, moved, failures


def run(args: argparse.Namespace) -> int:
    repo: Repo = args.repo
    schemas = Schemas(repo)
    reader = SafeReader(repo.root)
    doc = args.doc
    if not schemas.is_doc_id(doc):
        print(f"reanchor: {doc!r} is not a document id ({schemas.doc_id_pattern})", file=sys.stderr)
        return 2
    seed = repo.seed(doc)
    old = _old_text(repo, reader, doc)
    if old is None or not seed.is_file():
        problem = Problem(repo.rel(repo.generated_documents), 0, "reanchor", f"no previous text for {doc!r}")
        print(problem.text(), file=sys.stderr)
        return 2
    data, problem = reader.read(seed)
    new, undecodable = decode(data, repo.rel(seed)) if data is not None else (None, problem)
    if new is None:
        print(FORMATTERS["text"]([p for p in (problem, undecodable) if p is not None]))
        print("reanchor: nothing written; the new seed cannot be read", file=sys.stderr)
        return 1
    rewrites, moved, failures = _moved_files(repo, schemas, doc, old, new)
    if failures:
        print(FORMATTERS["text"](failures))
        print(f"reanchor: nothing written; {len(failures)} span(s) could not be re-anchored", file=sys.stderr)
        return 1
    digests, unreadable = reader.read_text(repo.digests)
    if unreadable is not None:  # rewriting an unreadable digests file would drop every other seed's pin
        print(unreadable.text())
        print("reanchor: nothing written; seeds/SHA256SUMS cannot be read", file=sys.stderr)
        return 1
    try:
        with transaction(repo) as writes:
            writes.update(rewrites)
            writes[repo.digests] = with_digest(digests or "", doc, sha256_hex(data))  # type: ignore[arg-type]
    except ChangeRejectedError as err:
        print(FORMATTERS["text"](err.problems), file=sys.stderr)
        print("reanchor: nothing written", file=sys.stderr)
        return 1
    print(f"reanchor: {moved} span(s) moved; digest of seeds/{doc}.txt pinned")
    return 0
