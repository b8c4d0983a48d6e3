"""Drive consumers over the corpus stream: one pass, documents in batches, on every core.

A consumer (the checker, the figures' tally, the document rows, a scorer, a report writer) sees the registries
once, then every document, then says how its state merges with another's. Batches of documents go to worker
processes (forked, so they share the registries the parent read); each returns its consumers' states, which
the parent merges in document order. Memory stays flat: a worker holds one batch, the parent the merged states.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import itertools
import multiprocessing
import os
import re
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.reduction import ForkingPickler
from typing import Protocol, TypeVar

from ..schemas import Schemas
from .corpus import Corpus, Document

BATCH_DOCUMENTS = 500  # documents per batch: tables are checked per batch, so large enough to amortise a call
BATCH_RECORDS = 20_000  # a batch ends early after this many records (a batch's tables hold its records)
SERIAL_BELOW = 200  # fewer documents than this are not worth starting processes for
YOUNG_LIMIT = 100_000  # objects left since the last collection of the young generations (see _run_batch)

C = TypeVar("C", bound="Consumer")


class Consumer(Protocol):
    def fresh(self: C) -> C:
        """An empty copy that keeps what was set up from the registries: one per batch in a worker."""

    def document(self, doc: Document) -> None: ...

    def end_batch(self) -> None:
        """The documents given since the last call are a batch (checked together); called at least once per batch,
        and more often when a batch holds many records."""

    def merge(self: C, other: C) -> None: ...


_PROGRESS = [False]  # the process's default: off for the Python API; the command line turns it on (show_progress)


def show_progress(on: bool) -> None:
    """Whether stream.run shows progress when its caller does not say (the command line decides, from --quiet,
    the output format and whether stderr is a terminal; so does every command built on load() or build())."""
    _PROGRESS[0] = on


class Progress:
    """Documents done, records per second and time left, on a terminal only (never in machine-readable output)."""

    FORMAT = "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} documents{postfix} [{elapsed}, {remaining} left]"

    def __init__(self, total: int, label: str, enabled: bool) -> None:
        self.bar = None
        if enabled and total and sys.stderr.isatty():
            from tqdm import tqdm

            tqdm.monitor_interval = 0  # no monitor thread: the stream forks its workers after this
            self.bar = tqdm(
                total=total,
                desc=label,
                file=sys.stderr,
                leave=False,
                dynamic_ncols=True,
                bar_format=self.FORMAT,
                postfix="0 records/s",
            )
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


# Native thread pools that a forked child inherits locked and can never use: polars' (and the runtimes it starts).
_POOL_THREADS = re.compile(r"polars-\d|tokio-rt-worker|async-executor")


def fork_safe() -> bool:
    """Whether this process may fork workers: no native thread pool has started in it yet.

    Polars starts its pool on its first computation; a child forked after that deadlocks on its first own one.
    The stream's consumers therefore compute nothing with polars in the parent before the stream (the checker
    checks the registries' tables at the end); should one do so anyway, the stream runs on one process rather
    than hang.
    """
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:  # not Linux: nothing to look at, and fork is not the default there
        return True
    for task in tasks:
        try:
            with open(f"/proc/self/task/{task}/comm", encoding="utf-8", errors="replace") as comm:
                name = comm.read()
        except OSError:
            continue  # the thread ended meanwhile
        if _POOL_THREADS.match(name):
            return False
    return True


def can_fork() -> bool:
    """Whether this process can fork workers now: the platform forks, and no native pool would be inherited."""
    return "fork" in multiprocessing.get_all_start_methods() and fork_safe()


def _return_free_memory() -> None:
    """glibc keeps freed heap for reuse; a forked worker would count it as its own resident memory."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to give back this way
        ctypes.CDLL(None).malloc_trim(0)


