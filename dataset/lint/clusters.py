"""Cluster lints (guidelines section 5): a cluster is one proposition, so its claims share a type, give
compatible numbers (incompatible values belong in clusters marked as conflicting), and, where they pass on the
same source, the same modality.

A claim nested in a claim of the same cluster in its document does not count: the guidelines let a fact split
out of a larger sentence join the cluster of the sentence ("Aufrufen, Kiew den Einsatz von Langstreckenwaffen
zu erlauben"), and such a fact naturally has its own type.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..problems import Finding
from .engine import CORPUS, Flag, lint_rule
from .views import CorpusView, Member

POINT = {"exact", "about"}  # "rund 50.000" and "50.000" are one proposition (section 5)
VAGUE_RANGE = 10  # a vague number allows values from its smallest up to (not including) ten times it


def _counted(view: CorpusView) -> Iterator[tuple[str, list[Member]]]:
    for cluster_id in sorted(view.members):
        members = [m for m in view.members[cluster_id] if not m.nested]
        if len(members) > 1 and cluster_id in view.clusters:
            yield cluster_id, sorted(members, key=lambda m: m.claim.data["id"])


SHOWN = 6  # claim ids listed per value; a large cluster's listing says how many more there are


def _ids(ids: list[str]) -> str:
    more = f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else ""
    return ", ".join(ids[:SHOWN]) + more


def _listing(members: list[Member], field: str) -> str:
    by_value: dict[str, list[str]] = defaultdict(list)
    for member in members:
        by_value[str(member.claim.data[field])].append(member.claim.data["id"])
    return "; ".join(f"{value}: {_ids(ids)}" for value, ids in sorted(by_value.items()))


@lint_rule("cluster-type-drift", CORPUS)
def cluster_type_drift(view: CorpusView) -> Iterator[Finding]:
    for cluster_id, members in _counted(view):
        types = {m.claim.data["type"] for m in members}
        if len(types) > 1:
            yield Flag(
                f"the claims of cluster {cluster_id} have {len(types)} types",
                "one type for one proposition (or separate clusters)",
                _listing(members, "type"),
                view.clusters[cluster_id],
                tuple(m.claim for m in members),
            )


def _range(member: Member) -> tuple[str, str, float, float]:
    """(unit, qualifier class, low, high) of a quantity claim; a vague number is a range of values."""
    quantity = member.claim.data["quantity"]
    value = quantity["value"]
    if member.vague:
        return quantity["unit"], "range", value, value * VAGUE_RANGE
    kind = "point" if quantity["qualifier"] in POINT else quantity["qualifier"]
    return quantity["unit"], kind, value, value


def compatible(a: Member, b: Member) -> bool:
    """Whether two quantity claims can state the same proposition: same unit, and the same value with a qualifier
    of the same kind, or a value inside the other's vague range."""
    unit_a, kind_a, low_a, high_a = _range(a)
    unit_b, kind_b, low_b, high_b = _range(b)
    if unit_a != unit_b:
        return False
    if kind_a == "range" and kind_b == "range":
        return low_a == low_b
    if kind_a == "range":
        return kind_b == "point" and low_a <= low_b < high_a
    if kind_b == "range":
        return kind_a == "point" and low_b <= low_a < high_b
    return kind_a == kind_b and low_a == low_b


@lint_rule("cluster-quantity-drift", CORPUS)
def cluster_quantity_drift(view: CorpusView) -> Iterator[Finding]:
    for cluster_id, members in _counted(view):
        quantities = [m for m in members if m.claim.data["quantity"] is not None]
        distinct = list({_range(m): m for m in quantities}.values())  # one member per distinct quantity
        clash = next(((a, b) for i, a in enumerate(distinct) for b in distinct[i + 1 :] if not compatible(a, b)), None)
        if clash is not None:
            by_quantity: dict[str, list[str]] = defaultdict(list)
            for m in quantities:
                quantity = m.claim.data["quantity"]
                spelled = (
                    f"{quantity['qualifier']} {quantity['value']:g} {quantity['unit']}{' (vague)' if m.vague else ''}"
                )
                by_quantity[spelled].append(m.claim.data["id"])
            shown = "; ".join(f"{spelled}: {_ids(ids)}" for spelled, ids in sorted(by_quantity.items()))
            yield Flag(
                f"cluster {cluster_id} joins incompatible quantities ({clash[0].claim.data['id']} and "
                f"{clash[1].claim.data['id']})",
                "one value per cluster; incompatible values in separate clusters marked as conflicting",
                shown,
                view.clusters[cluster_id],
                tuple(m.claim for m in quantities),
            )


@lint_rule("cluster-modality-drift", CORPUS)
def cluster_modality_drift(view: CorpusView) -> Iterator[Finding]:
    """Outlets differ in how they hedge, so modality may differ within a cluster; but claims that pass on the
    same original source (the last link of their chain) in the same proposition should be marked alike."""
    for cluster_id, members in _counted(view):
        by_source: dict[str, list[Member]] = defaultdict(list)
        for member in members:
            if member.entities:
                by_source[member.entities[-1]].append(member)
        for entity, group in sorted(by_source.items()):
            if len({m.claim.data["modality"] for m in group}) > 1:
                yield Flag(
                    f"claims of cluster {cluster_id} that pass on {entity} differ in modality",
                    "one modality for one proposition from one source",
                    _listing(group, "modality"),
                    view.clusters[cluster_id],
                    tuple(m.claim for m in group),
                )
