"""The packages' public faces (issue 15): the interfaces (cli, web, api) reach a domain app
only through the names its ``__init__.py`` lists in ``__all__``, and every listed name is
there. The layers themselves are import-linter's contracts (pyproject.toml, `make lint`)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from joinedup import public_face

SRC = Path(__file__).resolve().parents[1] / "src" / "joinedup"
INTERFACES = ("cli", "web", "api")
PACKAGES = sorted(p.parent.name for p in SRC.glob("*/__init__.py")
                  if p.parent.name not in INTERFACES)


def _faces() -> list[str]:
    return [name for name in PACKAGES if name != "__pycache__"]


@pytest.mark.parametrize("package", _faces())
def test_every_package_lists_its_face_and_every_listed_name_is_there(package: str) -> None:
    module = importlib.import_module(f"joinedup.{package}")
    listed = getattr(module, "__all__", None)
    assert listed, f"joinedup/{package}/__init__.py has no __all__"
    missing = [name for name in listed if getattr(module, name, None) is None]
    assert missing == [], f"joinedup.{package} lists names it cannot give: {missing}"


@pytest.mark.parametrize("package", _faces())
def test_no_name_of_a_face_is_also_the_name_of_one_of_its_modules(package: str) -> None:
    """Python puts a package's submodule on the package under the module's name once it is
    imported, so a function listed under that name would be replaced by the module."""
    init = SRC / package / "__init__.py"
    if "public_face.lazy" not in init.read_text(encoding="utf-8"):
        return  # an eager face: its names are bound when the package is imported
    clashes = [name for name, (module, attribute) in
               public_face.sources(f"joinedup.{package}", str(init)).items()
               if attribute is not None and ((SRC / package / f"{name}.py").exists()
                                             or (SRC / package / name / "__init__.py").exists())]
    assert clashes == [], f"joinedup.{package}: rename these in the face: {clashes}"


def _interface_imports() -> list[tuple[str, int, str, list[str]]]:
    found = []
    for interface in INTERFACES:
        for path in sorted((SRC / interface).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                where = f"{path.relative_to(SRC.parent)}:{getattr(node, 'lineno', 0)}"
                if isinstance(node, ast.ImportFrom) and not node.level and node.module:
                    found.append((where, node.lineno, node.module,
                                  [alias.name for alias in node.names]))
                elif isinstance(node, ast.Import):
                    found.extend((where, node.lineno, alias.name, []) for alias in node.names)
    return found


SETTINGS_EXTENDED = "joinedup.config.django_settings"
"""The web's settings extend the shared Django settings module itself (``import *``)."""


def _past_faces(imports: list[tuple[str, int, str, list[str]]]) -> list[str]:
    wrong = []
    for where, _, module, names in imports:
        if module == SETTINGS_EXTENDED and where.startswith("joinedup/web/settings.py:"):
            continue
        parts = module.split(".")
        if parts[0] != "joinedup" or len(parts) < 2 or parts[1] not in PACKAGES:
            continue
        if len(parts) > 2 or not names:
            wrong.append(f"{where}: imports {module}; import from joinedup.{parts[1]} instead")
            continue
        face = importlib.import_module(module)
        unlisted = [name for name in names if name not in face.__all__]
        if unlisted:
            wrong.append(f"{where}: {', '.join(unlisted)} not in joinedup.{parts[1]}.__all__")
    return wrong


def test_the_interfaces_reach_the_domain_only_through_its_faces() -> None:
    imports = _interface_imports()
    assert len(imports) > 100
    wrong = _past_faces(imports)
    assert wrong == [], "\n".join(wrong)


def test_an_import_past_a_face_or_of_an_unlisted_name_is_found() -> None:
    assert _past_faces([("a.py:1", 1, "joinedup.alerts.models", ["Alert"]),
                        ("b.py:2", 2, "joinedup.alerts", ["_secret"]),
                        ("c.py:3", 3, "joinedup.alerts.raising", []),
                        ("d.py:4", 4, "joinedup.alerts", ["Alert"]),
                        ("e.py:5", 5, "joinedup.errors", ["NotFoundError"])]) == [
        "a.py:1: imports joinedup.alerts.models; import from joinedup.alerts instead",
        "b.py:2: _secret not in joinedup.alerts.__all__",
        "c.py:3: imports joinedup.alerts.raising; import from joinedup.alerts instead",
    ]
