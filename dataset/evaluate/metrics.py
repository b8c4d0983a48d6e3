"""Span matching and the counting metrics of the benchmark: P/R/F1, accuracy, macro-F1, characters, chains.

Pure functions over plain dicts and lists: nothing here reads files or imports the rest of the package.

Conventions (one place, used everywhere except the coreference metrics, which follow the CoNLL scorer):

- P/R/F1 of a set of predicted items against a set of gold items: precision = tp / n_pred, recall = tp / n_gold,
  F1 = 2 tp / (n_gold + n_pred). A ratio with a zero denominator is 0.0, except that when there is neither gold nor
  prediction precision, recall and F1 are all 1.0 (nothing to find and nothing invented is a perfect answer).
  So an empty prediction against non-empty gold scores 0.0 everywhere, and a perfect prediction 1.0.
- Accuracy over no items is 0.0 (a system that matched nothing got nothing right).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, NamedTuple

Span = Mapping[str, Any]


class PRF(NamedTuple):
    """Recall, precision and F1, in the order the CoNLL scorer prints them."""

    recall: float
    precision: float
    f1: float


def prf(tp: float, n_gold: float, n_pred: float) -> PRF:
    """P/R/F1 from counts; 0/0 conventions as in the module docstring (perfect empty = 1.0, empty vs gold = 0.0)."""
    if tp < 0 or tp > n_gold or tp > n_pred:
        raise ValueError(f"inconsistent counts: tp={tp}, n_gold={n_gold}, n_pred={n_pred}")
    if n_gold == 0 and n_pred == 0:
        return PRF(1.0, 1.0, 1.0)
    recall = tp / n_gold if n_gold else 0.0
    precision = tp / n_pred if n_pred else 0.0
    # 2tp/(g+p) equals 2PR/(P+R) but avoids a second rounding of P and R.
    return PRF(recall, precision, 2 * tp / (n_gold + n_pred))


# --- span matching ---------------------------------------------------------------------------------------------


def _offsets(span: Span) -> tuple[int, int]:
    start, end = span["start"], span["end"]
    if not (isinstance(start, int) and isinstance(end, int)) or start > end:
        raise ValueError(f"span offsets must be integers with start <= end: {start!r}, {end!r}")
    return start, end


def jaccard(a: tuple[int, int], b: tuple[int, int]) -> Fraction:
    """Character Jaccard overlap of two half-open spans, exact (a Fraction), so ties and the 0.5 cut are exact."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = (a[1] - a[0]) + (b[1] - b[0]) - inter
    return Fraction(inter, union) if union else Fraction(0)


