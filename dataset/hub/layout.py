"""Where a published (Hub-ready) folder keeps what: the layout datasets' own push_to_hub writes.

One Parquet file per config and split, ``<config>/<split>-00000-of-00001.parquet``, beside the dataset card
(README.md), the Croissant description (croissant.json) and the changelog.
"""

from __future__ import annotations

from ..derive.card import SPLIT

CARD = "README.md"
CROISSANT = "croissant.json"
CHANGELOG = "CHANGELOG.md"
# Written into every build: publish replaces only a folder that holds it (never a folder it did not make).
MARKER = ".dataset-publish"
MARKER_TEXT = "Built by `python -m dataset publish`; the next build replaces this whole folder.\n"
SPLITS: tuple[str, ...] = (SPLIT,)


def parquet_file(config: str, split: str = SPLIT) -> str:
    """The one Parquet file of a config's split, relative to the published folder."""
    return f"{config}/{split}-00000-of-00001.parquet"


def data_files_pattern(config: str, split: str = SPLIT) -> str:
    """The card's data_files pattern for a config's split (matches its shards)."""
    return f"{config}/{split}-*"
