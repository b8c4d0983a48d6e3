"""Renderings of one original segmented alike: claims of aligned sentences in lineage-related documents.

Two documents are related when their lineage names the same original outlet (two German translations of one
CNN article). Their sentences are aligned, and an aligned pair whose top-level claims (a claim nested in another
is a separate proposition layer, left out) differ in number, or cover clearly different shares of the sentence,
is flagged: the same sentence should be split into the same propositions.

How sentences are aligned, and why this way:

- Similarity is the cosine of TF-IDF weighted character 4-gram vectors of the normalised sentences (lower case,
  letters and digits only), the weights learnt from the sentences of all documents naming the same original.
  Two translations of one sentence share names, numbers and word stems but not word order or word choice;
  character n-grams reward the shared stems ("Selenskyj", "11.000", "Äußerungen") and ignore order, and need no
  tokenizer, model or dictionary, so the result is the same on every machine. The IDF weighting matters because
  all documents of a story share its vocabulary ("nordkoreanische", "Kursk-Region"): unweighted overlap rates
  unrelated sentences of one story as similar as two translations.
- Sentences are linked greedily by competitive linking (Melamed 2000): the most similar pair first, each
  sentence at most once, no pair below SENTENCE_THRESHOLD. Unlike a monotone alignment (Gale and Church), it
  lets the renderings order their paragraphs differently, as 002 and 004 do (Putin's comments come before the
  Budapest statement in one and after it in the other). A linked pair is then widened by one neighbouring
  unlinked sentence on either side when the joined sentences are clearly more similar (MERGE_GAIN): a
  translator, or the extraction, may split one sentence in two.
- A corpus may hold many documents naming one original outlet, so each document is aligned only with the
  CANDIDATES most similar documents of its group (blocking, as in record linkage): the work grows linearly with
  the corpus, not quadratically.

The threshold was set by reading every pair of sentences of the two related seeds (002 and 004) above 0.2: the
pairs above it render the same original sentence; below it are pairs of headings, sentences of which one
renders only part of the other, and sentences that only share the story's vocabulary. In the aligned pairs of
the seeds with as many claims on both sides, the claims cover 98 to 100 % of both sentences; COVERAGE_GAP flags
a pair only where one rendering leaves a large part of the sentence out that the other annotates.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ..problems import Finding
from ..read.jsonl import Record
from .engine import CORPUS, Flag, lint_rule
from .views import CorpusView, LineageDocument

SENTENCE_THRESHOLD = 0.38
MERGE_GAIN = 0.05
CANDIDATES = 3
NGRAM = 4
COVERAGE_GAP = 0.4  # shares of a sentence covered by claims that differ by this much are different segmentations
_NOT_ALNUM = re.compile(r"[^\w]+|_")


def normalise(text: str) -> str:
    return " ".join(_NOT_ALNUM.sub(" ", text.lower()).split())


def ngrams(text: str, n: int = NGRAM) -> set[str]:
    padded = f" {normalise(text)} "
    return {padded[i : i + n] for i in range(len(padded) - n + 1)}


class Space:
    """A TF-IDF space over the sentences of a group of documents: the weights are learnt once from all of them,
    and each document's sentence vectors are computed once, however many documents it is compared with."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        self.grams = [[ngrams(sentence) for sentence in sentences] for sentences in documents]
        frequency = Counter(g for sets in self.grams for grams in sets for g in grams)
        terms = sorted(frequency)
        self.vocabulary = {g: i for i, g in enumerate(terms)}
        n = sum(len(sets) for sets in self.grams)
        self.idf = np.array([math.log((1 + n) / (1 + frequency[g])) + 1 for g in terms])
        self.sentences = [self.vectors(sets) for sets in self.grams]

    def vectors(self, sets: Sequence[set[str]]) -> sparse.csr_matrix:
        """Rows of TF-IDF weights (binary term frequency), normalised to length 1."""
        rows = [i for i, grams in enumerate(sets) for _ in grams]
        cols = [self.vocabulary[g] for grams in sets for g in grams]
        matrix = sparse.csr_matrix((self.idf[cols], (rows, cols)), shape=(len(sets), len(self.vocabulary)))
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1))).ravel()
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)

    def documents(self) -> np.ndarray:
        """Cosine similarity of whole documents (each the union of its sentences' n-grams)."""
        vectors = self.vectors([set().union(*sets) for sets in self.grams])
        return (vectors @ vectors.T).toarray()

    def similarity(self, a: int, b: int) -> np.ndarray:
        if not self.grams[a] or not self.grams[b]:
            return np.zeros((len(self.grams[a]), len(self.grams[b])))
        return (self.sentences[a] @ self.sentences[b].T).toarray()

    def joined(self, a: int, left: tuple[int, ...], b: int, right: tuple[int, ...]) -> float:
        """Similarity of sentences of document a, joined, with sentences of document b, joined."""
        x = self.vectors([set().union(*(self.grams[a][i] for i in left))])
        y = self.vectors([set().union(*(self.grams[b][j] for j in right))])
        return float((x @ y.T).toarray()[0, 0])


@dataclass(frozen=True)
class Bead:
    """Aligned sentences: indices into each document's sentence list, and their similarity."""

    left: tuple[int, ...]
    right: tuple[int, ...]
    similarity: float


