"""An alert's title says the state that fired it (docs/alerts.md, "What a title says").

A rule's own title ("Moved from another area and no history requested") names the rule;
an alert's title names what was found on the child's records, built from its firing: the
rule and the clause that fired, the clause's parameters, the evidence events' types and
dates, the day it fired and its window. For example "Information requested on 3 March
2025; no reply after 15 working days" or "3 missed appointments between 1 February and 28
March 2025".

Titles are shown on every surface that lists an alert, to every reader who may see the
alert, so a title holds only event-type words, counts, dates and working-day windows:
never a person's name, an entry's summary, an agency or a value from an entry's details.
An evidence entry recorded by a victim-support service (``VICTIM_SUPPORT_KINDS``), or one
the sharing policy shows to no partner at all (adult mental health's routine treatment), is
never mentioned, not even as a date or in a count; when the sentence would need it, or no
better sentence can be made, the title is the rule's own. (Every other entry's type and
date are what its headline shows partners anyway.)
"""

from __future__ import annotations

from collections.abc import Iterable

from joinedup.alerts.catalogue import Rule
from joinedup.alerts.engine import Firing
from joinedup.alerts.snapshot import Snapshot
from joinedup.alerts.title_phrases import PHRASES, EvidenceEvent, Fired
from joinedup.chronology.models import Event
from joinedup.visibility import VICTIM_SUPPORT_KINDS, shareable

MAX_LENGTH = 200
"""An alert's title fits its column (``Alert.title``)."""


def state_title(firing: Firing, rule: Rule, events: Iterable[EvidenceEvent]) -> str:
    """The alert's title: the state that fired it, or the rule's title when no better
    sentence can be made; at most :data:`MAX_LENGTH` characters."""
    every = list(events)
    seen = tuple(sorted((e for e in every if not e.kept_back),
                        key=lambda e: (e.occurred_on, e.event_type)))
    phrase = PHRASES.get(rule.id)
    title = phrase(Fired(firing, rule, seen, len(seen) < len(every))) if phrase else None
    if not title or len(title) > MAX_LENGTH:
        return rule.title[:MAX_LENGTH]
    return title



def kept_back(agency_kind: str, event_type: str) -> bool:
    """Whether a title may not mention an entry of this agency kind and type."""
    return (agency_kind in VICTIM_SUPPORT_KINDS
            or not shareable(agency_kind, event_type, None).show)


def evidence_events(event_ids: Iterable[int]) -> dict[int, EvidenceEvent]:
    """What a title may know of these events, by event id, read 2,000 at a time (SQLite
    limits how many values one statement may carry)."""
    wanted = sorted(set(event_ids))
    found: dict[int, EvidenceEvent] = {}
    for start in range(0, len(wanted), 2_000):
        for pk, kind, day, agency, agency_kind in Event.objects.filter(
                pk__in=wanted[start:start + 2_000]).values_list(
                    "pk", "event_type", "occurred_on", "agency__code", "agency__kind"):
            found[pk] = EvidenceEvent(kind, day, agency, kept_back(agency_kind, kind))
    return found


def snapshot_evidence(snapshot: Snapshot, firings: Iterable[Firing]) -> dict[int, EvidenceEvent]:
    """What a title may know of these firings' evidence, read from the snapshot they were
    evaluated on (replay), by event id."""
    wanted = sorted({e for f in firings for e in f.evidence})
    if not wanted:
        return {}
    rows = snapshot.con.execute(
        "SELECT event_pk, event_type, occ_date, agency, agency_kind FROM event "
        "WHERE list_contains(?, event_pk)", [wanted]).fetchall()
    return {int(pk): EvidenceEvent(str(kind), day, str(agency),
                                   kept_back(str(agency_kind), str(kind)))
            for pk, kind, day, agency, agency_kind in rows}


def titles(firings: Iterable[Firing], rules: dict[str, Rule],
           events: dict[int, EvidenceEvent]) -> dict[Firing, str]:
    """Each firing's state title, from its evidence among ``events``."""
    return {f: state_title(f, rules[f.rule], [events[e] for e in f.evidence if e in events])
            for f in firings}


__all__ = ["MAX_LENGTH", "EvidenceEvent", "evidence_events", "snapshot_evidence",
           "state_title", "titles"]
