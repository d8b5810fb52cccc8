"""Fixtures for the format reader tests: where the shared public sample returns live."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import SHARED

PUBLIC_SAMPLES = SHARED / "data" / "public-samples"


@pytest.fixture
def public_samples() -> Path:
    if not PUBLIC_SAMPLES.is_dir():
        pytest.fail(f"the shared public sample returns are missing: {PUBLIC_SAMPLES}")
    return PUBLIC_SAMPLES


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``cin_sample``: one test per CIN census sample file (missing samples fail, not skip)."""
    if "cin_sample" in metafunc.fixturenames:
        files = sorted((PUBLIC_SAMPLES / "cin-census").glob("*.xml"))
        if not files:
            files = [PUBLIC_SAMPLES / "cin-census" / "no-sample-files-found.xml"]
        metafunc.parametrize("cin_sample", files, ids=[f.name for f in files])
