"""The `joinedup` command for data stewards and the partnership business unit (the commands
are put together in ``cli/root.py``; docs/cli.md describes them).

Django is set up here, before any command module is imported, so that the command modules
can import the domain's models at their top like any other module.
"""

from joinedup import database

database.configure()

from joinedup.cli.root import app, main  # noqa: E402 (Django must be set up first)

__all__ = ["app", "main"]
