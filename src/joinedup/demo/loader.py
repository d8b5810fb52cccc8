"""Loading the embedded Baby S scenario and a background population into the database."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

from joinedup.agencies.registry import register_agency
from joinedup.demo.population import load_agencies
from joinedup.ingest.loading import LoadResult, Progress, load_return

DEMO_SEED = 20240815


def demo_folder() -> Path:
    return Path(str(resources.files("joinedup.demo")))


def register_demo_agencies() -> int:
    created = 0
    for spec in load_agencies():
        created += register_agency(spec.code, spec.name, spec.kind, spec.area_code)[1]
    return created


def load_folder_per_agency(root: Path, on_result: Callable[[LoadResult], None],
                           progress: Progress | None = None) -> None:
    """Load ``root/<AGENCY_CODE>/`` for every demo agency that has a folder there."""
    for spec in load_agencies():
        folder = root / spec.code
        if folder.is_dir():
            on_result(load_return(folder, spec.code, received_by="joinedup demo",
                                  progress=progress))


def load_scenario(on_result: Callable[[LoadResult], None]) -> None:
    register_demo_agencies()
    load_folder_per_agency(demo_folder() / "scenario", on_result)
