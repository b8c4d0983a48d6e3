"""reanchor: after a seed's text was corrected, move every span to its quote's new position."""

from __future__ import annotations

import argparse
import re
import sys

from ..anchor import AnchorError, OffsetMap, reanchor
from ..build import sha256_of
from ..canonical import canonical_file
from ..checks.shape import check_shape
from ..digests import with_digest
from ..layers import SPAN_LAYERS
from ..problems import FORMATTERS, Problem
from ..reading import read_jsonl, read_text
from ..repo import Repo
from ..schemas import Schemas
from ..store import ChangeRejectedError, transaction

WRITES = True  # holds the repository lock for its whole run (dataset.lock)
HELP = "after a seed's text changed, move every span to its quote's new position; pin the new digest only if all moved"


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.add_argument("--doc", required=True, help="document id whose seed changed")
    parser.set_defaults(run=run)


def _old_text(repo: Repo, doc: str) -> str | None:
    """The text the spans were anchored to: the generated documents table holds it as last built."""
    if not repo.generated_documents.is_file():
        return None
    records, _ = read_jsonl(repo.generated_documents, repo.rel(repo.generated_documents))
    return next((r.data.get("text") for r in records if r.data.get("doc_id") == doc), None)


def _moved_files(repo: Repo, schemas: Schemas, doc: str, old: str, new: str) -> tuple[dict, int, list[Problem]]:
    """New contents of every span file of the document (final layers, stored passes, predictions), the number of
    spans moved, and the spans that could not move."""
    offsets = OffsetMap(old, new)
    failures: list[Problem] = []
    rewrites = {}
    moved = 0
    for root in repo.span_roots():
        for layer in SPAN_LAYERS:
            path = root / layer.name / f"{doc}.jsonl"
            if not path.is_file() and not path.is_symlink():
                continue
            records, unreadable = read_jsonl(path, repo.rel(path))
            failures.extend(unreadable)
            for record in records:
                shape = list(check_shape(record, schemas.validator(layer)))
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
    repo = Repo.find(args.root)
    schemas = Schemas(repo)
    doc = args.doc
    if not re.fullmatch(schemas.doc_id_pattern, doc):
        print(f"reanchor: {doc!r} is not a document id ({schemas.doc_id_pattern})", file=sys.stderr)
        return 2
    seed = repo.seed(doc)
    old = _old_text(repo, doc)
    if old is None or not seed.is_file():
        print(f"{repo.rel(repo.generated_documents)}:0: reanchor: no previous text for {doc!r}", file=sys.stderr)
        return 2
    new, unreadable = read_text(seed, repo.rel(seed))
    if new is None:
        print(FORMATTERS["text"](unreadable))
        print("reanchor: nothing written; the new seed cannot be read", file=sys.stderr)
        return 1
    rewrites, moved, failures = _moved_files(repo, schemas, doc, old, new)
    if failures:
        print(FORMATTERS["text"](failures))
        print(f"reanchor: nothing written; {len(failures)} span(s) could not be re-anchored", file=sys.stderr)
        return 1
    try:
        with transaction(repo) as writes:
            writes.update(rewrites)
            writes[repo.digests] = with_digest(repo, doc, sha256_of(seed))
    except ChangeRejectedError as err:
        print(FORMATTERS["text"](err.problems), file=sys.stderr)
        return 1
    print(f"reanchor: {moved} span(s) moved; digest of seeds/{doc}.txt pinned")
    return 0
