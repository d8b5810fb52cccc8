"""How a package shows its public face without loading it all at once.

An app's ``__init__.py`` lists what it offers the interfaces (``cli``, ``web``, ``api``) in
``__all__`` and imports each name under ``if TYPE_CHECKING:``, where type checkers and
import-linter read them. ``__getattr__ = public_face.lazy(__name__, __file__)`` then imports
a name from its module the first time someone asks for it: Django imports every app's
package before any model may be loaded, so a face cannot import its models eagerly.

A name the face lists but does not import, or imports but does not list, is an error when
the face is first used (and ``tests/test_layers.py`` asks every face for every name).
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any


def lazy(package: str, init_file: str) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``package``: each name of ``__all__`` from its module."""

    def get(name: str) -> Any:
        where = sources(package, init_file).get(name)
        if where is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, attribute = where
        if attribute is None:
            return importlib.import_module(module)
        return getattr(importlib.import_module(module), attribute)

    return get


@cache
def sources(package: str, init_file: str) -> dict[str, tuple[str, str | None]]:
    """Name -> (module, attribute), or (module, None) where the name is a module of the
    package: read from the face's ``if TYPE_CHECKING:`` imports."""
    tree = ast.parse(Path(init_file).read_text(encoding="utf-8"))
    found: dict[str, tuple[str, str | None]] = {}
    listed: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            listed = list(ast.literal_eval(node.value))
        if not (isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")):
            continue
        for statement in node.body:
            if not isinstance(statement, ast.ImportFrom) or statement.level or not statement.module:
                raise TypeError(f"{init_file}: the face imports with 'from joinedup... import'")
            for alias in statement.names:
                shown = alias.asname or alias.name
                submodule = f"{statement.module}.{alias.name}"
                if statement.module == package:
                    found[shown] = (submodule, None)
                else:
                    found[shown] = (statement.module, alias.name)
    if sorted(found) != sorted(listed):
        raise TypeError(f"{init_file}: __all__ and the names imported under TYPE_CHECKING "
                        f"differ: {sorted(set(found) ^ set(listed))}")
    return found
