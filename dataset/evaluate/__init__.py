"""Scoring core of the benchmark: span matching and counting metrics (metrics), CoNLL coreference metrics (coref),
the task definitions and scorers (tasks), and document-level bootstrap intervals (bootstrap).

Pure functions over plain dicts and lists; nothing here imports the rest of the package, so the core survives a
restructuring of it.
"""
