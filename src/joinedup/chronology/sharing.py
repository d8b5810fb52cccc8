"""A chronology's events as one reader may see them, through the visibility gate.

The gate (:mod:`joinedup.visibility`, docs/security.md) says, for each event and
reader, whether it is shown in full, as a headline (type and date; the summary replaced by
where the detail is held and whom to ask, with the practitioner's contact and the event's
category where the agency sent them; no details) or not at all: sealed persons around
the child, victim-support records, and the adult-services sharing policy. This module
applies it to a chronology's event versions.

A chronology assembled without a reader (``reader=None``) is not narrowed: that is the data
steward's command line (``joinedup chronology``). Every page, export, picture, API answer and
review chronology of the application passes the signed-in user's reader
(:func:`joinedup.access.readers.reader_for`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from joinedup.chronology.versions import EventVersion
from joinedup.visibility import FULL, HEADLINE, Held, Reader, sight

FULL_SHARE = FULL
HEADLINE_SHARE = HEADLINE


@dataclass(frozen=True)
class Shown:
    """How one event version is shown to a reader: ``shared_as`` is "full" or "headline"
    when a protection or the sharing policy applies, and empty otherwise."""

    shared_as: str
    lawful_basis: str
    replacement: str = ""


def apply(versions: Iterable[EventVersion], reader: Reader, agency_kinds: Mapping[str, str],
          ) -> tuple[list[EventVersion], dict[int, Shown]]:
    """The versions the reader may see (withheld ones left out), and for each one shown
    under a protection or the sharing policy, how it is shown (keyed by the version's pk)."""
    kept: list[EventVersion] = []
    how: dict[int, Shown] = {}
    for version in versions:
        seen = sight(reader, version.agency, agency_kinds.get(version.agency, ""),
                     version.event_type, (version.subject_person, version.related_person),
                     Held(version.details, version.worker_name, version.worker_contact))
        if not seen.show:
            continue
        kept.append(version)
        if seen.shared_as:
            how[version.pk] = Shown(seen.shared_as, seen.lawful_basis, seen.replacement)
    return kept, how