def batches(doc_ids: Sequence[str], jobs: int) -> list[list[str]]:
    """Batches of at most BATCH_DOCUMENTS; with several workers, at least two batches each to share the load."""
    size = BATCH_DOCUMENTS if jobs == 1 else min(BATCH_DOCUMENTS, max(1, -(-len(doc_ids) // (jobs * 2))))
    return [list(doc_ids[i : i + size]) for i in range(0, len(doc_ids), size)]


def _run_batch(
    corpus: Corpus, consumers: Sequence[Consumer], doc_ids: list[str], bar: Progress | None = None
) -> tuple[int, int]:
    """One batch; in one process the bar moves with every document (a worker's batch reports when it is done).

    The cycle collector is paused: parsed records hold no cycles (reference counting frees them), and each of
    the full collections their allocations would trigger walks every object the process holds. Only the young
    generations are collected, once YOUNG_LIMIT objects have outlived their documents: a consumer that makes
    cycles (Jinja's rendering of a page does) cannot pile up a batch's garbage, and a collection costs what the
    last documents left, not what the process holds."""
    records = since_end = 0
    enabled = gc.isenabled()
    gc.disable()
    try:
        for doc_id in doc_ids:
            doc = corpus.document(doc_id)
            records += doc.record_count
            since_end += doc.record_count
            for consumer in consumers:
                consumer.document(doc)
            if gc.get_count()[0] >= YOUNG_LIMIT:
                gc.collect(1)  # the young generations only: what the last documents left, cycles included
            if bar is not None:
                bar.update(1, doc.record_count)
            if since_end >= BATCH_RECORDS:  # long documents: what a batch holds stays bounded in records too
                for consumer in consumers:
                    consumer.end_batch()
                since_end = 0
        for consumer in consumers:
            consumer.end_batch()
    finally:
        if enabled:
            gc.enable()
    return len(doc_ids), records


@dataclass(frozen=True)
class _Shared:
    """What the workers inherit by forking: the corpus and the consumers set up from its registries."""

    corpus: Corpus
    consumers: Sequence[Consumer]


_SHARED: _Shared | None = None  # set before forking, read by the workers


def _the_parents(kind: str) -> object:
    """The parent's own corpus or schemas, where a worker's state refers to them."""
    assert _SHARED is not None, "a worker's state is read back only while its stream runs"
    return _SHARED.corpus if kind == "corpus" else _SHARED.corpus.schemas


def _by_reference(kind: str) -> Callable[[object], tuple]:
    """A worker's consumers refer to the corpus and its schemas (with compiled validators, which cannot travel):
    the parent has them too, since the worker is its fork, so a state carries a reference and no copy."""

    def reduce(value: object) -> tuple:
        shared = _SHARED
        if shared is None or value is not (shared.corpus if kind == "corpus" else shared.corpus.schemas):
            raise TypeError(f"only the stream's own {kind} can travel between its processes")
        return _the_parents, (kind,)

    return reduce


ForkingPickler.register(Corpus, _by_reference("corpus"))
ForkingPickler.register(Schemas, _by_reference("schemas"))


def _worker(doc_ids: list[str]) -> tuple[list[Consumer], int, int]:
    assert _SHARED is not None
    fresh = [consumer.fresh() for consumer in _SHARED.consumers]
    documents, records = _run_batch(_SHARED.corpus, fresh, doc_ids)
    return fresh, documents, records


def run(
    corpus: Corpus,
    consumers: Sequence[Consumer],
    *,
    jobs: int | None = None,
    label: str = "documents",
    progress: bool | None = None,
) -> None:
    """Feed every document of the corpus to every consumer (merging worker states into them), in one pass.

    Progress shows on a terminal when `progress` is true, or when it is None and the command line asked for it.
    """
    global _SHARED
    jobs = jobs or default_jobs()
    doc_ids = corpus.doc_ids
    bar = Progress(len(doc_ids), label, _PROGRESS[0] if progress is None else progress)
    try:
        serial = jobs == 1 or len(doc_ids) < SERIAL_BELOW
        if serial or not can_fork():
            for batch in batches(doc_ids, 1):
                _run_batch(corpus, consumers, batch, bar)
            return
        _SHARED = _Shared(corpus, consumers)
        context = multiprocessing.get_context("fork")
        # What the parent holds is the workers' too: frozen, their collector never walks it (nor copies its pages);
        # and the heap it freed while reading (the documents file's text and lines) goes back to the system first.
        gc.freeze()
        _return_free_memory()
        with context.Pool(jobs) as pool:
            # At most two batches per worker in flight, merged in order: results never pile up in the parent
            # while it merges (imap would queue every finished batch, and memory would grow with the corpus).
            todo = iter(batches(doc_ids, jobs))
            pending = deque(pool.apply_async(_worker, (batch,)) for batch in itertools.islice(todo, 2 * jobs))
            while pending:
                result = pending.popleft().get()
                for batch in itertools.islice(todo, 1):
                    pending.append(pool.apply_async(_worker, (batch,)))
                states, documents, records = result
                for consumer, state in zip(consumers, states, strict=True):
                    consumer.merge(state)
                bar.update(documents, records)
    finally:
        _SHARED = None
        gc.unfreeze()
        bar.close()


def documents(corpus: Corpus) -> Iterator[Document]:
    """The plain stream, for a consumer that needs no batches (a one-off command on one process)."""
    yield from corpus