def link(space: Space, a: int, b: int, threshold: float = SENTENCE_THRESHOLD) -> list[Bead]:
    """Competitive linking of the sentences of documents a and b, each link widened by at most one neighbour;
    in a's order. Deterministic: ties go to the lower indices."""
    scores = space.similarity(a, b)
    n, m = scores.shape
    order = sorted(
        ((float(scores[i, j]), int(i), int(j)) for i, j in zip(*np.nonzero(scores >= threshold), strict=True)),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_left: set[int] = set()
    used_right: set[int] = set()
    beads = []
    for score, i, j in order:
        if i not in used_left and j not in used_right:
            used_left.add(i)
            used_right.add(j)
            beads.append(Bead((i,), (j,), score))
    widened = []
    for bead in beads:  # in linking order: the strongest links choose their neighbours first
        (i,), (j,) = bead.left, bead.right
        options = [((i,), tuple(sorted((j, k)))) for k in (j - 1, j + 1) if 0 <= k < m and k not in used_right]
        options += [(tuple(sorted((i, k))), (j,)) for k in (i - 1, i + 1) if 0 <= k < n and k not in used_left]
        best = bead
        for lefts, rights in options:
            score = space.joined(a, lefts, b, rights)
            if score >= bead.similarity + MERGE_GAIN and score > best.similarity:
                best = Bead(lefts, rights, score)
        used_left.update(best.left)
        used_right.update(best.right)
        widened.append(best)
    return sorted(widened, key=lambda bead: bead.left)


def align(left: Sequence[str], right: Sequence[str], threshold: float = SENTENCE_THRESHOLD) -> list[Bead]:
    """The alignment of two sentence lists, weighted by themselves."""
    return link(Space([left, right]), 0, 1, threshold)


def _sentences(document: LineageDocument) -> list[str]:
    return [document.text.masked[start:end] for start, end in document.text.sentences]


def _groups(documents: list[LineageDocument]) -> Iterator[tuple[list[LineageDocument], Space]]:
    """The documents naming each original (two or more), in doc_id order, with their TF-IDF space."""
    groups: dict[str, list[LineageDocument]] = defaultdict(list)
    for document in documents:
        for original in document.originals:
            groups[original].append(document)
    for _, group in sorted(groups.items()):
        if len(group) > 1:
            group = sorted(group, key=lambda d: d.doc_id)
            yield group, Space([_sentences(d) for d in group])


def _candidates(group: list[LineageDocument], space: Space) -> list[tuple[int, int]]:
    """Pairs of the group's documents to align: each document with its CANDIDATES most similar others."""
    similarity = space.documents()
    np.fill_diagonal(similarity, -np.inf)
    pairs: set[tuple[int, int]] = set()
    for i in range(len(group)):
        order = sorted(range(len(group)), key=lambda k: (-similarity[i, k], k))
        pairs.update((min(i, k), max(i, k)) for k in order[:CANDIDATES] if k != i)
    return sorted(pairs)


def _claims_of(document: LineageDocument, sentences: tuple[int, ...]) -> list[Record]:
    return [claim for i in sentences for claim in document.by_sentence.get(i, [])]


def _coverage(document: LineageDocument, sentences: tuple[int, ...], claims: list[Record]) -> float:
    """The share of the sentences' letters and digits that the claims cover."""
    alnum, covered, total = document.alnum, 0, 0
    for start, end in (document.text.sentences[i] for i in sentences):
        total += alnum[end] - alnum[start]
        spans = sorted((max(c.data["start"], start), min(c.data["end"], end)) for c in claims)
        reach = start
        for a, b in spans:
            a = max(a, reach)
            if b > a:
                covered += alnum[b] - alnum[a]
                reach = b
    return covered / total if total else 0.0


def _ids(claims: list[Record]) -> str:
    return ", ".join(c.data["id"] for c in claims) or "none"


def _compare(left: LineageDocument, right: LineageDocument, beads: list[Bead]) -> Iterator[Finding]:
    for bead in beads:
        sides = [(left, bead.left, _claims_of(left, bead.left)), (right, bead.right, _claims_of(right, bead.right))]
        if not sides[0][2]:
            sides.reverse()  # printed at a claim, so from the side that has one
        (here, mine_at, mine), (there, theirs_at, theirs) = sides
        if not mine:
            continue
        if len(mine) != len(theirs):
            problem = f"{len(mine)} claim(s) here, {len(theirs)} in {there.doc_id}"
        else:
            share, other = _coverage(here, mine_at, mine), _coverage(there, theirs_at, theirs)
            if abs(share - other) < COVERAGE_GAP:
                continue
            problem = f"claims cover {share:.0%} of the sentence here, {other:.0%} in {there.doc_id}"
        start = here.text.sentences[mine_at[0]][0]
        yield Flag(
            f"the sentence at offset {start} renders the same original as {there.doc_id} offset "
            f"{there.text.sentences[theirs_at[0]][0]} (similarity {bead.similarity:.2f}) but is segmented "
            f"differently: {problem}",
            "the same claims for the same original sentence",
            f"here: {_ids(mine)}; there: {_ids(theirs)}",
            mine[0],
            tuple(sorted(mine[1:] + theirs, key=lambda c: c.data["id"])),
        )


@lint_rule("lineage-segmentation", CORPUS)
def lineage_segmentation(view: CorpusView) -> Iterator[Finding]:
    for group, space in _groups(view.lineage):
        for a, b in _candidates(group, space):
            yield from _compare(group[a], group[b], link(space, a, b))
