"""Who reads a chronology, and how much of each agency's information they are shown.

The adult-services sharing policy (:mod:`joinedup.access.sharing`, docs/access.md) says, per
agency kind and event type, whether an event of probation, prison, adult mental health or
police intelligence appears on a child's chronology to someone outside that agency in full,
as a headline (type and date; the summary replaced by where the detail is held and whom to
ask; no details) or not at all. This module applies it to a chronology's events for one
:class:`Viewer`.

A chronology assembled without a viewer (``viewer=None``) is not narrowed: that is the data
steward's command line (``joinedup chronology``) and the review chronology, which are read
by people entitled to the whole record. Every page, export and picture of the web
application passes the signed-in user's viewer.

Pure apart from :func:`viewer_of`, which reads the user's agency.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from joinedup.access.sharing import HEADLINE, POLICY, shareable
from joinedup.chronology.versions import EventVersion

FULL_SHARE = "full"
HEADLINE_SHARE = HEADLINE


@dataclass(frozen=True)
class Viewer:
    """Who reads the chronology: their agency's code and kind (both None for a user
    without an agency, who is treated as outside every agency)."""

    agency: str | None = None
    kind: str | None = None


def viewer_of(user: Any) -> Viewer:
    """The viewer a signed-in user is: the agency of their membership, if any."""
    from joinedup.access.models import Membership

    row = (Membership.objects.filter(user=user)
           .values_list("agency__code", "agency__kind").first())
    return Viewer(*row) if row else Viewer()


@dataclass(frozen=True)
class Shown:
    """How one event version is shown to a viewer: ``shared_as`` is "full" or "headline"
    for adult-services information shown outside the holding agency, and empty otherwise
    (the viewer's own agency's events, and every other agency kind's)."""

    shared_as: str
    lawful_basis: str
    replacement: str = ""


def apply(versions: Iterable[EventVersion], viewer: Viewer, agency_kinds: Mapping[str, str],
          ) -> tuple[list[EventVersion], dict[int, Shown]]:
    """The versions the viewer may see (withheld ones left out), and for each adult-services
    event shown outside its agency, how it is shown (keyed by the version's pk)."""
    kept: list[EventVersion] = []
    how: dict[int, Shown] = {}
    for version in versions:
        kind = agency_kinds.get(version.agency, "")
        own = viewer.agency is not None and viewer.agency == version.agency
        if kind not in POLICY or own:
            kept.append(version)
            continue
        answer = shareable(kind, version.event_type, viewer.kind)
        if not answer.show:
            continue
        kept.append(version)
        if viewer.kind == kind:  # an agency of the same kind reads it as its own
            continue
        how[version.pk] = Shown(FULL_SHARE if answer.summary_visible else HEADLINE_SHARE,
                                answer.lawful_basis, answer.replacement)
    return kept, how
