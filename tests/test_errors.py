"""The one error tree: every error joinedup raises on purpose is drawn in errors.py."""

from __future__ import annotations

import ast
import importlib
import re

import joinedup.errors
from tests.helpers import REPO

SOURCE = REPO / "src" / "joinedup"


def _classes_and_bases() -> dict[str, tuple[str, str]]:
    """Every class defined in src/joinedup: its name -> (its first base's name, its module)."""
    found: dict[str, tuple[str, str]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.bases:
                base = node.bases[0]
                name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
                found[node.name] = (name, str(path.relative_to(REPO)))
    return found


def _drawn_tree() -> dict[str, str | None]:
    """The tree in the docstring of errors.py: each name -> the name it hangs from."""
    drawn: dict[str, str | None] = {}
    parents: list[tuple[int, str]] = []
    for line in (joinedup.errors.__doc__ or "").splitlines():
        match = re.match(r"^([\s│├└─]*)([A-Z]\w+)\s", line)
        if not match or not (match.group(1).strip() or match.group(2) == "JoinedUpError"):
            continue
        depth = len(match.group(1))
        while parents and parents[-1][0] >= depth:
            parents.pop()
        drawn[match.group(2)] = parents[-1][1] if parents else None
        parents.append((depth, match.group(2)))
    return drawn


def test_every_joinedup_error_is_drawn_in_the_tree_under_its_parent() -> None:
    classes = _classes_and_bases()
    errors = {"JoinedUpError"}
    while True:
        more = {name for name, (base, _) in classes.items() if base in errors} - errors
        if not more:
            break
        errors |= more
    drawn = _drawn_tree()
    assert {"AccessDenied", "IdentifiableError", "NotFoundError"} <= errors
    missing = [f"{name} ({classes[name][1]})" for name in sorted(errors - {"JoinedUpError"})
               if name not in drawn]
    assert not missing, "not in the tree in errors.py: " + ", ".join(missing)
    misplaced = [f"{name} is drawn under {drawn[name]} but is a {classes[name][0]}"
                 for name in sorted(errors - {"JoinedUpError"})
                 if drawn[name] != classes[name][0]]
    assert not misplaced, "; ".join(misplaced)
    assert drawn["JoinedUpError"] is None
    not_errors = sorted(set(drawn) - errors)
    assert not not_errors, "drawn but not a JoinedUpError: " + ", ".join(not_errors)


def _every_error_class() -> list[type[joinedup.errors.JoinedUpError]]:
    """JoinedUpError and every subclass defined anywhere in src/joinedup, imported."""
    for path in sorted(SOURCE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^class \w+\(\w*(Error|Denied)\):", text, re.M):
            module = ".".join(path.relative_to(REPO / "src").with_suffix("").parts)
            importlib.import_module(module.removesuffix(".__init__"))
    found: list[type[joinedup.errors.JoinedUpError]] = []
    todo = [joinedup.errors.JoinedUpError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_error_has_a_stable_code_of_its_own_drawn_in_the_tree() -> None:
    classes = _every_error_class()
    names = {cls.__name__ for cls in classes}
    assert {"AccessDenied", "IdentifiableError", "NotFoundError", "ConfigurationError"} <= names
    own = {cls.__name__: cls.__dict__.get("code") for cls in classes}
    without = sorted(name for name, code in own.items() if code is None)
    assert not without, "no code of its own: " + ", ".join(without)
    badly_spelt = sorted(f"{name}: {code!r}" for name, code in own.items()
                         if not re.fullmatch(r"[a-z][a-z_]*", str(code)))
    assert not badly_spelt, "codes must be snake_case: " + ", ".join(badly_spelt)
    codes = list(own.values())
    shared = sorted({code for code in codes if codes.count(code) > 1})
    assert not shared, "codes used twice: " + ", ".join(str(code) for code in shared)
    tree = joinedup.errors.__doc__ or ""
    undrawn = sorted(name for name, code in own.items()
                     if not re.search(rf"\b{name}\s+{code}\s", tree))
    assert not undrawn, "code not drawn beside the class in errors.py: " + ", ".join(undrawn)
