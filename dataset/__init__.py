"""Kursk claims dataset: five German news texts annotated for claims, sources and boilerplate."""

from .layers import LAYERS
from .loading import InvalidDatasetError, load, load_config
from .repo import Repo
from .validate import Report, validate

__version__ = "0.1.0"
__all__ = ["LAYERS", "InvalidDatasetError", "Repo", "Report", "__version__", "load", "load_config", "validate"]
