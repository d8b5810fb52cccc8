"""Warnings for a people row that says little about who the person is.

Only ``person_id`` is required (docs/data-contract.md, "Thin records"): a row without a
family or given name loads with a warning, and a row with no name, date of birth or NHS
number (not even one written unreadably) loads as an unidentified record, which linkage
never pairs on nothing: it joins other records only through its relationships.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from joinedup.people.names import is_unidentified

if TYPE_CHECKING:
    from joinedup.ingest.clean_rows import CleanPerson

Warning = tuple[str, str, str]
"""(column, message, fix)"""


def thin_record_warnings(person: CleanPerson, holds_names: bool = True) -> list[Warning]:
    """What to warn of for one clean people row: nothing for a row with both names, nor
    of a missing name in a format that holds no names (``holds_names``: the CIN census,
    SSDA903 give a date of birth and the agency's id only)."""
    if is_unidentified(person.given_name, person.family_name, person.other_names,
                       person.date_of_birth, person.nhs_number,
                       (person.date_of_birth_text, person.nhs_number_text)):
        return [("family_name", "the person has no name, date of birth or NHS number: the row "
                 "loads as an unidentified record, linked to other records only through its "
                 "relationships", "Send any name, date of birth or NHS number the agency "
                 "holds, so that linkage can find the person's other records.")]
    found = []
    if not holds_names:
        return []
    if not person.family_name:
        found.append(("family_name", "the family name is missing", "Send the family name if "
                      "the agency knows it; the row loads, and pages show the person with "
                      "'(no family name recorded)'."))
    if not person.given_name:
        found.append(("given_name", "the given name is missing", "Send the given name if the "
                      "agency knows it (leave it empty for a baby not yet named); the row "
                      "loads."))
    return found
