"""The README's figures as Markdown, from a Tally: nothing in them is typed by hand, every value is escaped."""

from __future__ import annotations

from collections import Counter

from ..agents import PERSON_PREFIX
from ..layers import LAYERS, SPAN_LAYERS
from .markdown import code, md, table
from .tally import REVIEW_FIELDS, Tally

PER_DOCUMENT_UP_TO = 25  # larger corpora get one row per outlet instead of one per document


def _counts(counts: Counter) -> str:
    return ", ".join(f"{md(key)} {n}" for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _outlet(value: str | None) -> str:
    return md(value) if value else "—"


def document_table(tally: Tally) -> list[str]:
    """One row per document (per outlet once the corpus is large), with its records per span layer."""
    layers = [layer.name for layer in SPAN_LAYERS]
    header = [*layers, "claims in a cluster"]
    if len(tally.per_document) <= PER_DOCUMENT_UP_TO:
        rows = [
            [
                code(doc),
                _outlet(tally.outlets.get(doc)),
                *(str(tally.per_document[doc][n]) for n in [*layers, "clustered"]),
            ]
            for doc in sorted(tally.per_document)
        ]
        return table(["document", "outlet", *header], rows)
    by_outlet: dict[str, Counter] = {}
    documents: Counter = Counter()
    for doc, counts in tally.per_document.items():
        outlet = tally.outlets.get(doc) or ""
        by_outlet.setdefault(outlet, Counter()).update(counts)
        documents[outlet] += 1
    rows = [
        [_outlet(outlet or None), str(documents[outlet]), *(str(by_outlet[outlet][n]) for n in [*layers, "clustered"])]
        for outlet in sorted(by_outlet)
    ]
    return table(["outlet", "documents", *header], rows)


def _lineage(entries: object) -> str:
    if not isinstance(entries, list) or not entries:
        return "—"
    return ", ".join(f"{md(e.get('relation'))} {md(e.get('outlet'))}" for e in entries if isinstance(e, dict))


def corpus_summary(tally: Tally) -> str:
    """The corpus block: how many documents, in which languages, from when, and (while short) the list of them."""
    docs = tally.documents
    languages = Counter(str(d.get("language")) for d in docs.values())
    dates = sorted(str(d["published"]) for d in docs.values() if d.get("published"))
    when = (
        f"; {len(dates)} of them state a publication date, from {md(dates[0])} to {md(dates[-1])}"
        if dates
        else "; none states a publication date"
    )
    spoken = f"all in {md(next(iter(languages)))}" if len(languages) == 1 else f"languages: {_counts(languages)}"
    lines = [f"{len(docs)} documents ({spoken}){when}.", ""]
    if len(docs) <= PER_DOCUMENT_UP_TO:
        rows = [
            [
                code(doc),
                md(d["headline"]) if d.get("headline") else "—",
                _outlet(d.get("outlet")),
                md(d.get("extraction")),
                _lineage(d.get("lineage")),
            ]
            for doc, d in sorted(docs.items())
        ]
        lines += table(["document", "headline", "outlet", "extraction", "lineage"], rows)
    else:
        lines.append("The documents, with their metadata, are the `documents` config (`annotations/documents.jsonl`).")
    return "\n".join(lines) + "\n"


def distributions(tally: Tally) -> list[str]:
    """Every closed-value field of every layer (as the schemas declare them), then the clusters."""
    lines = []
    for layer in LAYERS:
        for name in tally.enum_fields.get(layer.name, []):
            if name not in REVIEW_FIELDS and tally.values[(layer.name, name)]:
                lines.append(f"- {layer.name} by {name}: {_counts(tally.values[(layer.name, name)])}")
    sizes = tally.cluster_claims
    conflicts = sum(len(c) for _, c in tally.clusters) // 2
    lines.append(
        f"- clusters: {len(tally.clusters)}, with {sum(sizes.values())} claims"
        f" ({min(sizes.values(), default=0)} to {max(sizes.values(), default=0)} per cluster);"
        f" {conflicts} pairs of clusters marked as conflicting"
    )
    return lines


def review_table(tally: Tally, statuses: list[str]) -> list[str]:
    """Per layer, how the review ended for its records (the review_status field, values from its schema), and how
    many of them a person checked."""
    rows = []
    for layer in LAYERS:
        counts = tally.review[layer.name]
        reviewers = ", ".join(code(r) for r in sorted(tally.reviewers[layer.name])) or "—"
        checked = str(tally.checked[layer.name])
        rows.append([layer.name, str(sum(counts.values())), *(str(counts[s]) for s in statuses), checked, reviewers])
    return table(["layer", "records", *statuses, "checked by a person", "reviewers"], rows)


def people(tally: Tally) -> str:
    """The people block, under the provenance table: how many records a person has checked (dataset/agents.py)."""
    records = sum(tally.layer_total(layer.name) for layer in LAYERS)
    checked = sum(tally.checked.values())
    share = f" ({checked / records:.0%})" if records else ""
    return (
        f"Records checked by a person: **{checked} of {records}**{share}. A record counts as checked by a person when "
        f"its `reviewed_by` is a person's id, one that starts with {code(PERSON_PREFIX)}; every other agent id names a "
        "model session. People check records in the review report's review mode and write their verdicts into "
        "the data with `python -m dataset review apply FILE` (see Review report).\n"
    )


def cluster_table(tally: Tally) -> list[str]:
    rows = [
        [
            code(cid),
            str(tally.cluster_claims[cid]),
            str(tally.cluster_documents[cid]),
            ", ".join(code(c) for c in conflicts) or "—",
        ]
        for cid, conflicts in tally.clusters
    ]
    return table(["cluster", "claims", "documents", "conflicts with"], rows)


def figures(tally: Tally, statuses: list[str], agreement: list[str]) -> str:
    """The figures block's content."""
    lines = [
        *document_table(tally),
        "",
        *distributions(tally),
        "",
        "Outcome of the review, per layer (records the reviewers deleted are not in the data; see the last table):",
        "",
        *review_table(tally, statuses),
        "",
        *agreement,
    ]
    return "\n".join(lines).rstrip("\n") + "\n"
