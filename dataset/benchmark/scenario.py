"""The plug-in interface of the benchmark: a scenario makes a corpus in a folder, and the bench measures it.

A scenario is a function under `@scenario(name, description)` in a module listed in MODULES: given the real
repository (to copy schemas, registries and texts from), a size and an empty folder, it writes a repository
there and says what it made (Generated: the repository, its documents and span records, and the exit code a
correct `validate` gives on it: 0, or 1 for a corpus meant to be refused). The bench then runs the same
commands on it as on any other corpus. A scenario with `fixed=True` has a size of its own (a worst case at the
size that matters) and is measured once, whatever `--records` says.

`copies` (the real documents under new ids) is the default; `long` grows documents instead of their number;
hostile.py's worst cases plug in through worst.py, under the group name `hostile` (`--scenario hostile` runs
them all, `--scenario hostile:blank-lines-16MiB` one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from ..repo import Repo

# Modules whose import registers scenarios, in the order `--list-scenarios` shows them; a module that is not
# there (an optional one) is skipped.
MODULES = ("copies", "long", "worst")
GROUP = ":"  # "hostile:blank-lines-16MiB" is in the group "hostile"


@dataclass(frozen=True)
class Generated:
    """What a scenario wrote: the repository, its documents and span records, and validate's correct exit code
    on it (every command is expected to refuse a corpus validate refuses)."""

    repo: Repo
    documents: int
    span_records: int
    expect: int = 0
    what: str = ""  # for a fixed case: what is hostile about it


Make = Callable[[Repo, int, Path], Generated]


@dataclass(frozen=True)
class Scenario:
    """A named corpus maker: `size` is what `--records` asks for (span records), unless the scenario is fixed."""

    name: str
    description: str
    make: Make
    fixed: bool = False


SCENARIOS: dict[str, Scenario] = {}


def register_scenario(name: str, description: str, make: Make, *, fixed: bool = False) -> None:
    if name in SCENARIOS:
        raise ValueError(f"benchmark scenario {name!r} is registered twice")
    SCENARIOS[name] = Scenario(name, description, make, fixed)


def scenario(name: str, description: str, *, fixed: bool = False) -> Callable[[Make], Make]:
    """Register a corpus maker under a name for `python -m dataset bench --scenario NAME`."""

    def register(make: Make) -> Make:
        register_scenario(name, description, make, fixed=fixed)
        return make

    return register


def load_scenarios() -> dict[str, Scenario]:
    """Every registered scenario (importing the modules that register them, once)."""
    for module in MODULES:
        try:
            import_module(f"{__package__}.{module}")
        except ModuleNotFoundError as err:
            if err.name not in (f"{__package__}.{module}", f"{__package__}.hostile"):
                raise  # a scenario module that is there but broken must say so
    return SCENARIOS


def select(names: list[str]) -> tuple[list[Scenario], list[str]]:
    """The scenarios named (a group name selects its members), and the names that are neither."""
    scenarios = load_scenarios()
    chosen: list[Scenario] = []
    unknown = []
    for name in names:
        members = [s for key, s in scenarios.items() if key == name or key.startswith(name + GROUP)]
        if not members:
            unknown.append(name)
        chosen += [s for s in members if s not in chosen]
    return chosen, unknown
