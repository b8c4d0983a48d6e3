"""The published dataset card: the README's metadata and prose, with configs pointing at the Parquet files.

Built and parsed with huggingface_hub's card classes from the same CARD_METADATA and card_configs as the
README's header, so the published card never restates a fact the repository already states.
"""

from __future__ import annotations

from huggingface_hub import DatasetCard, DatasetCardData

from .build import CARD_METADATA, card_configs, split_card
from .hub_layout import CHANGELOG, data_files_pattern
from .provenance import Stamp
from .repo import Repo
from .schemas import Schemas


def card_data(repo: Repo, schemas: Schemas) -> DatasetCardData:
    configs = card_configs(repo, schemas, data_files=lambda layer: data_files_pattern(layer.name))
    return DatasetCardData(**CARD_METADATA, configs=configs)


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


def published_card(repo: Repo, schemas: Schemas, stamp: Stamp) -> DatasetCard:
    readme = repo.readme.read_text(encoding="utf-8") if repo.readme.is_file() else ""
    _, body = split_card(readme)
    data = card_data(repo, schemas)
    return DatasetCard(f"---\n{data.to_yaml()}\n---\n{_with_note(body, stamp_note(stamp))}")
