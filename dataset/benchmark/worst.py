"""hostile.py's worst cases as bench scenarios, each at the size it is defined at (group `hostile`).

A case builds its repository and says the exit code a correct `validate` gives on it; the bench measures it
like any corpus (build first, then validate and the other commands asked for). Its span records are counted
from its span files (a file of blank lines holds none).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..layers import SPAN_LAYERS
from ..repo import Repo
from .hostile import WORST_CASES, Case
from .scenario import GROUP, Generated, register_scenario


def _span_records(repo: Repo) -> tuple[int, int]:
    """(documents, non-blank lines of span files) of a built repository."""
    documents = len(list(repo.seeds.glob("*.txt")))
    records = 0
    for layer in SPAN_LAYERS:
        folder = repo.layer_file(layer, "x").parent
        for path in folder.glob("*.jsonl") if folder.is_dir() else []:
            with path.open("rb") as lines:
                records += sum(1 for line in lines if line.strip())
    return documents, records


def _maker(build: Callable[[Repo, Path], Case]) -> Callable[[Repo, int, Path], Generated]:
    def make(source: Repo, size: int, root: Path) -> Generated:
        case = build(source, root)
        repo = Repo(case.root)
        documents, records = _span_records(repo)
        return Generated(repo, documents, records, case.expect, case.what)

    return make


for _name, _build in WORST_CASES.items():
    register_scenario(f"hostile{GROUP}{_name}", f"hostile worst case {_name}", _maker(_build), fixed=True)
