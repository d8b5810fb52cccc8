"""The database migrations describe the models as they are: a model changed without its
migration would leave a fresh install (``joinedup init``) without the change."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.mark.django_db
@pytest.mark.postgres
def test_every_model_change_has_its_migration() -> None:
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exited:  # --check exits 1 when a migration is missing
        pytest.fail(f"a model change has no migration (makemigrations exited {exited.code})")
