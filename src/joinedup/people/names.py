"""How a person record is named on a page, in a chronology or an export.

Only ``person_id`` is required of a people row (docs/data-contract.md), so a record may
have no family name (a man known to the police only as "Dean"), no given name (a baby
recorded before naming) or no name at all. Every place that shows a record's name uses
:func:`record_name`, so none shows a blank or a half name without saying so.
"""

from __future__ import annotations

from collections.abc import Iterable

NO_FAMILY_NAME = "(no family name recorded)"
UNIDENTIFIED = "Unidentified person"


def record_name(given_name: str | None, family_name: str | None,
                other_names: Iterable[str] | None = (), agency: str = "",
                source_id: str = "") -> str:
    """The name to show for one record.

    "Jade Smith"; "Dean (no family name recorded)"; "Brennan" (a family name alone, as an
    unborn baby's record has); a record with neither shows the first of its other names
    ("known as Deano"), else "Unidentified person (POLICE reference P-77)".
    """
    given, family = (given_name or "").strip(), (family_name or "").strip()
    if given and family:
        return f"{given} {family}"
    if family:
        return family
    if given:
        return f"{given} {NO_FAMILY_NAME}"
    known = [str(name).strip() for name in other_names or () if str(name).strip()]
    if known:
        return f"known as {known[0]}"
    return unidentified(agency, source_id)


def unidentified(agency: str = "", source_id: str = "") -> str:
    """"Unidentified person (HV reference HV-12)", or just "Unidentified person"."""
    if agency and source_id:
        return f"{UNIDENTIFIED} ({agency} reference {source_id})"
    return UNIDENTIFIED


def is_unidentified(given_name: str | None, family_name: str | None,
                    other_names: Iterable[str] | None, date_of_birth: object,
                    nhs_number: str | None, written: Iterable[str | None] = ()) -> bool:
    """True for a record with no name, no date of birth and no NHS number (not even as
    written, unreadable: ``written``), which links only through its relationships."""
    names = [given_name, family_name, *(other_names or ())]
    if any(str(n or "").strip() for n in names):
        return False
    if date_of_birth or (nhs_number or "").strip():
        return False
    return not any((w or "").strip() for w in written)
