"""Everything a data steward can type or send is documented."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

from joinedup.vocabulary import AGENCY_KINDS, EVENT_TYPES, PERSON_FLAGS, RELATIONSHIP_TYPES
from tests.helpers import REPO

CONTRACT = (REPO / "docs" / "data-contract.md").read_text(encoding="utf-8")
CLI_DOC = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("vocabulary", [EVENT_TYPES, RELATIONSHIP_TYPES, PERSON_FLAGS,
                                        AGENCY_KINDS])
def test_every_code_is_in_the_data_contract(vocabulary: dict[str, object]) -> None:
    missing = [code for code in vocabulary if f"`{code}`" not in CONTRACT]
    assert missing == []


def test_every_command_is_in_the_cli_reference() -> None:
    from typer.main import get_command

    from joinedup.cli import app

    def walk(command, prefix):  # type: ignore[no-untyped-def]
        for name, sub in getattr(command, "commands", {}).items():
            yield f"{prefix} {name}"
            yield from walk(sub, f"{prefix} {name}")

    commands = list(walk(get_command(app), "joinedup"))
    missing = [c for c in commands if not re.search(rf"`{re.escape(c)}\b", CLI_DOC)]
    assert commands and missing == []


def test_readme_starts_with_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    top = readme[:1200]
    assert "make demo" in top and "make test" in top


def test_every_access_setting_is_in_the_settings_tables() -> None:
    """Settings the access rules read (JOINEDUP_INVOLVEMENT_DAYS, JOINEDUP_PANEL_GRACE_DAYS)
    are in both settings tables, where an operator looks for them."""
    read = set()
    modules = [*(REPO / "src" / "joinedup" / "access").glob("*.py"),
               REPO / "src" / "joinedup" / "reviews" / "panel_access.py"]
    for module in modules:
        read |= set(re.findall(r'"(JOINEDUP_[A-Z_]+[A-Z])"', module.read_text(encoding="utf-8")))
    tables = [(REPO / "docs" / name).read_text(encoding="utf-8")
              for name in ("web.md", "operations.md")]
    assert {"JOINEDUP_INVOLVEMENT_DAYS", "JOINEDUP_PANEL_GRACE_DAYS"} <= read
    missing = [(name, table) for name in sorted(read) for table, text in
               zip(("web.md", "operations.md"), tables, strict=True)
               if f"| `{name}` |" not in text]
    assert missing == []


def test_every_rule_in_the_catalogue_is_in_the_rules_guide() -> None:
    from joinedup.alerts.catalogue import load_catalogue

    rules_doc = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    rules = [rule.id for rule in load_catalogue()]
    missing = [rule for rule in rules if not re.search(rf"(?<![\w]){rule}(?![\w])", rules_doc)]
    assert len(rules) >= 10
    assert not missing, "\n".join(missing)


def test_every_rules_priority_is_in_the_rules_guide_with_its_reason_and_source() -> None:
    from joinedup.alerts.catalogue import load_catalogue

    rules_doc = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    priority = rules_doc.split("\n## Priority\n")[1].split("\n## ")[0]
    wrong = [f"{rule.id}: {rule.priority}" for rule in load_catalogue()
             if f"| {rule.id} | {rule.priority} | {rule.priority_reason} | "
                f"{rule.priority_source} |" not in priority]
    assert not wrong, "not in the Priority section of docs/rules.md as in the catalogue:\n" \
        + "\n".join(wrong)


NOT_SETTINGS = {
    # the start of a name built in code (web/oidc.py reads JOINEDUP_OIDC_ + a name)
    "JOINEDUP_OIDC_",
    # a Django setting worked out from JOINEDUP_SESSION_MAX_HOURS, not read from anywhere
    "JOINEDUP_SESSION_MAX_SECONDS",
}


def test_every_setting_is_in_the_operations_guide() -> None:
    """Every JOINEDUP_* name the code reads is in docs/operations.md, in backticks."""
    used: dict[str, str] = {}
    for path in sorted((REPO / "src").rglob("*")):
        if path.suffix in {".py", ".toml", ".html", ".txt"} and path.is_file():
            for name in re.findall(r"JOINEDUP_[A-Z0-9_]+", path.read_text(encoding="utf-8")):
                used.setdefault(name, str(path.relative_to(REPO)))
    operations = (REPO / "docs" / "operations.md").read_text(encoding="utf-8")
    assert NOT_SETTINGS <= set(used), "a name left out on purpose is no longer in the code"
    missing = sorted(f"{name} (read in {where})" for name, where in used.items()
                     if name not in NOT_SETTINGS and f"`{name}`" not in operations)
    assert "JOINEDUP_DATA_DIR" in used
    assert not missing, "\n".join(missing)


def test_every_command_option_is_in_the_cli_reference() -> None:
    """Each --option of each command (and its --no- form) is in docs/cli.md, in backticks."""
    from typer.main import get_command

    from joinedup.cli import app

    def walk(command, path):  # type: ignore[no-untyped-def]
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, f"{path} {name}")

    options = [(path, name) for path, command in walk(get_command(app), "joinedup")
               for param in command.params if param.param_type_name == "option"
               for name in [*param.opts, *param.secondary_opts] if name.startswith("--")]
    missing = [f"{path} {name}" for path, name in options
               if not re.search(rf"`[^`\n]*{re.escape(name)}(?![\w-])", CLI_DOC)]
    assert len(options) > 100
    assert not missing, "\n".join(missing)


def test_every_package_is_in_the_development_layout() -> None:
    development = (REPO / "docs" / "development.md").read_text(encoding="utf-8")
    layout = development.split("## Layout", 1)[1].split("\n## ", 1)[0]
    packages = sorted(path.parent.name for path in
                      (REPO / "src" / "joinedup").glob("*/__init__.py"))
    missing = [name for name in packages if not re.search(rf"^\s+{name}/", layout, re.M)]
    assert len(packages) >= 10
    assert not missing, "\n".join(missing)


REPO_ROOTS = {"docs", "src", "tests", "benchmarks", "scripts", ".ci", "joinedup"}
PACKAGE_DIRS = {path.name for path in (REPO / "src" / "joinedup").iterdir() if path.is_dir()}
CITED_PATH = re.compile(
    r"(?<![\w./-])((?:\.\./)*(?:[\w.-]+/)+[\w-]+\.(?:py|md|toml|txt|json|html|csv|xml|lock))"
    r"(?![\w/])")
CITED_NAME = re.compile(r"(?<![\w./-])([A-Za-z][\w-]*\.md)\b")
FILE_NAMES = {path.name for path in REPO.rglob("*")
              if ".venv" not in path.parts and "node_modules" not in path.parts}


def _prose(path: Path) -> list[tuple[int, str]]:
    """The lines a person reads: a whole doc, or a module's docstrings and comments."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        return list(enumerate(text.splitlines(), 1))
    lines: list[tuple[int, str]] = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT:
            lines.append((token.start[0], token.string))
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)\
                    and isinstance(body[0].value.value, str):
                first = body[0].lineno
                lines += [(first + i, line) for i, line in
                          enumerate(body[0].value.value.splitlines())]
    return lines


