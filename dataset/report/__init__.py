"""The review report: a static site that draws the annotations on the texts (python -m dataset report), with a
review mode whose verdicts `python -m dataset review apply` writes into the records (verdicts.py)."""

from .changes import Changes, changes_since
from .site import write_report

__all__ = ["Changes", "changes_since", "write_report"]
