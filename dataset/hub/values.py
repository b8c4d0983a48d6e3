"""Check a dataset card's metadata against the values the Hugging Face Hub accepts, offline.

The Hub's own check (huggingface_hub.DatasetCard.validate) posts the card to an online endpoint, so the
values are checked here against the lists the installed libraries ship:

- language, annotations_creators, language_creators, multilinguality, size_categories: the resource files
  of the datasets library (datasets/utils/resources/*.json), the lists its card validator used;
- task_categories: datasets.utils.metadata.known_task_ids, the Hub's task categories as datasets keeps them
  (a subset of the Hub's current pipeline tags: a newer category is refused here, never a wrong one passed);
- license: neither library ships the Hub's list (hf.co/docs/hub/repositories-licenses), which is mostly
  lower-cased SPDX ids: a license is accepted if it is "other" (then license_name is required) or a
  lower-case SPDX id as packaging.licenses knows it;
- configs: parsed by datasets itself (MetadataConfigs, Features), with exactly one default config.

task_ids have no offline list in either library and are not checked.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib.resources import files

from datasets.utils.metadata import MetadataConfigs, known_task_ids
from huggingface_hub import DatasetCardData
from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

OTHER_LICENSE = "other"


@cache
def _resource(name: str):
    return json.loads((files("datasets.utils.resources") / name).read_text(encoding="utf-8"))


@cache
def accepted_values() -> dict[str, frozenset[str]]:
    """Field -> the values accepted for it, from the lists the installed libraries ship."""
    creators = _resource("creators.json")
    return {
        "language": frozenset(_resource("languages.json")),
        "annotations_creators": frozenset(creators["annotations"]),
        "language_creators": frozenset(creators["language"]),
        "multilinguality": frozenset(_resource("multilingualities.json")),
        "size_categories": frozenset(_resource("size_categories.json")),
        "task_categories": frozenset(known_task_ids),
    }


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _is_license_id(value: object) -> bool:
    if value == OTHER_LICENSE:
        return True
    if not isinstance(value, str) or value != value.lower():
        return False
    try:
        canonical = canonicalize_license_expression(value)
    except InvalidLicenseExpression:
        return False
    return " " not in canonical and not canonical.startswith("LicenseRef-")  # one license, not an expression


def _license_problems(data: DatasetCardData) -> Iterable[str]:
    licenses = _as_list(data.license)
    if not licenses:
        yield "license: missing"
    for value in licenses:
        if not _is_license_id(value):
            yield f"license: {value!r} is not a license id the Hub accepts ('other' or a lower-case SPDX id)"
    if OTHER_LICENSE in licenses and not data.get("license_name"):
        yield "license_name: required when license is 'other'"


def _config_problems(data: DatasetCardData) -> Iterable[str]:
    if not data.get("configs"):
        yield "configs: missing"
        return
    try:
        configs = MetadataConfigs.from_dataset_card_data(data)
        configs.get_default_config_name()
    except (ValueError, TypeError, KeyError) as err:
        yield f"configs: {err}"


def card_data_problems(data: DatasetCardData) -> list[str]:
    """Every way the card metadata differs from what the Hub accepts, as 'field: message'."""
    problems: list[str] = []
    if not isinstance(data.pretty_name, str) or not data.pretty_name.strip():
        problems.append("pretty_name: missing")
    for field, accepted in accepted_values().items():
        values = _as_list(data.get(field))
        if not values:
            problems.append(f"{field}: missing")
        for value in values:
            if not isinstance(value, str) or value not in accepted:
                problems.append(f"{field}: {value!r} is not one of the values the Hub accepts")
    problems.extend(_license_problems(data))
    problems.extend(_config_problems(data))
    return problems