def _cited_elsewhere(path: Path) -> list[str]:
    """Files cited in a doc or docstring that are not in the repository. A path counts
    from the repository or from src/joinedup (or from the citing file's folder)."""
    found = []
    for number, line in _prose(path):
        for cited in CITED_PATH.findall(line):
            top = cited.split("/", 1)[0]
            if top in {"shared", "seed"} or (top == ".." and not (
                    path.parent / cited).resolve().is_relative_to(REPO)):
                found.append(f"{cited} (outside the repository)")
            elif top == ".." and not (path.parent / cited).exists():
                found.append(cited)
            elif top in REPO_ROOTS | PACKAGE_DIRS and not any(
                    (base / cited).exists() for base in
                    (REPO, REPO / "src", REPO / "src" / "joinedup", path.parent)):
                found.append(cited)
        found += [name for name in CITED_NAME.findall(line) if name not in FILE_NAMES]
        found = [f"{item} cited in {path.relative_to(REPO)}:{number}" if " cited in " not in
                 item else item for item in found]
    return found


def test_no_doc_or_docstring_cites_a_file_that_is_not_in_the_repository() -> None:
    sources = [*sorted((REPO / "docs").rglob("*.md")), REPO / "README.md",
               *sorted((REPO / "src" / "joinedup").rglob("*.py")),
               REPO / "src" / "joinedup" / "alerts" / "catalogue.toml"]
    missing = [item for path in sources for item in _cited_elsewhere(path)]
    assert not missing, "\n".join(missing)


def test_every_error_code_is_in_the_cli_reference() -> None:
    """Scripts read error.code under --format json: each code has a row in docs/cli.md."""
    from tests.test_errors import _every_error_class

    codes = sorted({cls.code for cls in _every_error_class()})
    missing = [code for code in codes if f"| `{code}` |" not in CLI_DOC]
    assert "not_found" in codes and "access_denied" in codes
    assert missing == []
