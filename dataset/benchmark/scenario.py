"""The plug-in interface of the benchmark: a scenario makes a corpus of a requested size in a folder.

A scenario is a function under `@scenario(name, ...)` in a module listed in MODULES: given the real repository
(to copy schemas, registries and texts from), a size and an empty folder, it writes a repository there and says
what it made. The bench then measures the same commands on it as on any other corpus. `copies` (the real
documents copied under new ids) is the default; hostile corpora (worst cases for the reader and the rules)
plug in the same way, and may say that the corpus is not meant to validate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from ..repo import Repo

# Modules whose import registers scenarios, in the order `--scenario` lists them; a module that is not there
# (an optional one) is skipped.
MODULES = ("copies", "long", "hostile")


@dataclass(frozen=True)
class Generated:
    """What a scenario wrote: the repository, its number of documents and of span records."""

    repo: Repo
    documents: int
    span_records: int


Make = Callable[[Repo, int, Path], Generated]


@dataclass(frozen=True)
class Scenario:
    """A named corpus maker. `size` is what `--records` asks for (span records, unless `unit` says otherwise);
    `valid` says whether validate is meant to pass on it (a hostile corpus is meant to be refused, quickly)."""

    name: str
    description: str
    make: Make
    valid: bool = True
    unit: str = "span records"


SCENARIOS: dict[str, Scenario] = {}


def scenario(name: str, description: str, *, valid: bool = True, unit: str = "span records") -> Callable[[Make], Make]:
    """Register a corpus maker under a name for `python -m dataset bench --scenario NAME`."""

    def register(make: Make) -> Make:
        if name in SCENARIOS:
            raise ValueError(f"benchmark scenario {name!r} is registered twice")
        SCENARIOS[name] = Scenario(name, description, make, valid, unit)
        return make

    return register


def load_scenarios() -> dict[str, Scenario]:
    """Every registered scenario (importing the modules that register them, once)."""
    for module in MODULES:
        try:
            import_module(f"{__package__}.{module}")
        except ModuleNotFoundError as err:
            if err.name != f"{__package__}.{module}":
                raise  # a scenario module that is there but broken must say so
    return SCENARIOS
