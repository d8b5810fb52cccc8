"""The PostgreSQL pass of scripts/test runs the tests marked `postgres`. Every test module of
the folders whose code is all about the database carries the mark, so a new module there
runs on PostgreSQL too without anyone remembering to add it (docs/development.md)."""

from __future__ import annotations

import ast

from tests.helpers import REPO

DATABASE_FOLDERS = ("agencies", "ingest", "storage", "information_requests", "access", "operations",
                    "api")


def module_marks(path: str) -> str:
    """The source of the module's `pytestmark = ...` value, or "" when it has none."""
    tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "pytestmark"
                for target in node.targets):
            return ast.unparse(node.value)
    return ""


def test_every_module_of_the_database_folders_runs_on_postgresql() -> None:
    modules = sorted(str(path.relative_to(REPO)) for folder in DATABASE_FOLDERS
                     for path in (REPO / "tests" / folder).rglob("test_*.py"))
    unmarked = [path for path in modules
                if not any(mark in module_marks(path)
                           for mark in ("pytest.mark.postgres", "pytest.mark.sqlite_only"))]
    assert len(modules) > 30
    assert not unmarked, "add `pytestmark = pytest.mark.postgres` to:\n" + "\n".join(unmarked)
