"""The benchmark's definitions as prose, from one set of strings: the README's tasks block and `evaluate --help`.

Everything here is assembled from the definitions where they live (the tasks and shared definitions in tasks.py,
the slices in slices.py, the intervals in bootstrap.py, the layers in layers.py), so the card and the command
line cannot say different things.
"""

from __future__ import annotations

import re
import textwrap

from ..derive.markdown import md
from ..layers import PROVENANCE, REGISTRY_LAYERS, SPAN_LAYERS
from .bootstrap import DEFINITION as INTERVALS
from .slices import SLICES
from .systems import SYSTEM_FILE, SYSTEM_SCHEMA
from .tasks import SHARED, TASKS

_SPAN = ", ".join(f"{layer.name}/" for layer in SPAN_LAYERS)
_REGISTRIES = " and ".join(f"{layer.name}.jsonl" for layer in REGISTRY_LAYERS)

PREDICTION_FORMAT = (
    f"A prediction is a folder laid out like annotations/: <layer>/<doc_id>.jsonl for each span layer it predicts "
    f"({_SPAN}), and {_REGISTRIES} for the registries. Records have the layers' shape as the JSON Schemas in schema/ "
    "define it (the same fields and ids, offsets into the seed with the text they cover), except that the provenance "
    f"fields ({', '.join(PROVENANCE)}) may be left out. A span layer is predicted when its folder exists; a document "
    "without a file in a predicted folder has nothing predicted in it, as an empty file says. A task is scored when "
    "every layer it needs is predicted, so a partial submission (only claims/, only boilerplate/) is scored on the "
    f"tasks it covers. A {SYSTEM_FILE} (one record: {', '.join(SYSTEM_SCHEMA['required'])}) says which system made "
    "the folder; it is required in annotations/predictions/<name>/, and its tasks, when not null, are the tasks scored "
    "by default. Before anything is scored, the folder is checked as a contribution is, with the same reading and "
    "shape rules and the rules that bind predictions (offsets and text against the seed, span boundaries, unique ids, "
    "references that resolve within the folder, files for known documents only); every problem is printed as "
    "path:line: rule-id: message, the exit code is 1, and nothing is scored."
)
TASK_NAMING = (
    "Each task needs the predicted layers listed with it; evaluate reports every metric named below (task, then "
    "metric, e.g. claims claim.relaxed.f1), and the README's results table its headline metrics."
)


def sections() -> list[tuple[str, list[tuple[str | None, str]]]]:
    """(title, [(item name or None, text), ...]) in reading order: what both renderings show."""
    tasks = [
        (
            name,
            f"(needs {', '.join(task.layers)}; headline {', '.join(task.headline)}"
            f"{'; see ' + ' and '.join(task.uses) + ' below' if task.uses else ''}) {task.text}",
        )
        for name, task in TASKS.items()
    ]
    return [
        ("Prediction format", [(None, PREDICTION_FORMAT)]),
        ("Tasks", [(None, TASK_NAMING), *tasks]),
        ("Shared definitions", list(SHARED.items())),
        ("Slices", [(None, SLICES)]),
        ("Confidence intervals", [(None, INTERVALS)]),
    ]


def markdown() -> str:
    """The README's tasks block: every definition, escaped (a definition's `|` or `*` is text, not Markdown)."""
    lines: list[str] = []
    for title, items in sections():
        lines.append(f"**{title}.**")
        lines.append("")
        for name, text in items:
            prefix = f"- **`{name}`** " if name is not None else ""
            lines.extend(_wrap(prefix + md(text), indent="  " if name is not None else ""))
            if name is None:
                lines.append("")
        if items[-1][0] is not None:
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def plain(width: int = 100) -> str:
    """The same definitions as plain text, for `evaluate --help` (argparse's raw epilog)."""
    out: list[str] = []
    for title, items in sections():
        out.append(title.upper())
        for name, text in items:
            indent = "  " if name is None else "      "
            line = text if name is None else f"{name}: {text}"
            out.append(
                textwrap.fill(
                    line,
                    width,
                    initial_indent="  ",
                    subsequent_indent=indent,
                    break_on_hyphens=False,
                    break_long_words=False,
                )
            )
        out.append("")
    return "\n".join(out)


_BLOCK_START = re.compile(r"^(?:[-+*>#|]|\d+[.)](?:\s|$))")  # would open a list, quote, heading or table


def _wrap(text: str, width: int = 116, indent: str = "") -> list[str]:
    """Greedy wrap at spaces, never starting a continuation line with what Markdown would read as a new block."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width and not _BLOCK_START.match(word):
            lines.append(current)
            current = indent + word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines
