"""Opening the database for commands outside the web server.

``open_database()`` configures Django from the environment (JOINEDUP_DATA_DIR,
JOINEDUP_DATABASE_URL) and checks the database has been set up; ``initialise()``
creates or migrates it. Commands run with the shared settings
(``joinedup.config.django_settings``); the web application, with its own
(``joinedup.web.settings``), which extend them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from joinedup.errors import ConfigurationError, NextStep

SHARED_SETTINGS = "joinedup.config.django_settings"

BeforeMigrate = Callable[[Callable[[str], None]], object]
"""Called with ``say`` before migrations are applied to a database already in use."""


def configure() -> None:
    """Set Django up, once a process, with the settings named by DJANGO_SETTINGS_MODULE or
    else the shared ones."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SHARED_SETTINGS)
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def describe() -> str:
    """Where the database is, for messages (no password)."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite database {settings['NAME']}"
    return f"PostgreSQL database {settings['NAME']} on {settings.get('HOST') or 'localhost'}"


def _say_on_stderr(message: str) -> None:
    print(message, file=sys.stderr)


def initialise(say: Callable[[str], None] = _say_on_stderr,
               before_migrate: BeforeMigrate | None = None) -> list[str]:
    """Create the database (and its folder) or bring it up to date. Returns what was applied.

    When there are migrations to apply to a database already in use, ``before_migrate`` is
    called first (the commands pass ``operations.backup.before_migrate``, which backs the
    database up and ``say``s where the backup is)."""
    configure()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if connection.vendor == "sqlite":
        from pathlib import Path

        Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan and executor.loader.applied_migrations and before_migrate is not None:
            before_migrate(say)
        call_command("migrate", verbosity=0, interactive=False)
    except Exception as exc:  # the database cannot be reached or created
        from django.db import DatabaseError

        if isinstance(exc, DatabaseError | OSError):
            raise ConfigurationError(f"Cannot set up the {describe()}: {exc}") from exc
        raise
    return [f"{m.app_label}.{m.name}" for m, _ in plan]


def open_database() -> None:
    """Configure Django and check that `joinedup init` has been run on this database."""
    configure()
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    if connection.vendor == "sqlite":
        from pathlib import Path

        if not Path(connection.settings_dict["NAME"]).exists():
            raise ConfigurationError(
                f"There is no database yet at {connection.settings_dict['NAME']}: set it up "
                "first (or set JOINEDUP_DATA_DIR to the data folder).",
                next_step=NextStep.SET_UP_DATABASE,
            )
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        raise ConfigurationError(f"Cannot open the {describe()}: {exc}") from exc
    if pending:
        raise ConfigurationError(
            f"The {describe()} is not set up or is out of date: set it up or bring it up to "
            "date first.",
            next_step=NextStep.SET_UP_DATABASE,
        )
