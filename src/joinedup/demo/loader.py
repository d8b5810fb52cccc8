"""Loading the embedded Baby S scenario and a background population into the database."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

from joinedup.agencies.registry import register_agency
from joinedup.demo.population import load_agencies
from joinedup.ingest.loading import LoadResult, Progress, load_return

DEMO_SEED = 20240815
SCENARIO_FORMATS = ("canonical", "standard")
"""How the Baby S scenario's returns are written: all canonical, or children's social care
and health in the data standards their systems produce (SSD, FHIR)."""


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


def load_scenario(on_result: Callable[[LoadResult], None], formats: str = "canonical") -> None:
    """Load the Baby S scenario. ``formats="standard"`` loads, for the agencies of
    ``scenario_standard/``, the same facts as their systems would send them (children's
    social care as a Standard Safeguarding Dataset extract, health as FHIR bundles), each
    followed by its canonical supplement (the facts the standard cannot carry)."""
    if formats not in SCENARIO_FORMATS:
        raise ValueError(f"formats is one of {', '.join(SCENARIO_FORMATS)}, not {formats!r}")
    register_demo_agencies()
    if formats == "canonical":
        load_folder_per_agency(demo_folder() / "scenario", on_result)
        return
    standard = demo_folder() / "scenario_standard"
    for spec in load_agencies():
        for path in scenario_returns(spec.code, standard):
            on_result(load_return(path, spec.code, received_by="joinedup demo"))


def scenario_returns(agency: str, standard: Path) -> list[Path]:
    """What the standard variant loads for ``agency``: its SSD folder or FHIR bundle, then
    its supplement; the canonical return for an agency the variant does not cover."""
    own = standard / agency
    if not own.is_dir():
        canonical = demo_folder() / "scenario" / agency
        return [canonical] if canonical.is_dir() else []
    bundle = own / "bundle.json"
    supplement = own / "supplement"
    return [bundle if bundle.is_file() else own,
            *([supplement] if supplement.is_dir() else [])]
