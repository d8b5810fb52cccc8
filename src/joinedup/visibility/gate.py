"""The one gate for what a reader sees of an entry on a child's record (docs/security.md).

Every surface that shows something an agency recorded (pages, the case page, PDF, Word and
CSV exports, the JSON API, the review chronology, alert evidence, information requests and
professionals meetings) asks :func:`sight` how one entry appears to one :class:`Reader`, and
asks the reader how to name a person. Opening the child's record (``policy``) decides
*whether* the reader may look at all; this gate decides *how much* of each entry they see.
Three protections meet here, checked in this order:

1. **Sealed records.** An entry about a sealed person other than the child in view (a sealed
   brother, say) is withheld from a reader who may not open that person's record, and the
   person is named only as "a sealed record".
2. **Victim support.** Refuges, domestic abuse services and programme providers for victims
   (:data:`VICTIM_SUPPORT_KINDS`) hold where a victim went, a new name and a new address.
   Their entries show in full only to the agency itself and to the child's allocated
   children's social care worker or team. An agency whose only involvement with the family
   is through the alleged perpetrator (a *perpetrator-side* reader: every entry it recorded
   about the family is about him, or names him) never sees them, not even as a headline;
   every other reader sees the headline only. A perpetrator-side reader also sees only the
   headline of any other agency's entry about a protected person (the victim and her
   children), names a protected person only as their own agency recorded them, and is not
   told which victim-support services hold a record.
3. **Adult-services sharing** (``visibility/sharing.py``): probation, prison, adult mental
   health and police intelligence in full, as a headline or not at all, per event type.

:func:`sight` and the :class:`Reader` methods are pure, so every layer can apply the gate
(the chronology applies it to each event). ``joinedup.access.readers`` makes the reader for
a user and a child, reading the database once per page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from joinedup.visibility.headlines import Held, headline
from joinedup.visibility.sharing import OWN_RECORD_BASIS, POLICY, SAFEGUARDING_BASIS, shareable

VICTIM_SUPPORT_KINDS = frozenset({"REFUGE", "PROGRAMME_PROVIDER", "DOMESTIC_ABUSE_SERVICE"})
"""Agency kinds whose records are victim support, protected by default."""

CHILDRENS_SOCIAL_CARE = "CHILDRENS_SOCIAL_CARE"

VICTIM_SUPPORT_REPLACEMENT = ("Held by a victim-support service: ask the child's allocated "
                              "social worker")
PROTECTED_REPLACEMENT = ("Not shown to you, to keep someone in the family safe: ask the "
                         "child's allocated social worker")
NAME_WITHHELD = "Name withheld for safety"
SEALED_NAME = "A sealed record"

FULL = "full"
HEADLINE = "headline"


@dataclass(frozen=True)
class Sight:
    """How one entry appears to one reader. ``shared_as`` is "full" or "headline" when the
    entry is shown outside the agency that holds it under a protection or the sharing policy,
    and empty for the reader's own agency's entries and entries shown to all partners."""

    show: bool
    full: bool
    lawful_basis: str = SAFEGUARDING_BASIS
    replacement: str = ""
    shared_as: str = ""

    def text(self, written: str) -> str:
        """What the reader sees of ``written``: itself, or the replacement."""
        if not self.show:
            return ""
        return written if self.full else self.replacement


WITHHELD = Sight(False, False)


@dataclass(frozen=True)
class Reader:
    """Who reads one child's record: their agency, and what the gate needs to know about
    them and the child's family. ``Reader()`` is a reader outside every agency with no
    allocation (a review panel member from the business unit sees that much)."""

    agency: str | None = None
    kind: str | None = None
    child_id: int | None = None
    allocated_csc: bool = False
    perpetrator_side: bool = False
    protected: frozenset[int] = frozenset()
    """Victims of domestic abuse in the family, and their children."""
    closed: frozenset[int] = frozenset()
    """Sealed persons around the child whose records this reader may not open."""
    own_names: Mapping[int, str] = field(default_factory=dict)
    """Protected persons' names as the reader's own agency recorded them."""
    victim_support_agencies: frozenset[str] = frozenset()
    """Codes of victim-support agencies (hidden from a perpetrator-side reader)."""

    def name(self, person_id: int | None, name: str) -> str:
        """The name this reader is shown for a person (``name``: the usual one)."""
        if person_id is None:
            return name
        if person_id in self.closed:
            return SEALED_NAME
        if self.perpetrator_side and person_id in self.protected:
            return self.own_names.get(person_id, NAME_WITHHELD)
        return name

    def shows_identity(self, person_id: int | None) -> bool:
        """May this reader see the person's identifiers (date of birth, agencies' record
        references, flags)?"""
        if person_id is None:
            return True
        if person_id in self.closed:
            return False
        return not (self.perpetrator_side and person_id in self.protected)

    def shows_agency(self, code: str) -> bool:
        """May this reader be told that the agency holds something about the family?"""
        return not (self.perpetrator_side and code in self.victim_support_agencies)

    def agencies(self, codes: Iterable[str]) -> list[str]:
        return [c for c in codes if self.shows_agency(c)]

    def shows_statement(self, agency: str, *persons: int | None) -> bool:
        """May this reader see that ``agency`` recorded something linking ``persons`` (a
        relationship, a disagreement between agencies about one)?"""
        return self.shows_agency(agency) and all(self.shows_identity(p) for p in persons)


def sight(reader: Reader, agency: str, agency_kind: str, event_type: str,
          persons: Iterable[int | None] = (), held: Held | None = None) -> Sight:
    """How an entry of ``event_type``, held by ``agency`` (of ``agency_kind``) and about
    ``persons`` (its subject and related person), appears to ``reader``. ``held``: what
    the agency sent with the entry that a sharing-policy headline may name (its category
    and the practitioner who holds it: ``headlines.py``); without it the headline names
    only the team to ask."""
    about = {p for p in persons if p is not None}
    if about & reader.closed:
        return WITHHELD
    if reader.agency is not None and agency == reader.agency:
        return Sight(True, True, OWN_RECORD_BASIS)
    if agency_kind in VICTIM_SUPPORT_KINDS:
        if reader.allocated_csc:
            return Sight(True, True, SAFEGUARDING_BASIS, shared_as=FULL)
        if reader.perpetrator_side:
            return WITHHELD
        return Sight(True, False, SAFEGUARDING_BASIS, VICTIM_SUPPORT_REPLACEMENT, HEADLINE)
    share = shareable(agency_kind, event_type, reader.kind)
    if not share.show:
        return WITHHELD
    if reader.perpetrator_side and about & reader.protected:
        return Sight(True, False, share.lawful_basis, PROTECTED_REPLACEMENT, HEADLINE)
    if agency_kind not in POLICY or reader.kind == agency_kind:
        return Sight(True, True, share.lawful_basis)
    if share.summary_visible:
        return Sight(True, True, share.lawful_basis, shared_as=FULL)
    policy = POLICY[agency_kind]
    words = (headline(event_type, policy.held_by, policy.ask, held) if held is not None
             else share.replacement)
    return Sight(True, False, share.lawful_basis, words, HEADLINE)
