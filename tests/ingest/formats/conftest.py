"""Fixtures for the format reader tests: where the shared public sample returns live."""

from __future__ import annotations

from pathlib import Path

import pytest


def _repo_root() -> Path:
    for folder in Path(__file__).resolve().parents:
        if (folder / "pyproject.toml").is_file():
            return folder
    raise RuntimeError("tests are not inside the joinedup repository (no pyproject.toml)")


PUBLIC_SAMPLES = _repo_root().parent / "shared" / "data" / "public-samples"


@pytest.fixture
def public_samples() -> Path:
    if not PUBLIC_SAMPLES.is_dir():
        pytest.skip(f"public sample returns not found at {PUBLIC_SAMPLES}")
    return PUBLIC_SAMPLES


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``cin_sample``: one test per CIN census sample file."""
    if "cin_sample" in metafunc.fixturenames:
        files = sorted((PUBLIC_SAMPLES / "cin-census").glob("*.xml"))
        metafunc.parametrize("cin_sample", files, ids=[f.name for f in files])
