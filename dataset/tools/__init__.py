"""Conversion between the dataset's records and annotation tools (INCEpTION, Label Studio, brat).

Each tool module offers the same pure functions, with no file or network access of their own:

- ``project_config(labels) -> dict[str, bytes]``: the tool's project configuration, generated from the schemas;
- ``export_document(doc, entities, clusters, labels, suggestions=None) -> dict[str, bytes]``: what the tool imports;
- ``import_document(files, doc_id, text, existing, entities, clusters, labels, user, reviewer=None)
  -> (ToolDocument, changed entities, changed clusters, problems)``: the tool's export read back into records.

``labels`` comes from ``dataset.tools.labels.build_labels(Schemas(repo))``; the shared model and the offset
conversions are in ``dataset.tools.model``. Problems are returned, never raised: on any problem the caller
writes nothing.
"""

MAX_TOOL_FILE_BYTES = 16 * 1024 * 1024  # a tool file over this size is refused before it is parsed

# One line per rule id that an import can report.
TOOL_RULES: dict[str, str] = {
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
