"""Everything a data steward can type or send is documented."""

from __future__ import annotations

import re

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
    for module in (REPO / "src" / "joinedup" / "access").glob("*.py"):
        read |= set(re.findall(r'"(JOINEDUP_[A-Z_]+[A-Z])"', module.read_text(encoding="utf-8")))
    tables = [(REPO / "docs" / name).read_text(encoding="utf-8")
              for name in ("web.md", "operations.md")]
    assert {"JOINEDUP_INVOLVEMENT_DAYS", "JOINEDUP_PANEL_GRACE_DAYS"} <= read
    missing = [(name, table) for name in sorted(read) for table, text in
               zip(("web.md", "operations.md"), tables, strict=True)
               if f"| `{name}` |" not in text]
    assert missing == []
