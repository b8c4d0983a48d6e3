"""A progress bar for the steps after the corpus stream (read-back, hydrate): rows done, on a terminal only."""

from __future__ import annotations

import sys


class RowProgress:
    """tqdm over rows when enabled and stderr is a terminal; otherwise nothing at all."""

    def __init__(self, total: int, label: str, enabled: bool) -> None:
        self.bar = None
        if enabled and total and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=label, unit="row", file=sys.stderr, leave=False, dynamic_ncols=True)

    def update(self, rows: int) -> None:
        if self.bar is not None:
            self.bar.update(rows)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
