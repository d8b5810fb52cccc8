"""The schema the code serves is the committed docs/openapi.json, and it describes what the
API really answers (schemathesis finds no 5xx and no answer outside the schema)."""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import API
from tests.helpers import REPO

pytestmark = pytest.mark.postgres

COMMITTED = REPO / "docs" / "openapi.json"
EXAMPLES = int(os.environ.get("JOINEDUP_FUZZ_EXAMPLES", "25"))
"""Generated requests per operation (more for a longer hunt: JOINEDUP_FUZZ_EXAMPLES=500)."""


@pytest.mark.django_db
def test_the_committed_schema_is_the_code_schema(api: Client) -> None:
    from joinedup.api.schema_file import COMMAND, text

    served = api.get(f"{API}/openapi.json")
    assert served.status_code == 200
    code_text = text(served.json())
    committed_text = COMMITTED.read_text(encoding="utf-8")
    if json.loads(committed_text) != served.json():
        diff = "".join(list(difflib.unified_diff(
            committed_text.splitlines(keepends=True), code_text.splitlines(keepends=True),
            "docs/openapi.json (committed)", "the code's schema"))[:80])
        pytest.fail(f"docs/openapi.json differs from the schema the code serves. Regenerate it "
                    f"with `{COMMAND}` and commit it.\n{diff}")


@pytest.fixture
def wsgi_requests_share_the_test_transaction() -> Iterator[None]:
    """Requests through the WSGI application (as schemathesis sends them) use this thread's
    database connection, inside the test's transaction; Django's test client does the
    same by not closing connections at the end of each request."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_the_documented_command_writes_the_committed_schema(tmp_path: Any) -> None:
    """`python -m joinedup.api.schema_file FILE`, run as docs/api.md says (outside the test
    settings), writes the same schema as the committed one."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["JOINEDUP_DATA_DIR"] = str(tmp_path)
    written = tmp_path / "openapi.json"
    done = subprocess.run([sys.executable, "-m", "joinedup.api.schema_file", str(written)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert written.read_text(encoding="utf-8") == (REPO / "docs" / "openapi.json").read_text(
        encoding="utf-8")


@pytest.mark.slow
@pytest.mark.django_db
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
        hv_key: str, settings: Any, wsgi_requests_share_the_test_transaction: None) -> None:
    import schemathesis

    from joinedup.web.wsgi import application

    settings.JOINEDUP_API_RATE_PER_MINUTE = 100_000
    settings.ALLOWED_HOSTS = ["*"]
    schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 6
    for operation in operations:
        fuzz(operation, {"Authorization": f"Bearer {hv_key}"})


def fuzz(operation: Any, headers: dict[str, str]) -> None:
    """Generated requests to one operation, valid ones and invalid ones (wrong types, missing
    fields, values out of range), each answer checked: no 5xx, a documented status, content
    type and body."""
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hypothesis_settings
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_schema_conformance]

    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None,
                             suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=checks)

        run()
