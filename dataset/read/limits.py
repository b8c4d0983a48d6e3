"""Limits that make a hostile file cheap to reject; CONTRIBUTING.md documents them (a test checks it does)."""

MAX_FILE_BYTES = 16 * 1024 * 1024  # one annotation or seed file
MAX_LINE_CHARS = 100_000  # one JSONL record
MAX_DEPTH = 16  # nesting of arrays and objects in one record
MAX_RECORDS = 100_000  # records in one file
