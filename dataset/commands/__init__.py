"""One module per command; each has HELP and register(parser, repo), sets parser defaults run=..., and declares
WRITES = True when it writes (it then runs under the repository lock). Adding a command is adding a module and
a line here. Command modules import heavy libraries inside run(), so the command line starts fast.
"""

from __future__ import annotations

from . import (
    add,
    baseline,
    bench,
    build,
    diff,
    evaluate,
    export_tool,
    fmt,
    hydrate,
    import_tool,
    lint,
    new_document,
    publish,
    reanchor,
    report,
    review,
    stats,
    validate,
    waive,
)

COMMANDS = {
    "validate": validate,
    "build": build,
    "new-document": new_document,
    "add": add,
    "fmt": fmt,
    "reanchor": reanchor,
    "diff": diff,
    "stats": stats,
    "publish": publish,
    "hydrate": hydrate,
    "report": report,
    "review": review,
    "bench": bench,
    "export-tool": export_tool,
    "import-tool": import_tool,
    "evaluate": evaluate,
    "baseline": baseline,
    "lint": lint,
    "waive": waive,
}
