"""Validation rules. Each rule id is registered in RULES with a one-line description."""

RULES: dict[str, str] = {
    # reading
    "encoding": "a file is not valid UTF-8",
    "json": "a line is not one JSON object",
    "json-duplicate-key": "a JSON object repeats a key (the standard parser would keep the last silently)",
    "blank-line": "an empty line in a JSONL file",
    "no-final-newline": "the last line of a JSONL file has no newline",
    "bom": "a JSONL file starts with a UTF-8 byte-order mark",
    "crlf": "a JSONL file has Windows line endings",
    "symlink": "a symbolic link among the seeds or annotations (links are never followed)",
    "file-too-large": "a file over the size limit (dataset/limits.py)",
    "line-too-long": "a JSONL line over the length limit",
    "json-too-deep": "a record nested deeper than the limit",
    "too-many-records": "a file with more records than the limit",
    # record shape (jsonschema)
    "schema": "a record does not match its layer's JSON Schema",
    # table invariants (pandera)
    "duplicate-id": "two records of a layer share an id",
    "span-order": "a span does not have start < end",
    "span-bounds": "a span ends beyond its document's text",
    "dangling-ref": "a reference does not resolve (mention, entity or cluster id)",
    # seed consistency
    "span-text": "a span's text is not the seed's text at its offsets",
    "span-whitespace": "a span starts or ends on whitespace",
    "span-normalization": "a span's text differs from the seed only in Unicode normalization (e.g. NFD umlauts)",
    "span-inside-word": "a span starts or ends inside a word",
    "span-splits-character": "a span boundary separates a combining mark or a CR LF pair from its character",
    "id-prefix": "a record's id does not start with its document's id",
    "wrong-file": "a record's doc_id is not the document its file is named for",
    # cross-layer
    "boilerplate-overlap": "two boilerplate spans overlap",
    "duplicate-span": "two records of one layer cover the same span of a document",
    "cue-is-mention": "a claim's cue is exactly one of the document's source mentions",
    "claim-boilerplate-overlap": (
        "a claim partly overlaps boilerplate, or contains boilerplate that does not interrupt a sentence"
    ),
    "claim-in-boilerplate": "a claim lies inside boilerplate",
    "mention-placement": "a source mention is neither in editorial content nor inside a credits line",
    "unused-entity": "an entity no mention links to",
    "unused-cluster": "a cluster no claim belongs to",
    "cluster-single-document": "a cluster whose claims all come from one document and that conflicts with no cluster",
    "conflict-asymmetric": "cluster A conflicts with B but B does not name A (or A names itself)",
    # documents and seeds
    "document-unknown": "an annotation file or record for a document that has no documents record",
    "annotations-missing": "a required annotation file is missing (a span layer file of a document: create it empty)",
    "schema-file": "a schema file is missing, is not JSON, or is not a valid Draft 2020-12 schema",
    "review-file": "a stored clustering under annotations/review/clusters/ has a malformed line",
    "document-missing": "a seed without a documents record, or a documents record without a seed",
    "derived-field": "the hand-written documents file sets a field the build derives from the seed",
    "seed-digest": "a seed's SHA-256 differs from the pinned digest",
    "seed-unpinned": "a seed with no pinned digest in seeds/SHA256SUMS",
    "seed-missing": "a pinned digest for a seed file that does not exist",
    "digest-format": "a line of seeds/SHA256SUMS is not '<sha256>  <file>'",
    "generated-stale": (
        "annotations/generated/documents.jsonl differs from what the build makes (run: python -m dataset build)"
    ),
    "card-stale": (
        "the README's YAML header or figures block differs from what the build makes (run: python -m dataset build)"
    ),
}
