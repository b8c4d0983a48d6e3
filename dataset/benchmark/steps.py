"""The commands the bench measures on every generated corpus, each in a fresh process, as a user runs them.

`build` runs first: a generated corpus has no generated files yet, and validate compares them (as in a clone).
Report and publish write their output into the scratch folder, which goes with the corpus.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..repo import Repo
from .child import dataset_command


@dataclass(frozen=True)
class Step:
    name: str
    argv: Callable[[Repo, Path], list[str]]  # (corpus, scratch folder) -> the command line


STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step("build", lambda repo, scratch: dataset_command(repo.root, "build")),
        Step("validate", lambda repo, scratch: dataset_command(repo.root, "validate")),
        Step("report", lambda repo, scratch: dataset_command(repo.root, "report", "--out", str(scratch / "report"))),
        Step("publish", lambda repo, scratch: dataset_command(repo.root, "publish", "--out", str(scratch / "hub"))),
    )
}
