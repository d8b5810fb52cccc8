"""Fixtures of the alert tests: one local Spark session per module, for the tests that
run the rules on Spark (marked ``spark``)."""

from __future__ import annotations

import gc
import importlib.util
import os
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from joinedup.alerts.spark_engine import local_spark


def _missing_spark() -> str:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'joinedup[spark]')"
    java = shutil.which("java")
    if java is None:
        return "java is not on the PATH (Spark needs Java 17)"
    version = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    if version.returncode != 0:
        return f"java -version failed: {version.stderr.strip()}"
    return ""


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One local Spark session for the module (Spark takes seconds to start)."""
    reason = _missing_spark()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the Spark tests: {reason}")
        pytest.skip(reason)
    session = local_spark()
    yield session
    session.stop()
    with warnings.catch_warnings():  # collect py4j's sockets here, not in a later test
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
