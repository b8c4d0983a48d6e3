"""The review report: a static site that draws the annotations on the texts (python -m dataset report)."""

from .changes import Changes, changes_since
from .site import write_report

__all__ = ["Changes", "changes_since", "write_report"]
