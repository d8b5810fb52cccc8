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


def _commands() -> set[str]:
    """The names of the `joinedup` command's subcommands."""
    import typer.main

    from joinedup.cli import app

    group = typer.main.get_command(app)
    return set(getattr(group, "commands", {}))


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string constants that document rather than speak: docstrings, and
    strings standing alone as statements (attribute docstrings)."""
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)}


NOT_A_MESSAGE = {
    ("demo/loader.py", "joinedup demo"): "who received the demo returns, kept as data",
    ("api/v1.py", "joinedup agency systems API"): "the API's own name, not the agency command",
}
"""Strings that match but reach no one as a message, each with why."""

ARGUMENT_OF_ANOTHER_PROGRAM = re.compile(r"--[a-z][a-z-]*(=\S*)?")
"""A string that is one option and nothing else is an argument for pg_dump or pg_restore."""


def test_no_domain_or_api_message_names_a_cli_option_or_a_joinedup_command() -> None:
    command = re.compile(r"\bjoinedup (" + "|".join(map(re.escape, _commands())) + r")\b")
    option = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        where = path.relative_to(SOURCE)
        if where.parts[0] in ("cli", "web"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        documenting = _docstrings(tree)
        for node in ast.walk(tree):
            if (not isinstance(node, ast.Constant) or not isinstance(node.value, str)
                    or id(node) in documenting
                    or (str(where), node.value) in NOT_A_MESSAGE
                    or ARGUMENT_OF_ANOTHER_PROGRAM.fullmatch(node.value)):
                continue
            named = command.search(node.value) or option.search(node.value)
            if named:
                found.append(f"src/joinedup/{where}:{node.lineno} names {named[0]!r}")
    assert not found, "messages naming an interface:\n" + "\n".join(found)


ARGUMENTS = {"agency": "HV", "review": "1", "briefing": "2", "detail": "reason"}
"""A value for every argument a next step may take."""


def test_every_next_step_has_a_wording_on_the_command_line_and_on_the_web() -> None:
    from joinedup.cli import hints as cli_hints
    from joinedup.errors import NextStep
    from joinedup.web import hints as web_hints

    steps = set(NextStep)
    assert set(cli_hints.COMMANDS) == steps, "no command for " + ", ".join(
        step.value for step in steps - set(cli_hints.COMMANDS))
    assert set(web_hints.WORDINGS) == steps, "no web wording for " + ", ".join(
        step.value for step in steps - set(web_hints.WORDINGS))
    names = [step.value for step in steps]
    assert all(re.fullmatch(r"[a-z][a-z_]*", name) for name in names)
    for step in NextStep:
        hint = step(**ARGUMENTS)
        assert "`joinedup " in cli_hints.command(hint) or "`--" in cli_hints.command(hint)
        assert "{" not in cli_hints.command(hint)
        shown = str(web_hints.wording(hint))
        assert "joinedup " not in shown.replace("joinedup administrator", "")
        assert "{" not in shown and "--" not in shown
    assert 'href="/briefings/2/edit/"' in str(
        web_hints.wording(NextStep.EDIT_BRIEFING(briefing=2)))
    assert str(web_hints.wording(NextStep.REGISTER_AGENCY(agency="HV"))) == (
        "Ask a data steward to register agency HV.")


def _details_named() -> dict[str, str]:
    """Every detail a domain refusal asks for (GIVE_DETAIL(detail=...) and the last argument
    of require_text when it is one word) -> where."""
    found: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        where = path.relative_to(SOURCE)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            values = [k.value for k in node.keywords if k.arg == "detail"]
            if name == "require_text" and len(node.args) >= 3:
                values.append(node.args[-1])
            for value in values:
                if (isinstance(value, ast.Constant) and isinstance(value.value, str)
                        and re.fullmatch(r"[a-z_]+", value.value)):
                    found[value.value] = f"src/joinedup/{where}:{node.lineno}"
    return found


def test_every_detail_asked_for_has_its_option_on_the_command_line() -> None:
    from joinedup.cli import hints as cli_hints

    details = _details_named()
    assert {"why", "reason", "format", "criterion"} <= set(details)
    missing = sorted(f"{detail} ({where})" for detail, where in details.items()
                     if detail not in cli_hints.OPTIONS)
    assert not missing, "no option in cli/hints.py for: " + ", ".join(missing)
