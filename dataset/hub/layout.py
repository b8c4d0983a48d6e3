"""Where a published (Hub-ready) folder keeps what: the layout datasets' own push_to_hub writes.

One Parquet file per config and split, ``<config>/<split>-00000-of-00001.parquet``, beside the dataset card
(README.md), the Croissant description (croissant.json) and the changelog; a text-free build adds hydrate.json,
which says which fields `python -m dataset hydrate` restores and pins the data they restore to.
"""

from __future__ import annotations

from ..derive.card import SPLIT

CARD = "README.md"
CROISSANT = "croissant.json"
CHANGELOG = "CHANGELOG.md"
HYDRATE = "hydrate.json"
# Written into every build: publish replaces only a folder that holds it (never a folder it did not make).
MARKER = ".dataset-publish"
MARKER_TEXT = "Built by `python -m dataset publish`; the next build replaces this whole folder.\n"
SPLITS: tuple[str, ...] = (SPLIT,)
# Rows per Parquet row group, fixed (datasets' own default writer batch size), so that the files depend on the data
# alone: never on how many processes read the corpus or how its documents were batched.
ROW_GROUP_ROWS = 1000


def parquet_file(config: str, split: str = SPLIT) -> str:
    """The one Parquet file of a config's split, relative to the published folder."""
    return f"{config}/{split}-00000-of-00001.parquet"


def data_files_pattern(config: str, split: str = SPLIT) -> str:
    """The card's data_files pattern for a config's split (matches its shards)."""
    return f"{config}/{split}-*"