def _exact_pairs(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pairs with equal offsets; spans sharing offsets pair up in input order (they are indistinguishable)."""
    by_offsets: dict[tuple[int, int], list[int]] = defaultdict(list)
    for j, offsets in enumerate(pred):
        by_offsets[offsets].append(j)
    seen: dict[tuple[int, int], int] = defaultdict(int)
    pairs = []
    for i, offsets in enumerate(gold):
        candidates = by_offsets.get(offsets, [])
        k = seen[offsets]
        if k < len(candidates):
            pairs.append((i, candidates[k]))
            seen[offsets] = k + 1
    return pairs


def _overlap_pairs(
    gold: list[tuple[int, int]], pred: list[tuple[int, int]], taken: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing of the spans left over, best overlap first, ties broken by offsets."""
    used_gold = {i for i, _ in taken}
    used_pred = {j for _, j in taken}
    candidates = []
    for i, g in enumerate(gold):
        if i in used_gold:
            continue
        for j, p in enumerate(pred):
            if j in used_pred or min(g[1], p[1]) <= max(g[0], p[0]):
                continue  # taken, or no character in common
            overlap = jaccard(g, p)
            if overlap >= Fraction(1, 2):
                candidates.append((-overlap, g[0], g[1], p[0], p[1], i, j))
    candidates.sort()
    pairs = []
    for *_, i, j in candidates:
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((i, j))
    return pairs


def match_spans(gold: Sequence[Span], pred: Sequence[Span], relaxed: bool) -> list[tuple[int, int]]:
    """One-to-one matching of gold and predicted spans of one document; returns (gold_index, pred_index) pairs.

    Exact: a gold and a predicted span match when they have the same (start, end).
    Relaxed: exact pairs first; then remaining pairs with character Jaccard overlap >= 0.5, taken greedily in order
    of (-Jaccard, gold start, gold end, pred start, pred end) (so the result never depends on input order).
    Jaccard = |intersection| / |union| of the two half-open character ranges, computed exactly.
    Spans with identical offsets on the same side are indistinguishable; among them, pairing follows input order.
    The pairs are returned sorted by gold index.
    """
    gold_offsets = [_offsets(s) for s in gold]
    pred_offsets = [_offsets(s) for s in pred]
    pairs = _exact_pairs(gold_offsets, pred_offsets)
    if relaxed:
        pairs += _overlap_pairs(gold_offsets, pred_offsets, pairs)
    return sorted(pairs)


# --- classification ---------------------------------------------------------------------------------------------


def accuracy(pairs: Iterable[tuple[Hashable, Hashable]]) -> float:
    """Share of (gold, predicted) label pairs that agree; 0.0 over no pairs."""
    pairs = list(pairs)
    return sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0


def label_counts(pairs: Iterable[tuple[str, str]], labels: Sequence[str]) -> dict[str, tuple[int, int, int]]:
    """Per label (tp, n_gold, n_pred) over (gold, predicted) pairs; a label outside `labels` is an error.

    These counts are additive over documents, so macro-F1 can be recomputed on any resample from them.
    """
    allowed = set(labels)
    counts = {label: [0, 0, 0] for label in labels}
    for gold, pred in pairs:
        for label in (gold, pred):
            if label not in allowed:
                raise ValueError(f"label {label!r} is not in the label set {sorted(allowed)}")
        counts[gold][1] += 1
        counts[pred][2] += 1
        if gold == pred:
            counts[gold][0] += 1
    return {label: (c[0], c[1], c[2]) for label, c in counts.items()}


def macro_f1_from_counts(counts: Mapping[str, tuple[float, float, float]]) -> float:
    """Unweighted mean of per-label F1 over the labels that occur (in gold or prediction); 0.0 if none occurs.

    A label of the set that occurs on neither side is left out of the mean: its F1 would be the vacuous 1.0 of the
    0/0 convention and would reward a system for labels the gold happens to lack.
    """
    scores = [prf(tp, n_gold, n_pred).f1 for tp, n_gold, n_pred in counts.values() if n_gold or n_pred]
    return sum(scores) / len(scores) if scores else 0.0


def macro_f1(pairs: Iterable[tuple[str, str]], labels: Sequence[str]) -> float:
    """Macro-F1 over (gold, predicted) label pairs; `labels` is the closed label set (the schema's enum)."""
    return macro_f1_from_counts(label_counts(pairs, labels))


# --- character-level boilerplate ----------------------------------------------------------------------------------


def _covered(text: str, spans: Iterable[Span]) -> set[int]:
    positions: set[int] = set()
    for span in spans:
        start, end = _offsets(span)
        if end > len(text):
            raise ValueError(f"span [{start}, {end}) runs past the end of the text ({len(text)} code points)")
        positions.update(range(start, end))
    return positions


def boilerplate_counts(
    text: str, gold: Sequence[Span], pred: Sequence[Span], categories: Sequence[str]
) -> dict[str, int]:
    """Character counts of one document for `boilerplate_scores`, over its non-whitespace characters only.

    A character is boilerplate when a span covers it, editorial otherwise; it has category c when a span of
    category c covers it (overlapping spans of two categories give it both). Counts are additive over documents.
    """
    content = {i for i, ch in enumerate(text) if not ch.isspace()}
    gold_bp = _covered(text, gold) & content
    pred_bp = _covered(text, pred) & content
    counts = {
        "chars": len(content),
        "boilerplate.tp": len(gold_bp & pred_bp),
        "boilerplate.gold": len(gold_bp),
        "boilerplate.pred": len(pred_bp),
        "editorial.tp": len(content - gold_bp - pred_bp),
        "editorial.gold": len(content - gold_bp),
        "editorial.pred": len(content - pred_bp),
    }
    for record in [*gold, *pred]:
        if record["category"] not in categories:
            raise ValueError(f"category {record['category']!r} is not in the label set {list(categories)}")
    for category in categories:
        g = _covered(text, (s for s in gold if s["category"] == category)) & content
        p = _covered(text, (s for s in pred if s["category"] == category)) & content
        counts[f"category.{category}.tp"] = len(g & p)
        counts[f"category.{category}.gold"] = len(g)
        counts[f"category.{category}.pred"] = len(p)
    return counts


def boilerplate_scores(counts: Mapping[str, float], categories: Sequence[str]) -> dict[str, float]:
    """P/R/F1 of boilerplate and of editorial content as positive class, and per category, from summed counts."""
    scores: dict[str, float] = {}
    names = ["boilerplate", "editorial"] + [f"category.{c}" for c in categories]
    for name in names:
        result = prf(counts[f"{name}.tp"], counts[f"{name}.gold"], counts[f"{name}.pred"])
        scores.update({f"{name}.{field}": value for field, value in result._asdict().items()})
    return scores


# --- ordered chains ---------------------------------------------------------------------------------------------


def lcs_length(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> int:
    """Length of the longest common subsequence; a None element (an unresolved prediction) matches nothing."""
    previous = [0] * (len(pred) + 1)
    for g in gold:
        current = [0]
        for j, p in enumerate(pred):
            current.append(previous[j] + 1 if p is not None and p == g else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def chain_exact(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> bool:
    """Whether two chains are the same sequence (order matters; None matches nothing)."""
    return len(gold) == len(pred) and all(p is not None and p == g for g, p in zip(gold, pred, strict=True))


def chain_partial(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """Partial credit 2*LCS/(len(gold)+len(pred)), 1.0 when both are empty.

    LCS rather than set overlap because a chain is ordered (outermost reporter first): [CNN, official] and
    [official, CNN] say different things about who relayed whom, and LCS gives the swap partial, not full, credit.
    """
    if not gold and not pred:
        return 1.0
    return 2 * lcs_length(gold, pred) / (len(gold) + len(pred))
