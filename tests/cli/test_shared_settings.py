"""Commands run with the settings every process shares (config/django_settings.py), not the
web application's: outside the tests, nothing names DJANGO_SETTINGS_MODULE, and pytest's own
setting must not hide what a data steward's command really loads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def _run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", "JOINEDUP_DATABASE_URL")}
    env["JOINEDUP_DATA_DIR"] = str(data)
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.slow
def test_a_command_loads_the_shared_settings_and_works_with_them(tmp_path: Path) -> None:
    loaded = _run(tmp_path, "-c", "import joinedup.cli\nfrom django.conf import settings\n"
                                  "print(settings.SETTINGS_MODULE)\n"
                                  "print('csp' in settings.INSTALLED_APPS)")
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.split() == ["joinedup.config.django_settings", "False"]
    assert _run(tmp_path, "-m", "joinedup", "init").returncode == 0
    added = _run(tmp_path, "-m", "joinedup", "agency", "add", "HV", "--name",
                 "Health Visiting", "--kind", "HEALTH_VISITING", "--area", "E08000007")
    assert added.returncode == 0, added.stderr
    listed = _run(tmp_path, "-m", "joinedup", "agency", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert [a["code"] for a in json.loads(listed.stdout)] == ["HV"]
