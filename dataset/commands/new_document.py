"""new-document: a text becomes a document (seed, pinned digest, documents record, empty layers) in one step.

The text is copied byte for byte, and refused when the validator would refuse it as a seed: the same seed rules
run on it before anything is written (not UTF-8, empty, a byte-order mark, carriage returns, not NFC). The
document id follows the convention of CONTRIBUTING.md: `NNN_<16 hex>`, NNN the next free number (three digits,
more past 999) and the hex the first 16 hex digits of the SHA-256 of the text's bytes. The documents record holds
only what the options give (null otherwise: only what the text states). Everything is written in one
transaction that validates and rebuilds, so a failure leaves the repository as it was. The new id is the only
thing printed on stdout, so a script can keep it: DOC=$(python -m dataset new-document ...).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..check.engine import SEED, run_rules
from ..check.views import SeedView
from ..derive.canonical import canonical_record
from ..layers import DOCUMENT_LAYER, SPAN_LAYERS
from ..problems import FORMATTERS, Problem
from ..read.corpus import Corpus, Seed
from ..read.digests import sha256_hex, with_digest
from ..read.files import SafeReader, decode
from ..repo import GOLD, Repo
from ..schemas import SOURCE, Schemas
from ..write.store import ChangeRejectedError, read_records, transaction, write_layer
from .options import as_usage, check_record, field_options, values

WRITES = True  # holds the repository lock for its whole run (write/lock.py)
HELP = "make a text a new document: copy it into seeds/, pin its digest, write its record and empty layer files"
HEX_DIGITS = 16  # of the text's SHA-256 in the document id
# Fields the command sets itself: the id, what the build derives from the seed, and the review.
COMPUTED = ("doc_id", "reviewed_by", "review_status")
_NUMBERED = re.compile(r"^([0-9]{3,})_")


def register(parser: argparse.ArgumentParser, repo: Repo) -> None:
    schemas = Schemas(repo)
    parser.add_argument("file", type=Path, metavar="FILE", help="the text (UTF-8, NFC, \\n line endings, no BOM)")
    skip = {*COMPUTED, *DOCUMENT_LAYER.derived}
    options = field_options(schemas, DOCUMENT_LAYER, [f for f in schemas.properties(DOCUMENT_LAYER) if f not in skip])
    for option in options:
        option.add_to(parser)
    parser.set_defaults(run=run, options=options)


def document_id(number: int, data: bytes) -> str:
    """NNN_<first 16 hex digits of the SHA-256 of the text's bytes>."""
    return f"{number:03d}_{sha256_hex(data)[:HEX_DIGITS]}"


def next_number(doc_ids: list[str]) -> int:
    """One more than the highest number any document id starts with (0 for the first)."""
    return max((int(m.group(1)) for d in doc_ids if (m := _NUMBERED.match(d))), default=-1) + 1


def _refuse(problems: list[Problem], code: int = 1) -> int:
    print(FORMATTERS["text"](problems), file=sys.stderr)
    print("new-document: not written: nothing was changed", file=sys.stderr)
    return code


def _read(path: Path) -> tuple[bytes | None, str, list[Problem]]:
    """The file's bytes (through the safe opener: a regular file, no link, within the size limit) and its name."""
    absolute = Path(path).absolute()
    reader = SafeReader(absolute.parent, display=str(Path(path).parent))
    shown = str(path).encode("utf-8", "backslashreplace").decode("utf-8")
    data, problem = reader.read(absolute)
    if problem is not None:
        return (
            None,
            shown,
            [Problem(shown, problem.line, problem.rule, problem.message, problem.expected, problem.found)],
        )
    if data is None:
        return None, shown, [Problem(shown, 1, "io", "no such file", "a text file", "nothing")]
    return data, shown, []


def run(args: argparse.Namespace) -> int:
    repo: Repo = args.repo
    schemas = Schemas(repo)
    data, shown, problems = _read(args.file)
    if data is None:
        return _refuse(problems)
    text, problem = decode(data, shown)
    if text is None:
        return _refuse([problem])  # type: ignore[list-item]
    digest = sha256_hex(data)
    # The validator's own seed rules, on the text as it would be stored.
    seed = Seed("", args.file, shown, present=True, digest=digest, text=text)
    refused = list(run_rules(SEED, GOLD, SeedView(seed, (digest, 1), shown)))
    if refused:
        return _refuse(refused)
    corpus = Corpus(repo, schemas)
    known = sorted({*corpus.doc_ids, *(path.stem for path in corpus.seed_files().values())})
    for name, (pinned, line) in sorted(corpus.pinned.items()):
        if pinned == digest:
            message = f"this text is already the seed {name}"
            return _refuse([Problem(repo.rel(repo.digests), line, "duplicate-seed", message, "a new text", digest)])
    doc_id = document_id(next_number(known), data)
    record = {"doc_id": doc_id, **values(args, args.options), "reviewed_by": None, "review_status": "unreviewed"}
    record = canonical_record(DOCUMENT_LAYER, record, schemas)
    usage = as_usage("new-document", check_record(schemas, DOCUMENT_LAYER, record, SOURCE), args.options)
    if usage:
        return _refuse(usage, 2)
    documents_file = repo.layer_file(DOCUMENT_LAYER)
    documents, broken = read_records(repo, documents_file)
    digests, unreadable = SafeReader(repo.root).read_text(repo.digests)
    if broken or unreadable is not None:
        return _refuse([*broken, *([unreadable] if unreadable else [])])
    try:
        with transaction(repo) as writes:
            writes[repo.seed(doc_id)] = text  # UTF-8 in, UTF-8 out: the same bytes
            writes[repo.digests] = with_digest(digests or "", doc_id, digest)
            write_layer(writes, DOCUMENT_LAYER, documents_file, [*documents, record], schemas)
            for layer in SPAN_LAYERS:
                writes[repo.layer_file(layer, doc_id)] = ""
    except ChangeRejectedError as err:
        return _refuse(err.problems)
    print(doc_id)
    layers = ", ".join(layer.name for layer in SPAN_LAYERS)
    print(
        f"added document {doc_id}: {repo.rel(repo.seed(doc_id))} (digest pinned in {repo.rel(repo.digests)}), "
        f"its record in {repo.rel(documents_file)} and empty files for {layers}; "
        f"annotate it with: python -m dataset add LAYER --doc {doc_id} ...",
        file=sys.stderr,
    )
    return 0
