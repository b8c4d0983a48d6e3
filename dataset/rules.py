"""Every rule id any command emits, with a one-line description: the registry users search, filter and cite.

Errors (RULES) make a command refuse; quality warnings (WARNINGS, `python -m dataset lint`) never do. A rule
function registers under its id (check/engine.py refuses an id that is not here), and tests/test_rules.py fails
when code emits an id this file lacks, or when an id here has no test that makes it fire.
"""

from __future__ import annotations

READING = {
    "encoding": "a file is not valid UTF-8",
    "json": "a line is not one JSON object",
    "json-duplicate-key": "a JSON object repeats a key (the standard parser would keep the last silently)",
    "json-number": "a number too large to represent (it would parse as infinity, which no writer can write back)",
    "lone-surrogate": "a string holds a lone UTF-16 surrogate (\\ud800-\\udfff), which is not text",
    "blank-line": "an empty line in a JSONL file",
    "no-final-newline": "the last line of a JSONL file has no newline",
    "bom": "a JSONL file starts with a UTF-8 byte-order mark",
    "crlf": "a JSONL file has Windows line endings",
    "symlink": "a symbolic link where a file or folder of the repository belongs (links are never followed)",
    "not-a-file": "something other than a regular file (a folder, a named pipe, a device) where a file belongs",
    "outside-repository": "a file to be read lies outside the repository",
    "io": "a file cannot be read or written (permissions, disk full, ...)",
    "file-too-large": "a file over the size limit (dataset/read/limits.py)",
    "line-too-long": "a JSONL line over the length limit",
    "json-too-deep": "a record nested deeper than the limit",
    "too-many-records": "a file with more records than the limit",
}

SHAPE = {
    "schema": "a record does not match its layer's JSON Schema",
    "schema-file": "a schema file is missing, is not JSON, or is not a valid Draft 2020-12 schema",
    "derived-field": "the hand-written documents file sets a field the build derives from the seed",
}

TABLES = {
    "duplicate-id": "two records of a layer share an id",
    "span-order": "a span does not have start < end",
    "span-bounds": "a span ends beyond its document's text",
    "dangling-ref": "a reference does not resolve (mention, entity or cluster id)",
}

SEEDS = {
    "seed-digest": "a seed's SHA-256 differs from the pinned digest",
    "seed-unpinned": "a seed with no pinned digest in seeds/SHA256SUMS, or a seed file name that is not a document id",
    "seed-missing": "a pinned digest for a seed file that does not exist",
    "seed-empty": "a seed file that is empty (a document needs text)",
    "digest-format": "a line of seeds/SHA256SUMS is not '<sha256>  <file>'",
    "document-missing": "a seed without a documents record, or a documents record without a seed",
    "document-unknown": "an annotation file or record for a document that has no documents record",
    "annotations-missing": "a required annotation file is missing (a span layer file of a document: create it empty)",
}

SPANS = {
    "span-text": "a span's text is not the seed's text at its offsets",
    "span-whitespace": "a span starts or ends on whitespace",
    "span-normalization": "a span's text differs from the seed only in Unicode normalization (e.g. NFD umlauts)",
    "span-inside-word": "a span starts or ends inside a word",
    "span-splits-character": "a span boundary splits a user-perceived character (an extended grapheme cluster)",
    "id-prefix": "a record's id does not start with its document's id",
    "wrong-file": "a record's doc_id is not the document its file is named for",
}

CROSS_LAYER = {
    "boilerplate-overlap": "two boilerplate spans overlap",
    "duplicate-span": "two records of one layer cover the same span of a document",
    "cue-is-mention": "a claim's cue is exactly one of the document's source mentions",
    "cue-outside-claim": "a claim's cue lies outside its claim's sentence, or in boilerplate",
    "claim-boilerplate-overlap": (
        "a claim partly overlaps boilerplate, or contains boilerplate that does not interrupt a sentence"
    ),
    "claim-in-boilerplate": "a claim lies inside boilerplate",
    "mention-placement": "a source mention is neither in editorial content nor inside a credits line",
}

REGISTRIES = {
    "unused-entity": "an entity no mention links to",
    "unused-cluster": "a cluster no claim belongs to",
    "cluster-single-document": "a cluster whose claims all come from one document and that conflicts with no cluster",
    "conflict-asymmetric": "cluster A conflicts with B but B does not name A (or A names itself)",
    "review-file": "a stored clustering under annotations/review/clusters/ has a malformed line",
}

BUILD = {
    "generated-stale": "a generated data file differs from what `build` makes (run: python -m dataset build)",
    "card-stale": "the README's YAML header or a generated block differs from what `build` makes",
    "card-block": "the README's generated blocks are missing, repeated or out of order",
}

