"""docs/security.md lists every module that writes SQL text (issue 14, finding 1).

A module of src/joinedup that writes an SQL statement in an f-string, a ``str.format`` or a
``%`` template must be named in the section "Where SQL is composed, and why each place is
safe", so that a new place that composes SQL cannot arrive without someone saying why it is
safe. Plain SQL text with no substitution cannot carry outside input and is not looked for.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.helpers import REPO

SRC = REPO / "src" / "joinedup"
SECTION = "## Where SQL is composed, and why each place is safe"
STATEMENT = re.compile(r"\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|CREATE|DROP|ALTER|ATTACH|"
                       r"DETACH|COPY|PRAGMA|ANALYZE|DESCRIBE|WITH)\b")


def _templates(tree: ast.AST) -> list[str]:
    """The literal text of every f-string, ``"...".format(...)`` and ``"..." % ...``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            found.append("".join(v.value for v in node.values
                                 if isinstance(v, ast.Constant) and isinstance(v.value, str)))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "format" and isinstance(node.func.value, ast.Constant)
              and isinstance(node.func.value.value, str)):
            found.append(node.func.value.value)
        elif (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod)
              and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)):
            found.append(node.left.value)
    return found


def modules_composing_sql() -> list[str]:
    paths = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        if any(STATEMENT.search(t) for t in _templates(ast.parse(path.read_text()))):
            paths.append(path.relative_to(REPO).as_posix())
    return paths


def section() -> str:
    text = (REPO / "docs" / "security.md").read_text(encoding="utf-8")
    assert SECTION in text
    body = text.split(SECTION, 1)[1]
    return body.split("\n## ", 1)[0]


def test_the_search_finds_the_places_we_know() -> None:
    found = modules_composing_sql()
    for known in ("src/joinedup/ingest/bulk_events.py", "src/joinedup/ingest/merge.py",
                  "src/joinedup/alerts/snapshot.py", "src/joinedup/alerts/compiler.py"):
        assert known in found, found


def test_every_module_composing_sql_is_listed_in_docs_security() -> None:
    listed = section()
    missing = [p for p in modules_composing_sql() if f"`{p}`" not in listed]
    assert not missing, (
        f"{', '.join(missing)} write(s) SQL from a template but docs/security.md does not "
        f"list them under {SECTION!r}: add each, with why it is safe")


def test_every_module_listed_exists() -> None:
    for path in re.findall(r"`(src/joinedup/[\w/]+\.py)`", section()):
        assert (REPO / Path(path)).is_file(), path
