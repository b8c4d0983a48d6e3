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

LINT_COMMANDS = {  # python -m dataset waive
    "waive": "a waiver was not written: no such warning fires for the record, or the justification is no reason",
}

REVIEW = {  # review apply: a person's verdicts from the report's review mode, written into the records
    "verdict-shape": (
        "a line of a verdict file is not a verdict (a field missing or unknown, a correction without its changes)"
    ),
    "verdict-reviewer": "a verdict's reviewer is not a person's id (people's agent ids start with person-)",
    "verdict-duplicate": "a verdict file holds two verdicts for the same record",
    "verdict-record": "a verdict names a record the dataset does not have",
    "verdict-stale": "the record changed since the report showed it (its digest differs): review it again",
    "verdict-correction": "a correction changes a field no review may change (id, document, provenance) or nothing",
    "verdict-result": "the record as the verdict leaves it does not match its schema (a value, or a note too long)",
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
    **LINT_COMMANDS,
    **REVIEW,
}

# Quality warnings of `python -m dataset lint` (dataset/lint/): never a refusal; each can be waived for one record
# with a reason (annotations/waivers.jsonl), and each has a test that makes it fire (tests/test_lint.py).
WARNINGS: dict[str, str] = {
    "cluster-type-drift": "the claims of one cluster have different types",
    "cluster-quantity-drift": "one cluster joins quantities that cannot be the same number (split and mark conflicts)",
    "cluster-modality-drift": "claims of one cluster that pass on the same source differ in modality",
    "speech-verb-no-source": "a claim holds a speech verb or attribution phrase (sagte, warnte, laut) but no source",
    "cue-without-source": "a claim has an attribution cue but no source (only 'heißt es' needs none)",
    "source-without-cue": "a claim has sources and an attribution expression in its span, but no cue",
    "cue-modal-verb": "a claim's cue is a modal verb or a Konjunktiv, which mark modality, not attribution",
    "asserted-with-source": "an attributed claim is marked asserted (attributed statements are reportive)",
    "hearsay-asserted": "a claim marked asserted holds a Konjunktiv I or hearsay 'sollen'",
    "speculative-cue": "a claim holds a speculative cue (könnte, offenbar, scheint, wohl) but is not speculative",
    "span-leading-connective": "a claim starts with a connective or label (Allerdings, Zudem, In der Zwischenzeit)",
    "span-leading-conjunction": "a claim starts with the conjunction of its clause (dass, ob, weil, obwohl, ...)",
    "span-relative-pronoun": "a claim starts a relative clause at its pronoun instead of its head noun",
    "span-final-punctuation": "a claim span ends with sentence-final punctuation",
    "span-crosses-sentence": "a claim span runs over the end of a sentence",
    "span-unbalanced-bold": "a span holds one markdown '**' without its partner",
    "claim-question": "a claim opens a question (questions are not claims)",
    "claim-meta": "a claim about the newsroom's own work or about what is known (not claims)",
    "quantity-vague": "a vague number whose quantity is not 'about' with the smallest value the words allow",
    "quantity-qualifier": "a quantity's qualifier disagrees with the word before its number (rund, über, bis zu)",
    "quantity-value": "a quantity's value differs from the one number its claim states",
    "lineage-segmentation": "aligned sentences of two renderings of one original are split into claims differently",
    "waiver-unjustified": "a waiver's justification is too short to check or a stock phrase",
    "waiver-stale": "a waiver for a record that changed or is gone, a warning that no longer fires, or no rule",
}


def describe(rule: str) -> str:
    return RULES.get(rule) or WARNINGS[rule]
