"""Conversion between the dataset's records and annotation tools (INCEpTION, Label Studio, brat).

Each tool module offers the same pure functions, with no file or network access of their own:

- ``project_config(labels) -> dict[str, bytes]``: the tool's project configuration, generated from the schemas;
- ``export_document(doc, entities, clusters, labels, suggestions=None) -> dict[str, bytes]``: what the tool imports;
- ``route(paths, read, doc_ids) -> (files per document, problems)``: which files of a tool's export folder belong
  to which document (by name, or for Label Studio by the task's ``data.doc_id``);
- ``import_document(files, doc_id, text, existing, entities, clusters, labels, user, reviewer=None)
  -> (ToolDocument, changed entities, changed clusters, problems)``: the tool's export read back into records.

``labels`` comes from ``dataset.tools.labels.build_labels(Schemas(repo))``; the shared model and the offset
conversions are in ``dataset.tools.model``. Problems are returned, never raised: on any problem the caller
writes nothing. The commands ``export-tool`` and ``import-tool`` (dataset/write/tools.py) read and write.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ..rules import TOOLS as TOOL_RULES  # one registry of rule ids: dataset/rules.py

__all__ = ["EXTRA", "MAX_TOOL_FILE_BYTES", "TOOLS", "TOOL_RULES", "MissingExtraError", "load"]

MAX_TOOL_FILE_BYTES = 16 * 1024 * 1024  # a tool file over this size is refused before it is parsed
EXTRA = "tools"  # the optional dependencies of pyproject.toml the converters need (dkpro-cassis, lxml)

# The tools, by the name of their module in this package: commands take their choices from here.
TOOLS = {
    "inception": "INCEpTION / WebAnno: a UIMA type system, tagsets and CAS XMI documents",
    "labelstudio": "Label Studio: a labeling config and JSON tasks with annotations and predictions",
    "brat": "brat: annotation.conf, visual.conf and standoff .txt/.ann documents",
}


class MissingExtraError(ImportError):
    """A converter's library is not installed: the optional extra is missing."""

    def __init__(self, tool: str, module: str) -> None:
        super().__init__(
            f"the {tool} converter needs the optional [{EXTRA}] dependencies, and {module} is not installed: "
            f"pip install 'kursk-claims[{EXTRA}]' (or pip install -e '.[{EXTRA}]' in a clone)"
        )
        self.tool, self.module = tool, module


def load(tool: str) -> ModuleType:
    """The converter module of a tool, imported now (its libraries are imported only by the commands that use it)."""
    if tool not in TOOLS:
        raise KeyError(tool)
    try:
        return importlib.import_module(f"{__name__}.{tool}")
    except ModuleNotFoundError as err:
        if err.name is None or err.name.split(".")[0] == __name__.split(".")[0]:
            raise  # our own module missing is a broken install, not a missing extra
        raise MissingExtraError(tool, err.name or str(err)) from err
