"""Kursk claims dataset: German news texts annotated for claims, sources and boilerplate.

The package follows the data's way: the model (layers, repo, schemas, problems, rules) at the bottom; read/ (one
corpus reader, one safe opener); check/ (the rules); derive/ (canonical form, features, figures, card); write/
(atomic files, the lock, transactions, the build, export); hub/ (publishing); then report/, commands/ and cli.
Heavy libraries (datasets, pandera, mlcroissant) are imported where they are used, so the command line starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "1.1.0"
__all__ = ["LAYERS", "InvalidDatasetError", "Repo", "Report", "__version__", "load", "load_config", "validate"]

if TYPE_CHECKING:
    from .check.run import Report, validate
    from .layers import LAYERS
    from .loading import InvalidDatasetError, load, load_config
    from .repo import Repo

_EXPORTS = {
    "LAYERS": ".layers",
    "Repo": ".repo",
    "Report": ".check.run",
    "validate": ".check.run",
    "InvalidDatasetError": ".loading",
    "load": ".loading",
    "load_config": ".loading",
}


def __getattr__(name: str) -> Any:
    """The public API, imported on first use (so `python -m dataset --help` does not import datasets)."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'dataset' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_EXPORTS[name], __name__), name)
