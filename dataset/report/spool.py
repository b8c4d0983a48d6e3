"""What the summary pages need from every document, kept on disk (SQLite) rather than in memory.

The index and clusters pages list something for every document and every clustered claim. Rendered as each
document is read, those fragments go into a temporary database; the pages are then written as streams that read
them back in order, so the report's memory stays flat however large the corpus (and the work stays n log n: one
index each, no quadratic look-up).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from markupsafe import Markup

SCHEMA = """
CREATE TABLE rows (doc INTEGER PRIMARY KEY, html TEXT NOT NULL);
CREATE TABLE entries (cluster TEXT NOT NULL, doc INTEGER NOT NULL, start INTEGER NOT NULL, id TEXT NOT NULL,
                      html TEXT NOT NULL);
CREATE TABLE mentioned (doc INTEGER NOT NULL, entity TEXT NOT NULL);
"""


class Spool:
    """Fragments by document number (its position in the corpus's order), read back in that order."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = OFF")  # a scratch file: a crash loses nothing worth keeping
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.executescript(SCHEMA)

    def add(
        self,
        rows: list[tuple[int, str]],
        entries: list[tuple[str, int, int, str, str]],
        mentioned: list[tuple[int, str]],
    ) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany("INSERT INTO rows VALUES (?, ?)", rows)
            self.db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?)", entries)
            self.db.executemany("INSERT INTO mentioned VALUES (?, ?)", mentioned)

    def finish(self) -> None:
        """Index what the pages look up (once, after every insert: cheaper than keeping the index as rows come)."""
        self.db.execute("CREATE INDEX entries_by_cluster ON entries (cluster, doc, start, id)")
        self.db.execute("CREATE INDEX mentioned_by_doc ON mentioned (doc)")

    def rows(self) -> Iterator[Markup]:
        for (html,) in self.db.execute("SELECT html FROM rows ORDER BY doc"):
            yield Markup(html)

    def entries(self, cluster: str) -> Iterator[tuple[int, Markup]]:
        """The cluster's claims, by document number, then position in the text."""
        query = "SELECT doc, html FROM entries WHERE cluster = ? ORDER BY doc, start, id"
        for doc, html in self.db.execute(query, (cluster,)):
            yield doc, Markup(html)

    def mentioned(self) -> Iterator[list[str]]:
        """Per document (in order), the entities its source mentions link to."""
        current, entities = None, []
        for doc, entity in self.db.execute("SELECT doc, entity FROM mentioned ORDER BY doc, entity"):
            if doc != current and entities:
                yield entities
                entities = []
            current = doc
            entities.append(entity)
        if entities:
            yield entities

    def documents_per_entity(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT entity, count(*) FROM mentioned GROUP BY entity"))

    def close(self) -> None:
        self.db.close()
