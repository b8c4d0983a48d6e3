"""Inter-annotator agreement and review impact, computed from the stored annotation passes.

annotations/review/<pass>/<layer>/<doc_id>.jsonl hold the raw first pass and the
blind second pass in the layers' own record shape; the final data is annotations/.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..read.corpus import Document

FIRST, BLIND = "review/first-pass", "review/blind-pass"  # the stores of the two passes
OVERLAP = 0.5  # Jaccard threshold of a relaxed span match


def _jaccard(a: dict, b: dict) -> float:
    inter = max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))
    union = max(a["end"], b["end"]) - min(a["start"], b["start"])
    return inter / union if union else 0.0


def match_spans(xs: list[dict], ys: list[dict], threshold: float = OVERLAP) -> list[tuple[dict, dict]]:
    """Exact matches first, then the best remaining overlaps (greedy, Jaccard >= threshold)."""
    pairs: dict[int, int] = {}
    by_span = {}
    for j, y in enumerate(ys):
        by_span.setdefault((y["start"], y["end"]), []).append(j)
    for i, x in enumerate(xs):
        free = [j for j in by_span.get((x["start"], x["end"]), []) if j not in pairs.values()]
        if free:
            pairs[i] = free[0]
    candidates = sorted(
        ((_jaccard(x, y), i, j) for i, x in enumerate(xs) for j, y in enumerate(ys) if i not in pairs),
        reverse=True,
    )
    used = set(pairs.values())
    for score, i, j in candidates:
        if score >= threshold and i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    return [(xs[i], ys[j]) for i, j in sorted(pairs.items())]


@dataclass(frozen=True)
class SpanScores:
    a: int
    b: int
    exact: int
    relaxed: int

    @staticmethod
    def f1(matched: int, a: int, b: int) -> float:
        return 2 * matched / (a + b) if a + b else 1.0

    @property
    def exact_f1(self) -> float:
        return self.f1(self.exact, self.a, self.b)

    @property
    def relaxed_f1(self) -> float:
        return self.f1(self.relaxed, self.a, self.b)


def span_scores(a: dict[str, list[dict]], b: dict[str, list[dict]]) -> tuple[SpanScores, list[tuple[dict, dict]]]:
    pairs, exact, na, nb = [], 0, 0, 0
    for doc in sorted(set(a) | set(b)):
        xs, ys = a.get(doc, []), b.get(doc, [])
        na, nb = na + len(xs), nb + len(ys)
        matched = match_spans(xs, ys)
        exact += sum(1 for x, y in matched if (x["start"], x["end"]) == (y["start"], y["end"]))
        pairs.extend(matched)
    return SpanScores(na, nb, exact, len(pairs)), pairs


def attribute_agreement(pairs: list[tuple[dict, dict]], field: str) -> float:
    return sum(1 for x, y in pairs if x[field] == y[field]) / len(pairs) if pairs else 1.0


def _char_labels(text: str, spans: list[dict], binary: bool) -> list[str]:
    labels = ["editorial"] * len(text)
    for span in spans:
        for i in range(span["start"], span["end"]):
            labels[i] = "boilerplate" if binary else span["category"]
    return [label for label, char in zip(labels, text, strict=True) if not char.isspace()]


def kappa(xs: list[str], ys: list[str]) -> tuple[float, float]:
    """(observed agreement, Cohen's kappa) of two label sequences over the same items."""
    n = len(xs)
    if n == 0:
        return 1.0, 1.0  # nothing to disagree on
    observed = sum(1 for x, y in zip(xs, ys, strict=True) if x == y) / n
    ca, cb = Counter(xs), Counter(ys)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return observed, (observed - expected) / (1 - expected) if expected < 1 else 1.0


def char_agreement(
    texts: dict[str, str], a: dict[str, list[dict]], b: dict[str, list[dict]], binary: bool
) -> tuple[float, float]:
    xs, ys = [], []
    for doc, text in sorted(texts.items()):
        xs += _char_labels(text, a.get(doc, []), binary)
        ys += _char_labels(text, b.get(doc, []), binary)
    return kappa(xs, ys)


def link_f1(a: dict[str, str], b: dict[str, str]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of two clusterings (claim id -> cluster id), b as reference."""

    def links(assign: dict[str, str]) -> set[frozenset]:
        members: dict[str, list[str]] = {}
        for claim, cluster in assign.items():
            members.setdefault(cluster, []).append(claim)
        return {frozenset((x, y)) for group in members.values() for i, x in enumerate(group) for y in group[i + 1 :]}

    la, lb = links(a), links(b)
    common = len(la & lb)
    precision = common / len(la) if la else 1.0
    recall = common / len(lb) if lb else 1.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def review_changes(first: dict[str, list[dict]], final: dict[str, list[dict]], fields: tuple[str, ...]) -> Counter:
    """How the final data differs from the first pass: unchanged, changed (span or fields), removed, added."""
    counts: Counter = Counter()
    for doc in sorted(set(first) | set(final)):
        xs, ys = first.get(doc, []), final.get(doc, [])
        pairs = match_spans(xs, ys)
        for x, y in pairs:
            same = (x["start"], x["end"]) == (y["start"], y["end"]) and all(x[f] == y[f] for f in fields)
            counts["unchanged" if same else "changed"] += 1
        counts["removed"] += len(xs) - len(pairs)
        counts["added"] += len(ys) - len(pairs)
    return counts


# Fields compared when counting what the review changed (source chains are compared by the mentions' own records).
ATTRIBUTES = {
    "boilerplate": ("category",),
    "sources": ("entity_id",),
    "claims": ("type", "modality", "quantity", "cue"),
}


def _agreement_rows(texts: dict[str, str], first: dict, other: dict) -> list[tuple[str, str, str]]:
    """(layer, measure, value) rows comparing the first pass with another annotation of the same seeds."""
    rows = []
    for binary, what in ((True, "boilerplate vs editorial"), (False, "by category")):
        observed, k = char_agreement(texts, first["boilerplate"], other["boilerplate"], binary=binary)
        rows.append(("boilerplate", f"character-level agreement, {what} (Cohen's κ)", f"{observed:.4f} (κ = {k:.3f})"))
    for name, fields in (("sources", ("entity_id",)), ("claims", ("type", "modality"))):
        scores, pairs = span_scores(first[name], other[name])
        rows.append((name, "span F1, exact boundaries", f"{scores.exact_f1:.3f} ({scores.a} vs {scores.b} spans)"))
        rows.append((name, f"span F1, overlap ≥ {OVERLAP:g} (Jaccard)", f"{scores.relaxed_f1:.3f}"))
        rows.extend(
            (name, f"same {field} on matched spans", f"{attribute_agreement(pairs, field):.3f}") for field in fields
        )
    return rows


class Agreement:
    """A stream consumer: the records of the double-annotated documents (those with a stored first pass), by store.

    Memory is bounded by the review set, never the corpus; the tables are computed once every document is in.
    """

    def __init__(self, gold: str) -> None:
        self.gold = gold
        self.texts: dict[str, str] = {}
        self.records: dict[str, dict[str, dict[str, list[dict]]]] = {}  # store -> layer -> doc -> records

    def fresh(self) -> Agreement:
        return Agreement(self.gold)

    def document(self, doc: Document) -> None:
        if doc.flawed:
            return  # the checker reported it; nothing is derived from a flawed document
        first = doc.files.get(FIRST)
        if first is None or doc.seed.text is None or not any(f.present for f in first.values()):
            return
        self.texts[doc.doc_id] = doc.seed.text
        for store in (FIRST, BLIND, self.gold):
            for name in ATTRIBUTES:
                file = doc.files.get(store, {}).get(name)
                if file is not None and file.present:
                    layer = self.records.setdefault(store, {}).setdefault(name, {})
                    layer[doc.doc_id] = [r.data for r in file.records]

    def end_batch(self) -> None:
        pass

    def merge(self, other: Agreement) -> None:
        self.texts.update(other.texts)
        for store, layers in other.records.items():
            for name, docs in layers.items():
                self.records.setdefault(store, {}).setdefault(name, {}).update(docs)

    def tables(self, clusterings: dict[str, dict[str, str]]) -> list[str]:
        """The agreement and review tables of the README, as Markdown lines."""
        if not self.texts:
            return ["No document has a stored first and blind pass (annotations/review/): no agreement to report."]
        first, blind, final = (
            {name: self.records.get(s, {}).get(name, {}) for name in ATTRIBUTES} for s in (FIRST, BLIND, self.gold)
        )
        lines = [
            "Agreement of the first pass with the blind second pass and with the final data, and how the final data",
            "differs from the first pass record by record:",
            "",
            "| layer | measure | first pass vs blind second pass | first pass vs final (after adjudication and review) |",  # noqa: E501
            "|---|---|---|---|",
        ]
        for (layer, measure, blind_value), (_, _, final_value) in zip(
            _agreement_rows(self.texts, first, blind), _agreement_rows(self.texts, first, final), strict=True
        ):
            lines.append(f"| {layer} | {measure} | {blind_value} | {final_value} |")
        names = sorted(clusterings)
        if len(names) >= 2:
            first_clustering = clusterings[names[0]]
            final_clustering = {
                claim["id"]: claim["cluster_id"]
                for records in final["claims"].values()
                for claim in records
                if claim["cluster_id"]
            }
            blind_scores = link_f1(first_clustering, clusterings[names[1]])
            final_scores = link_f1(first_clustering, final_clustering)
            cells = [f"{f1:.3f} (precision {p:.3f}, recall {r:.3f})" for p, r, f1 in (blind_scores, final_scores)]
            lines.append(f"| clusters | pairwise same-cluster link F1 | {cells[0]} | {cells[1]} |")
        lines += [
            "",
            "| layer | first-pass records | unchanged | changed | removed | added | final records |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, fields in ATTRIBUTES.items():
            counts = review_changes(first[name], final[name], fields)
            n_first = sum(len(v) for v in first[name].values())
            n_final = sum(len(v) for v in final[name].values())
            cells = [n_first, counts["unchanged"], counts["changed"], counts["removed"], counts["added"], n_final]
            lines.append(f"| {name} | " + " | ".join(map(str, cells)) + " |")
        return lines
