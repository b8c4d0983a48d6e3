"""Quality warnings a machine can check (`python -m dataset lint`), apart from the validator's errors.

`lint(repo)` returns the warnings no waiver hides; `run(repo)` the full report. Rules live in small modules by
theme (attribution, modality, spans, kinds, quantities, clusters, lineage), each registered under an id of
dataset/rules.py WARNINGS; waivers (annotations/waivers.jsonl) are in waivers.py.
"""

from __future__ import annotations

from .run import LintRefusedError, LintReport, lint, run

__all__ = ["LintRefusedError", "LintReport", "lint", "run"]