COMMANDS = {
    "repository": "no dataset repository at or above the working directory",
    "lock": "another command held the repository lock for longer than this one waits",
    "usage": "a command was called with missing or invalid options",
    "anchor": "a quote is missing from the seed, ambiguous, or starts or ends on whitespace",
    "fmt": "a file is not in canonical order and form (run: python -m dataset fmt)",
    "reanchor": "a span could not be moved to its quote's new position",
    "changed-since": "git cannot read the revision a command compares with",
    "internal-error": "a bug: the command failed in a way it should have reported as a rule",
}

PUBLISH = {
    "publish-out": "the output folder (of publish or hydrate) exists and is not a build of publish: never replaced",
    "hub-metadata": "the card's metadata has a value the Hub would reject (checked offline, dataset/hub/values.py)",
    "croissant": "mlcroissant refuses croissant.json, or reads back other records than were written",
    "publish-mismatch": "load_dataset of the built folder gives other rows (digest, count) or features than written",
    "push": "the upload to the Hub failed or could not start (offline mode, network, token, Hub error)",
    "publish-unreviewed": "publish --require-reviewed: a record's review_status is still 'unreviewed'",
    "publish-quotes": "a text-free build's card, croissant.json or changelog would quote a seed (a run of five of its "
    "words outside the README's seed-quote markers), or those markers are not paired",
    "hydrate-folder": "the folder given to hydrate is not a text-free build, or its files disagree with each other",
    "hydrate-missing": "hydrate found no text for a document (no <doc_id>.txt, no file with its SHA-256)",
    "hydrate-digest": "a text given to hydrate is not the pinned one: its SHA-256 differs (it is never used)",
    "hydrate-mismatch": "the hydrated rows do not hash to the digest the text-free build pinned for the full data",
}

TOOLS = {  # import-tool: reading an annotation tool's export back
    "tool-too-large": "a tool file is over the size limit and was not parsed",
    "tool-file": "an expected file, task or annotation is missing from the tool export, or is ambiguous",
    "tool-json": "a Label Studio file (or a brat note) is not valid JSON or not of the expected structure",
    "tool-xml": "an XMI or type system file is not well-formed, unsafe (DTD, entities) or not of the type system",
    "tool-standoff": "a brat .ann line is not valid standoff syntax",
    "tool-text": "the document text, or the text a tool says a span covers, differs from the seed",
    "tool-offset": "a span's offsets are not integers, lie outside the text, split a character or are not contiguous",
    "tool-whitespace": "a span begins or ends with whitespace",
    "tool-label": "an unknown layer, label, attribute or field, a value outside its closed set, or a missing value",
    "tool-reference": "a link to an unknown or wrong span, a cue no claim uses, or an unknown or conflicting entity",
    "tool-user": "no valid agent id for the records the tool added or changed",
}

TOOL_COMMANDS = {  # export-tool and import-tool
    "tool-extra": "a tool converter's optional dependencies (the [tools] extra: dkpro-cassis, lxml) are not installed",
    "tool-out": "export-tool's output folder exists and was not made by export-tool (it is never replaced)",
}

EVALUATE = {  # evaluate, baseline and the committed prediction folders
    "prediction-folder": "the prediction folder is missing, not a folder, or holds no layer the benchmark scores",
    "prediction-tasks": "a task was asked for that the prediction folder's layers do not cover",
    "prediction-metadata": "a prediction folder's system.jsonl is missing (committed folders) or malformed",
    "baseline-dependency": "a baseline needs the optional [baselines] extra, which is not installed",
    "baseline-out": "the baseline's output folder exists and is not a prediction folder (it is never replaced)",
}

GROW = {  # a new document and the registry records it brings (new-document, add)
    "seed-bom": "a seed starts with a UTF-8 byte-order mark, which is not part of the text",
    "seed-line-ending": "a seed has carriage returns (CR or CRLF line endings) where \\n belongs",
    "seed-not-nfc": "a seed's text is not in Unicode NFC (quotes typed or copied elsewhere would not match it)",
    "duplicate-seed": "new-document was given a text that is already a seed (the same SHA-256)",
    "id-taken": "a new entity or cluster would get the id of an existing one (made from the same name)",
}

RULES: dict[str, str] = {
    **READING,
    **SHAPE,
    **TABLES,
    **SEEDS,
    **SPANS,
    **CROSS_LAYER,
    **REGISTRIES,
    **BUILD,
    **COMMANDS,
    **PUBLISH,
    **TOOLS,
    **TOOL_COMMANDS,
    **EVALUATE,
    **GROW,
}

# Quality warnings of `python -m dataset lint`: never a refusal; each can be waived for one record with a reason.
WARNINGS: dict[str, str] = {}


def describe(rule: str) -> str:
    return RULES.get(rule) or WARNINGS[rule]
