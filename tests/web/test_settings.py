"""The web application's settings fail closed outside development, whichever way it is
started; /health tells anyone only "ok" or "unhealthy"; every web setting is documented.

The start-up tests run a real WSGI server's own check (gunicorn --check-config loads the
documented entry point, joinedup.web.wsgi:application, as any WSGI server would) in a fresh
process with only the environment given."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
LONG_KEY = "k" * 20 + "-a-test-key-long-enough-to-use"


def run(tmp_path: Path, args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Run Python in a fresh process with nothing of joinedup's set but ``env``."""
    clean = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "JOINEDUP_DATA_DIR":
             str(tmp_path / "var"), **env}
    return subprocess.run([sys.executable, *args], env=clean, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False)


def start_server(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return run(tmp_path, ["-m", "gunicorn", "--check-config",
                          "joinedup.web.wsgi:application"], **env)


def test_the_wsgi_entry_point_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    started = start_server(tmp_path)
    assert started.returncode != 0
    assert "ConfigurationError: JOINEDUP_SECRET_KEY is not set" in started.stderr
    assert "Set JOINEDUP_SECRET_KEY in the web application's environment" in started.stderr


def test_the_wsgi_entry_point_refuses_a_short_secret_key(tmp_path: Path) -> None:
    started = start_server(tmp_path, JOINEDUP_SECRET_KEY="password123")
    assert started.returncode != 0
    assert "JOINEDUP_SECRET_KEY is too short (11 characters)" in started.stderr


def test_the_wsgi_entry_point_starts_with_a_secret_key_or_in_development(
        tmp_path: Path) -> None:
    assert start_server(tmp_path, JOINEDUP_SECRET_KEY=LONG_KEY).returncode == 0
    assert start_server(tmp_path, JOINEDUP_DEVELOPMENT="1").returncode == 0


def test_debug_pages_are_refused_outside_development(tmp_path: Path) -> None:
    started = start_server(tmp_path, JOINEDUP_SECRET_KEY=LONG_KEY, JOINEDUP_DEBUG="1")
    assert started.returncode != 0
    assert "ConfigurationError: JOINEDUP_DEBUG is set outside development" in started.stderr
    assert "Remove JOINEDUP_DEBUG from the environment" in started.stderr
    # `joinedup serve` refuses before starting anything; commands that serve no pages run
    # with the shared settings only (config/django_settings.py), which have no debug pages
    command = run(tmp_path, ["-m", "joinedup", "serve", "--port", "1"], JOINEDUP_DEBUG="1")
    assert command.returncode == 1
    assert "JOINEDUP_DEBUG is set outside development" in command.stdout + command.stderr
    assert run(tmp_path, ["-m", "joinedup", "init"], JOINEDUP_DEBUG="1").returncode == 0
    assert start_server(tmp_path, JOINEDUP_DEVELOPMENT="1", JOINEDUP_DEBUG="1"
                        ).returncode == 0


def test_commands_that_serve_no_pages_run_without_a_secret_key(tmp_path: Path) -> None:
    command = run(tmp_path, ["-m", "joinedup", "init"])
    assert command.returncode == 0, command.stdout + command.stderr


def test_without_a_key_nothing_can_be_signed_whatever_loads_the_settings(
        tmp_path: Path) -> None:
    """Someone's own WSGI file, skipping joinedup's: a session cannot be made."""
    script = ("import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'joinedup.web.settings'\n"
              "import django; django.setup()\n"
              "from django.core import signing\n"
              "signing.dumps('a session')\n")
    signed = run(tmp_path, ["-c", script])
    assert signed.returncode != 0
    assert "The SECRET_KEY setting must not be empty" in signed.stderr


@pytest.mark.django_db
def test_health_says_ok_and_nothing_more() -> None:
    response = Client().get("/health")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}


def test_health_says_unhealthy_and_the_reason_goes_only_to_the_log(tmp_path: Path) -> None:
    """A PostgreSQL server that does not answer (nothing listens on port 1)."""
    script = ("import joinedup.web.wsgi\n"
              "from django.test import Client\n"
              "response = Client().get('/health')\n"
              "print(response.status_code, response.content.decode())\n")
    answered = run(tmp_path, ["-c", script], JOINEDUP_SECRET_KEY=LONG_KEY,
                   JOINEDUP_ALLOWED_HOSTS="testserver",
                   JOINEDUP_DATABASE_URL="postgresql://joinedup:pw-9f3a@127.0.0.1:1/joinedup")
    assert answered.returncode == 0, answered.stderr
    status, body = answered.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {"status": "unhealthy"}
    assert "Health check: the database did not answer" in answered.stderr
    assert "port 1 failed" in answered.stderr  # the detail, for the operator
    assert "127.0.0.1" not in body


def documented_settings() -> str:
    return (ROOT / "docs" / "web.md").read_text() + (ROOT / "docs" / "operations.md").read_text()


def web_settings_read() -> set[str]:
    names: set[str] = set()
    for module in ("settings.py", "oidc.py"):
        text = (ROOT / "src" / "joinedup" / "web" / module).read_text()
        names |= set(re.findall(r'"(JOINEDUP_[A-Z_]+[A-Z])"', text))
        names |= {f"JOINEDUP_OIDC_{n}" for n in re.findall(r'_env\("([A-Z_]+)"', text)}
    return names


@pytest.mark.parametrize("name", sorted(web_settings_read()))
def test_every_web_setting_is_documented(name: str) -> None:
    docs = documented_settings()
    # single sign-on's endpoints are written `..._TOKEN_ENDPOINT` after the first
    assert name in docs or (name.startswith("JOINEDUP_OIDC_")
                            and f"..{name.removeprefix('JOINEDUP_OIDC')}" in docs), name
