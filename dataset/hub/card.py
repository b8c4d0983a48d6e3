"""The published dataset card: the README's metadata and prose, with configs pointing at the Parquet files.

Built from the README's own YAML header (which the build generated and `publish` has checked is current), parsed
and written with huggingface_hub's card classes, so the published card never restates a fact the repository states.
"""

from __future__ import annotations

import yaml
from huggingface_hub import DatasetCard, DatasetCardData

from ..derive.card import split_card
from .layout import CHANGELOG, data_files_pattern
from .provenance import Stamp


def card_data(readme: str) -> DatasetCardData:
    """The README header's metadata, with each config's data files pointing at its Parquet shards."""
    header, _ = split_card(readme)
    metadata = yaml.safe_load(header.strip().strip("-")) or {}
    for config in metadata.get("configs", []):
        config["data_files"] = [
            {**files, "path": data_files_pattern(config["config_name"], files["split"])}
            for files in config["data_files"]
        ]
    return DatasetCardData(**metadata)


def stamp_note(stamp: Stamp) -> str:
    return (
        f"> Published build of version {stamp.version}, from commit `{stamp.commit}` of the dataset's repository "
        f"(changes: [{CHANGELOG}]({CHANGELOG})). Each config is one Parquet file per split, built by "
        "`python -m dataset publish` from the annotation files; the data is the same as in the repository."
    )


def _with_note(body: str, note: str) -> str:
    """The body with the note after its first heading (or at the top if it has none)."""
    body = body.lstrip("\n")
    head, _, rest = body.partition("\n")
    if head.startswith("# "):
        return f"{head}\n\n{note}\n\n{rest.lstrip(chr(10))}"
    return f"{note}\n\n{body}"


def published_card(readme: str, stamp: Stamp) -> DatasetCard:
    _, body = split_card(readme)
    data = card_data(readme)
    return DatasetCard(f"---\n{data.to_yaml()}\n---\n{_with_note(body, stamp_note(stamp))}")
