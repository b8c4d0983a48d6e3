"""One registry of rule ids (dataset/rules.py): nothing emits an id it lacks, and it lists nothing no code emits.

Rule ids reach a Problem in a few ways, all found here by reading the code (not by running it): a
`Problem(path, line, "rule", ...)`, a `stamp("rule", ...)`, a `@rule("rule", ...)` registration, a pandera check
named after its rule (`name="rule"` or `"rule:field"`), or a module's own problem helper called with the id
first (`self.report("tool-json", ...)`, `_problem("...")`).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from dataset.rules import RULES, WARNINGS

PACKAGE = Path(__file__).resolve().parent.parent / "dataset"
ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*(:.*)?$")
HELPERS = re.compile(r"(^|_)(problem|report|stamp|rule|warn|fail)s?$")


def _callee(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value)  # f"dangling-ref:{field}": the id is its head
    return None


def emitted_ids() -> dict[str, list[str]]:
    """Every rule id the package's code can emit, with where it does."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "rules.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = _callee(node)
            candidates = []
            if name == "Problem" and len(node.args) >= 3:
                candidates.append(node.args[2])
            elif HELPERS.search(name):
                candidates += node.args[:2]  # report(rule, ...) or report(record, rule, ...)
            if name in ("Check", "Problem"):
                candidates += [kw.value for kw in node.keywords if kw.arg in ("rule", "name")]
            for candidate in candidates:
                value = _literal(candidate)
                if value is not None and ID.match(value):
                    where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                    found.setdefault(value.split(":", 1)[0], []).append(where)
    return found


def test_every_emitted_rule_id_is_in_the_registry() -> None:
    missing = {rule: places for rule, places in emitted_ids().items() if rule not in RULES and rule not in WARNINGS}
    assert not missing, f"rule ids emitted but not in dataset/rules.py: {missing}"


def test_every_registered_rule_is_emitted_somewhere() -> None:
    emitted = set(emitted_ids())
    assert set(RULES) - emitted == set(), "rule ids in dataset/rules.py that no code emits"


def test_every_rule_has_a_one_line_description() -> None:
    for rule, description in {**RULES, **WARNINGS}.items():
        assert ID.match(rule) and description.strip() and "\n" not in description, rule
