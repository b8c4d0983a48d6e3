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
  CANDIDATES most similar documents of its group (blocking, as in record linkage): the sentence alignments grow
  linearly with the corpus. Only the shortlisting compares every pair of the group, by a short hashed
  fingerprint of each document's TF-IDF vector, one matrix product a chunk of rows at a time (7,500 documents
  naming one outlet take about half a second, 8 MiB a chunk); each shortlist is then ranked exactly (about
  2 ms a document).

The threshold was set by reading every pair of sentences of the two related seeds (002 and 004) above 0.2: the
pairs above it render the same original sentence; below it are pairs of headings, sentences of which one
renders only part of the other, and sentences that only share the story's vocabulary. In the aligned pairs of
the seeds with as many claims on both sides, the claims cover 98 to 100 % of both sentences; COVERAGE_GAP flags
a pair only where one rendering leaves a large part of the sentence out that the other annotates.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
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
CHUNK = 256  # rows of the fingerprint similarity matrix held at once
SHORTLIST = 4 * CANDIDATES  # documents the fingerprints shortlist for each, ranked exactly
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
    and each document's sentence vectors are computed once, however many documents it is compared with.

    A group may hold thousands of documents, so what is kept per document is small: its sentence vectors as one
    sparse matrix (n-gram ids and weights), and for choosing candidates a short dense fingerprint.
    """

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        vocabulary: dict[str, int] = {}
        frequency: list[int] = []  # in how many sentences of the group each n-gram occurs
        rows: list[list[np.ndarray]] = []
        for sentences in documents:
            ids = []
            for sentence in sentences:
                grams = sorted(ngrams(sentence))  # sorted: the ids, and so every sum, do not depend on set order
                for gram in grams:
                    if gram not in vocabulary:
                        vocabulary[gram] = len(frequency)
                        frequency.append(0)
                    frequency[vocabulary[gram]] += 1
                ids.append(np.fromiter((vocabulary[g] for g in grams), dtype=np.int32, count=len(grams)))
            rows.append(ids)
        n = sum(len(ids) for ids in rows)
        self.width = len(frequency)
        self.idf = np.log((1 + n) / (1 + np.asarray(frequency, dtype=np.float64))) + 1
        self.sentences = [self.vectors(ids) for ids in rows]
        self.fingerprints = _fingerprints(
            self.vectors([np.unique(np.concatenate(ids)) if ids else np.zeros(0, np.int32) for ids in rows]),
            list(vocabulary),
        )

    def vectors(self, sets: Sequence[np.ndarray]) -> sparse.csr_matrix:
        """Rows of TF-IDF weights (binary term frequency) of the n-gram id sets, normalised to length 1."""
        indptr = np.zeros(len(sets) + 1, dtype=np.int64)
        np.cumsum([len(ids) for ids in sets], out=indptr[1:])
        cols = np.concatenate(sets) if len(sets) else np.zeros(0, dtype=np.int32)
        matrix = sparse.csr_matrix((self.idf[cols], cols, indptr), shape=(len(sets), self.width))
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1))).ravel()
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)

    def document(self, i: int) -> sparse.csr_matrix:
        """Document i's TF-IDF vector (the union of its sentences' n-grams), normalised."""
        return self.vectors([np.unique(self.sentences[i].indices)])

    def similarity(self, a: int, b: int) -> np.ndarray:
        return (self.sentences[a] @ self.sentences[b].T).toarray()

    def joined(self, a: int, left: tuple[int, ...], b: int, right: tuple[int, ...]) -> float:
        """Similarity of sentences of document a, joined, with sentences of document b, joined."""
        x = self.vectors([np.unique(self.sentences[a][list(left)].indices)])
        y = self.vectors([np.unique(self.sentences[b][list(right)].indices)])
        return float((x @ y.T).toarray()[0, 0])


FINGERPRINT = 512  # dimensions of a document's fingerprint: enough to rank candidates, small enough for thousands


def _fingerprints(documents: sparse.csr_matrix, grams: list[str]) -> np.ndarray:
    """Each document's TF-IDF vector hashed into FINGERPRINT signed dimensions (feature hashing, Weinberger et al.
    2009), normalised: their dot products estimate the documents' cosine similarity, and a chunk of them is one
    matrix product, where the exact sparse products of thousands of documents of one story would be all pairs of
    all their shared n-grams. The hash is SHA-256 of the n-gram, so fingerprints are the same on every machine."""
    hashed = [int.from_bytes(hashlib.sha256(g.encode("utf-8")).digest()[:8], "little") for g in grams]
    dims = np.fromiter((h % FINGERPRINT for h in hashed), dtype=np.int64, count=len(grams))
    signs = np.fromiter((1.0 if h >> 63 else -1.0 for h in hashed), dtype=np.float32, count=len(grams))
    projection = sparse.csr_matrix((signs, (np.arange(len(grams)), dims)), shape=(len(grams), FINGERPRINT))
    prints = (documents @ projection).toarray().astype(np.float32)
    norms = np.linalg.norm(prints, axis=1, keepdims=True)
    return prints / np.where(norms == 0, 1.0, norms)


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
    """Pairs of the group's documents to align: each document with its CANDIDATES most similar others (cosine of
    their TF-IDF vectors; ties to the lower index). The fingerprints shortlist SHORTLIST documents for each, a
    chunk of rows at a time (memory stays CHUNK rows of their similarities however large the group), and the
    shortlist is ranked exactly. A group of at most CANDIDATES + 1 documents is every pair."""
    n = len(group)
    if n <= CANDIDATES + 1:
        return [(i, k) for i in range(n) for k in range(i + 1, n)]
    vector = functools.lru_cache(maxsize=4 * CHUNK)(space.document)
    prints, keep = space.fingerprints, min(n - 1, SHORTLIST)
    pairs: set[tuple[int, int]] = set()
    for first in range(0, n, CHUNK):
        block = np.round(prints[first : first + CHUNK] @ prints.T, 4)  # rounded: ties do not hang on the last bit
        rows = np.arange(block.shape[0])
        block[rows, rows + first] = -np.inf
        for row, shortlist in enumerate(_top(block, keep)):
            i = first + row
            exact = (vector(i) @ sparse.vstack([vector(k) for k in shortlist.tolist()]).T).toarray()
            best = _top(np.round(exact, 9), CANDIDATES)[0]
            pairs.update((min(i, k), max(i, k)) for k in shortlist[best].tolist())
    return sorted(pairs)


def _top(block: np.ndarray, k: int) -> list[np.ndarray]:
    """For each row, the columns of its k largest values in column order; ties go to the lower column."""
    kth = -np.partition(-block, k - 1, axis=1)[:, k - 1]
    chosen = []
    for values, bar in zip(block, kth.tolist(), strict=True):
        above = np.flatnonzero(values > bar)
        tied = np.flatnonzero(values == bar)[: k - len(above)]
        chosen.append(np.sort(np.concatenate([above, tied])))
    return chosen


def _claims_of(document: LineageDocument, sentences: tuple[int, ...]) -> list[Record]:
    return [claim for i in sentences for claim in document.by_sentence.get(i, [])]


def _coverage(document: LineageDocument, sentences: tuple[int, ...], claims: list[Record]) -> float:
    """The share of the sentences' letters and digits that the claims cover."""
    alnum, covered, total = document.alnum, 0, 0
    for start, end in (document.text.sentences[i] for i in sentences):
        total += alnum(start, end)
        spans = sorted((max(c.data["start"], start), min(c.data["end"], end)) for c in claims)
        reach = start
        for a, b in spans:
            a = max(a, reach)
            if b > a:
                covered += alnum(a, b)
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
