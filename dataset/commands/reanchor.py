"""reanchor: after a seed's text was corrected, move every span to its quote's new position."""

from __future__ import annotations

import argparse
import json
import re
import sys

from ..anchor import AnchorError, OffsetMap, reanchor
from ..build import sha256_of
from ..canonical import canonical_file
from ..layers import SPAN_LAYERS
from ..problems import FORMATTERS, Problem
from ..reading import read_jsonl
from ..repo import Repo
from ..schemas import Schemas
from ..store import ChangeRejectedError, transaction

HELP = "after a seed's text changed, move every span to its quote's new position; pin the new digest only if all moved"


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    parser.add_argument("--doc", required=True, help="document id whose seed changed")
    parser.set_defaults(run=run)


def _old_text(repo: Repo, doc: str) -> str | None:
    """The text the spans were anchored to: the generated documents table holds it as last built."""
    if not repo.generated_documents.is_file():
        return None
    for line in repo.generated_documents.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("doc_id") == doc:
            return row.get("text")
    return None


def _pinned(repo: Repo, doc: str, digest: str) -> str:
    """seeds/SHA256SUMS with the document's line replaced (order kept)."""
    lines = repo.digests.read_text(encoding="utf-8").splitlines()
    name = f"{doc}.txt"
    out = [f"{digest}  {name}" if line.endswith(f"  {name}") else line for line in lines]
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace) -> int:
    repo = Repo.find(args.root)
    doc = args.doc
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", doc):
        print(f"reanchor: {doc!r} is not a document id (lower-case letters, digits, _ and -)", file=sys.stderr)
        return 2
    seed = repo.seed(doc)
    old = _old_text(repo, doc)
    if old is None or not seed.is_file():
        print(f"{repo.rel(repo.generated_documents)}:0: reanchor: no previous text for {doc!r}", file=sys.stderr)
        return 2
    new = seed.read_bytes().decode("utf-8", errors="strict")
    offsets = OffsetMap(old, new)
    schemas = Schemas(repo)
    failures: list[Problem] = []
    rewrites = {}
    moved = 0
    for layer in SPAN_LAYERS:
        path = repo.layer_file(layer, doc)
        records, unreadable = read_jsonl(path, repo.rel(path))
        failures.extend(unreadable)
        for record in records:
            for span in [record.data, *(record.data[f] for f in layer.nested_spans if record.data.get(f))]:
                try:
                    target = reanchor(new, span["text"], span["start"], offsets)
                except AnchorError as err:
                    failures.append(Problem(record.path, record.line, "reanchor", f"{record.data.get('id')}: {err}"))
                    continue
                moved += (target.start, target.end) != (span["start"], span["end"])
                span["start"], span["end"] = target.start, target.end
        rewrites[path] = canonical_file(layer, [r.data for r in records], schemas)
    if failures:
        print(FORMATTERS["text"](failures))
        print(f"reanchor: nothing written; {len(failures)} span(s) could not be re-anchored", file=sys.stderr)
        return 1
    try:
        with transaction(repo) as writes:
            writes.update(rewrites)
            writes[repo.digests] = _pinned(repo, doc, sha256_of(seed))
    except ChangeRejectedError as err:
        print(FORMATTERS["text"](err.problems), file=sys.stderr)
        return 1
    print(f"reanchor: {moved} span(s) moved; digest of seeds/{doc}.txt pinned")
    return 0
