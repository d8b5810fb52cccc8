"""Runs the `joinedup` command for these tests: ``python tests/operations/cli_driver.py ARGS``.

It is the real command (``joinedup.cli.app``). The operations commands are registered on it
here only if ``joinedup.cli`` does not register them yet, so the tests run the same either way.
"""

from __future__ import annotations

import sys


def main() -> None:
    from joinedup.cli import app
    from joinedup.cli.operations_commands import backup, restore, retention_app

    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    if "backup" not in names:
        app.command("backup", help="Back up the database (safe while it is in use).")(backup)
        app.command("restore", help="Restore a backup, then verify it against its "
                                    "manifest.")(restore)
        app.add_typer(retention_app, name="retention")
    sys.exit(app(prog_name="joinedup"))


if __name__ == "__main__":
    main()
