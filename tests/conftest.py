"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import SHARED, write_return


@pytest.fixture
def make_return(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(1, 10_000))

    def make(**tables: list[dict[str, Any]]) -> Path:
        return write_return(tmp_path / f"return-{next(counter)}", **tables)

    return make


@pytest.fixture
def agency(db: None) -> Any:
    from joinedup.ingest.agencies import register_agency

    return register_agency("HV", "Health Visiting", "HEALTH_VISITING", "E08000007")[0]


@pytest.fixture
def shared_samples() -> Path:
    folder = SHARED / "data" / "public-samples"
    if not folder.is_dir():
        pytest.fail(f"the shared sample files are missing: {folder}")
    return folder
