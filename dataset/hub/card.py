"""The published dataset card: the README's metadata and prose, with configs pointing at the Parquet files.

Built from the README's own YAML header (which the build generated and `publish` has checked is current), parsed
and written with huggingface_hub's card classes, so the published card never restates a fact the repository states.
A note after the first heading says what the build is; in a text-free build it says that the texts are left out
and how to restore them, the README's passages marked as quoting a seed are left out (hub/quotes.py), and the
license details say the texts are not included. `hydrate` swaps the note and the license details back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import yaml
from huggingface_hub import DatasetCard, DatasetCardData

from ..derive.card import split_card
from .layout import CHANGELOG, HYDRATE, data_files_pattern
from .provenance import Stamp
from .quotes import unmarked, without_quotes

NOTE_START, NOTE_END = "<!-- publish-note -->", "<!-- /publish-note -->"
_NOTE = re.compile(re.escape(NOTE_START) + r"\n.*?\n" + re.escape(NOTE_END), re.DOTALL)
LICENSE_DETAILS = "license_details"
TEXT_FREE_LICENSE_DETAILS = (
    "Annotations, schemas and code: CC BY 4.0. Seed texts: copyright of their publishers and not included in this "
    "text-free build; restore them from your own copies with `python -m dataset hydrate` (see the card's Licensing)."
)
HYDRATE_COMMAND = "python -m dataset hydrate FOLDER --texts YOUR_TEXTS --out HYDRATED"


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


def stamp_note(stamp: Stamp, rows: Mapping[str, int]) -> str:
    sizes = ", ".join(f"{config} {count:,}" for config, count in rows.items())
    return (
        f"> Published build of version {stamp.version}, from commit `{stamp.commit}` of the dataset's repository "
        f"(changes: [{CHANGELOG}]({CHANGELOG})). Each config is one Parquet file per split, built by "
        "`python -m dataset publish` from the annotation files; the data is the same as in the repository. "
        f"Rows per config: {sizes}."
    )


def text_free_note() -> str:
    return (
        "> **Text-free build.** The texts of the news articles are left out: the `documents` config's `text` is null "
        "(its `sha256` and `length` pin each article), and every span's `text` (and a claim cue's) is null; the "
        "offsets, labels, ids, digests and metadata are all here, and this card quotes none of the articles. To "
        "use the texts, get your own copy of each article, name it `<doc_id>.txt` (or keep any name: it is found "
        f"by its SHA-256), and run `{HYDRATE_COMMAND}`: it checks every text against its pinned digest, refuses "
        f"any that differs, and writes the full data, row for row what the full build publishes ({HYDRATE} says "
        "which fields it restores and pins the result)."
    )


def hydrated_note() -> str:
    return (
        "> **Hydrated build.** The texts were restored by `python -m dataset hydrate` from copies of the articles "
        "whose SHA-256 matched the pinned digests; the data is row for row the full build's. The texts remain the "
        "copyright of their publishers: do not redistribute this folder (see Licensing)."
    )


def _with_note(body: str, note: str) -> str:
    """The body with the note (between markers hydrate finds) after its first heading, or at the top."""
    note = f"{NOTE_START}\n{note}\n{NOTE_END}"
    body = body.lstrip("\n")
    head, _, rest = body.partition("\n")
    if head.startswith("# "):
        return f"{head}\n\n{note}\n\n{rest.lstrip(chr(10))}"
    return f"{note}\n\n{body}"


def published_card(readme: str, stamp: Stamp, rows: Mapping[str, int], *, text_free: bool = False) -> DatasetCard:
    """The card of a build (publish has checked the README's quote markers: quotes.blanked)."""
    _, body = split_card(readme)
    data = card_data(readme)
    note = stamp_note(stamp, rows)
    if not text_free:
        body = unmarked(body)
    else:
        body, _ = without_quotes(body, "README.md")
        data[LICENSE_DETAILS] = TEXT_FREE_LICENSE_DETAILS
        note = f"{note}\n>\n{text_free_note()}"
    return DatasetCard(f"---\n{data.to_yaml()}\n---\n{_with_note(body, note)}")


def hydrated_card(text_free: str, stamp: Stamp, rows: Mapping[str, int], license_details: str) -> DatasetCard | None:
    """The card of a hydrated build from the text-free build's card; None if that card has no note to swap."""
    if not _NOTE.search(text_free):
        return None
    card = DatasetCard(text_free)
    card.data[LICENSE_DETAILS] = license_details
    note = f"{NOTE_START}\n{stamp_note(stamp, rows)}\n>\n{hydrated_note()}\n{NOTE_END}"
    body = _NOTE.sub(lambda _: note, card.text, count=1)
    return DatasetCard(f"---\n{card.data.to_yaml()}\n---\n{body}")
