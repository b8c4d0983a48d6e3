"""One bench run: for each size, make the scenario's corpus, time parsing it, then time each command on it.

Everything for one size is measured on the same files, then the folder goes (unless --keep asks otherwise), so
the largest corpus is the only one on disk at a time.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..repo import Repo
from . import child
from .parse import Parse, parse_all
from .scenario import Generated, Scenario
from .steps import STEPS


@dataclass
class Row:
    """Everything measured on one corpus."""

    scenario: Scenario
    size: int
    generated: Generated
    generate_seconds: float
    parse: Parse
    runs: dict[str, child.Run] = field(default_factory=dict)


class _Progress:
    """Which corpus and command the bench is on, with time left (tqdm), on a terminal only."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.bar = None
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="step", file=sys.stderr, leave=False, dynamic_ncols=True)

    def doing(self, what: str) -> None:
        if self.bar is not None:
            self.bar.set_description_str(what)

    def done(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


T = TypeVar("T")


def _median(measured: list[T], key: str) -> T:
    """The run with the median figure (the lower middle of an even number): one real run, quoted whole."""
    return sorted(measured, key=lambda m: getattr(m, key))[(len(measured) - 1) // 2]


@contextmanager
def _folder(keep: Path | None, name: str) -> Iterator[Path]:
    if keep is not None:
        folder = keep / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        yield folder
        return
    with tempfile.TemporaryDirectory(prefix="kursk-bench-") as tmp:
        yield Path(tmp)


def bench(
    source: Repo,
    scenarios: Sequence[Scenario],
    sizes: Sequence[int],
    steps: Sequence[str],
    *,
    timeout: float | None = None,
    progress: bool = False,
    keep: Path | None = None,
    repeat: int = 1,
) -> Iterator[Row]:
    """Measure `steps` (build always first: validate compares the generated files) on each scenario's corpora,
    smallest first (a fixed scenario once, at its own size); each figure the median of `repeat` runs."""
    names = ["build", *(name for name in STEPS if name in steps and name != "build")]
    plan = [(scenario, size) for scenario in scenarios for size in ([0] if scenario.fixed else sorted(sizes))]
    bar = _Progress(len(plan) * (1 + repeat * (1 + len(names))), progress)
    try:
        for scenario, size in plan:
            label = scenario.name if scenario.fixed else f"{scenario.name} {size:,} span records"
            with _folder(keep, f"{scenario.name.replace(':', '-')}-{size}") as scratch:
                bar.doing(f"{label}: generating")
                started = time.perf_counter()
                generated = scenario.make(source, size, scratch / "corpus")
                row = Row(scenario, size, generated, time.perf_counter() - started, Parse(0, 0, 0, 0))
                bar.done()
                parses, runs = [], {name: [] for name in names}
                for _ in range(repeat):  # in turn, so a slow spell of a shared machine touches every figure alike
                    bar.doing(f"{label}: json.loads")
                    parses.append(parse_all(generated.repo))
                    bar.done()
                    for name in names:
                        bar.doing(f"{label}: {name}")
                        runs[name].append(child.run(STEPS[name].argv(generated.repo, scratch), timeout=timeout))
                        bar.done()
                row.parse = _median(parses, "seconds")
                row.runs = {name: _median(measured, "seconds") for name, measured in runs.items()}
            yield row
    finally:
        bar.close()
