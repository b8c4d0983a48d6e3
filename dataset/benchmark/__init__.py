"""The benchmark, apart from the tests (which never time anything): `python -m dataset bench`.

A scenario (scenario.py: the plug-in interface; copies.py, the default; hostile corpora plug in the same way)
writes a corpus of a given size; the bench times `json.loads` of every line it holds (parse.py) and each command
on it in a fresh process (steps.py, child.py), and prints Markdown (table.py).
"""
