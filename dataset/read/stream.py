"""Drive consumers over the corpus stream: one pass, documents in batches, on every core.

A consumer (the checker, the figures' tally, the document rows, a scorer, a report writer) sees the registries
once, then every document, then says how its state merges with another's. Batches of documents go to worker
processes (forked, so they share the registries the parent read); each returns its consumers' states, which
the parent merges in document order. Memory stays flat: a worker holds one batch, the parent the merged states.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Iterator, Sequence
from typing import Protocol, TypeVar

from .corpus import Corpus, Document

BATCH_DOCUMENTS = 500  # documents per batch: tables are checked per batch, so large enough to amortise a call
SERIAL_BELOW = 200  # fewer documents than this are not worth starting processes for

C = TypeVar("C", bound="Consumer")


class Consumer(Protocol):
    def fresh(self: C) -> C:
        """An empty copy that keeps what was set up from the registries: one per batch in a worker."""

    def document(self, doc: Document) -> None: ...

    def end_batch(self) -> None: ...

    def merge(self: C, other: C) -> None: ...


class Progress:
    """Documents done, records per second and time left, on a terminal only (never in machine-readable output)."""

    def __init__(self, total: int, label: str, enabled: bool) -> None:
        self.bar = None
        if enabled and total and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=label, unit="doc", file=sys.stderr, leave=False, dynamic_ncols=True)
        self.records = 0
        self.started = time.perf_counter()

    def update(self, documents: int, records: int) -> None:
        self.records += records
        if self.bar is not None:
            rate = self.records / max(time.perf_counter() - self.started, 1e-9)
            self.bar.set_postfix_str(f"{rate:,.0f} records/s", refresh=False)
            self.bar.update(documents)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def batches(doc_ids: Sequence[str], jobs: int) -> list[list[str]]:
    """Batches of at most BATCH_DOCUMENTS; with several workers, at least two batches each to share the load."""
    size = BATCH_DOCUMENTS if jobs == 1 else min(BATCH_DOCUMENTS, max(1, -(-len(doc_ids) // (jobs * 2))))
    return [list(doc_ids[i : i + size]) for i in range(0, len(doc_ids), size)]


def _run_batch(
    corpus: Corpus, consumers: Sequence[Consumer], doc_ids: list[str], bar: Progress | None = None
) -> tuple[int, int]:
    """One batch; in one process the bar moves with every document (a worker's batch reports when it is done)."""
    records = 0
    for doc_id in doc_ids:
        doc = corpus.document(doc_id)
        records += doc.record_count
        for consumer in consumers:
            consumer.document(doc)
        if bar is not None:
            bar.update(1, doc.record_count)
    for consumer in consumers:
        consumer.end_batch()
    return len(doc_ids), records


_SHARED: tuple[Corpus, Sequence[Consumer]] | None = None  # set before forking, read by the workers


def _worker(doc_ids: list[str]) -> tuple[list[Consumer], int, int]:
    assert _SHARED is not None
    corpus, consumers = _SHARED
    fresh = [consumer.fresh() for consumer in consumers]
    documents, records = _run_batch(corpus, fresh, doc_ids)
    return fresh, documents, records


def run(
    corpus: Corpus,
    consumers: Sequence[Consumer],
    *,
    jobs: int | None = None,
    label: str = "documents",
    progress: bool = True,
) -> None:
    """Feed every document of the corpus to every consumer (merging worker states into them), in one pass."""
    global _SHARED
    jobs = jobs or default_jobs()
    doc_ids = corpus.doc_ids
    bar = Progress(len(doc_ids), label, progress)
    try:
        if jobs == 1 or len(doc_ids) < SERIAL_BELOW or "fork" not in multiprocessing.get_all_start_methods():
            for batch in batches(doc_ids, 1):
                _run_batch(corpus, consumers, batch, bar)
            return
        _SHARED = (corpus, consumers)
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs) as pool:
            for states, documents, records in pool.imap(_worker, batches(doc_ids, jobs)):
                for consumer, state in zip(consumers, states, strict=True):
                    consumer.merge(state)
                bar.update(documents, records)
    finally:
        _SHARED = None
        bar.close()


def documents(corpus: Corpus) -> Iterator[Document]:
    """The plain stream, for a consumer that needs no batches (a one-off command on one process)."""
    yield from corpus
