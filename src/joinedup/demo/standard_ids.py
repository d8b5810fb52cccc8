"""The ids the Baby S scenario's standard variant gives its records (``scenario_standard/``).

The SSD and FHIR readers name records their own way: a FHIR event is ``Encounter/<id>``, a
RelatedPerson ``RelatedPerson/<id>``, an SSD event ``<table>/<row id>/<kind>`` (and one SSD
row may give two events: a section 47 enquiry's row gives its strategy discussion too).
``scenario_standard/ids.csv`` says, for every record whose id differs, which canonical
record it is (``agency, record, canonical_id, standard_id``; ``record`` is ``event`` or
``person``). The cast, the demo review and the equivalence test read it to find the same
record whichever variant was loaded.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from joinedup.chronology.models import Event
from joinedup.people.models import PersonRecord

IDS_FILE = "scenario_standard/ids.csv"


@cache
def standard_ids() -> dict[tuple[str, str, str], str]:
    """(agency, record, canonical id) -> the id the standard variant gives that record."""
    text = resources.files("joinedup.demo").joinpath(IDS_FILE).read_text(encoding="utf-8")
    return {(row["agency"], row["record"], row["canonical_id"]): row["standard_id"]
            for row in csv.DictReader(text.splitlines())}


@cache
def canonical_ids() -> dict[tuple[str, str, str], str]:
    """(agency, record, standard id) -> the canonical id of the same record."""
    return {(agency, record, standard): canonical
            for (agency, record, canonical), standard in standard_ids().items()}


def loaded_event(ref: str) -> str:
    """``AGENCY:EVENT_ID`` of the scenario as loaded: the canonical reference when that event
    is in the database, else its standard variant's (the reference itself when neither is)."""
    agency, _, source_id = ref.partition(":")
    other = standard_ids().get((agency, "event", source_id))
    if other is None or Event.objects.filter(agency__code=agency, source_id=source_id).exists():
        return ref
    return f"{agency}:{other}"


def loaded_person(agency: str, source_id: str) -> str:
    """The person record's id as loaded (canonical, else the standard variant's)."""
    other = standard_ids().get((agency, "person", source_id))
    if other is None or PersonRecord.objects.filter(agency__code=agency,
                                                    source_id=source_id).exists():
        return source_id
    return other
