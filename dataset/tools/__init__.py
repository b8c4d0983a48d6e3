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

from ..rules import TOOLS as TOOL_RULES  # one registry of rule ids: dataset/rules.py

__all__ = ["MAX_TOOL_FILE_BYTES", "TOOL_RULES"]

MAX_TOOL_FILE_BYTES = 16 * 1024 * 1024  # a tool file over this size is refused before it is parsed
