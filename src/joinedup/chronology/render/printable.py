"""What a printed chronology says, shared by the PDF and the Word document so both read the
same: the marking, the header facts, the network table, the five columns of each entry
and the gaps. Dates are written in words ("3 March 2025").

Names are shown: a chronology is an internal working document for the people working with
the family and for a review panel, not a publication (published briefings are de-identified
elsewhere). The protective marking says so on every copy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from joinedup.chronology.assembly import Chronology, Entry
from joinedup.chronology.dates import long_date

MARKING = "OFFICIAL-SENSITIVE"
TITLE = "Multi-agency chronology"
COLUMNS = ("Date", "Agency", "Event", "Source", "Significance")
NETWORK_COLUMNS = ("Person", "Name", "Role", "Agencies holding a record")


@dataclass(frozen=True)
class Row:
    """One entry as five printable cells; ``event`` is a heading line and detail lines."""

    date: str
    agency: str
    event_heading: str
    event_lines: tuple[str, ...]
    source: str
    significance: str


def header_facts(c: Chronology, today: dt.date) -> list[tuple[str, str]]:
    """(label, value) lines under the title."""
    facts = [
        ("Child reference", f"person {c.child_id}"),
        ("Child", c.child_name),
        ("Events that had happened by", long_date(c.as_of) if c.as_of
         else "every event recorded (no as-of date)"),
        ("As known by", long_date(c.known_by) + " (what had been recorded by then)"
         if c.known_by else "today (the current version of each event)"),
    ]
    if c.filters.period_from or c.filters.period_to:
        facts.append(("Period", f"{long_date(c.filters.period_from) or 'the start'} to "
                                f"{long_date(c.filters.period_to) or 'the end'}"))
    chosen = [("Agencies", ", ".join(c.filters.agencies)),
              ("Persons", ", ".join(str(p) for p in c.filters.persons)),
              ("Event types", ", ".join(c.filters.types))]
    facts += [(label, value) for label, value in chosen if value]
    if c.viewer is not None:
        reader = f"a reader at {c.viewer.agency}" if c.viewer.agency else "a reader"
        facts.append(("Adult-services information", f"shown to {reader} under the "
                      "partnership's sharing policy: the minimum necessary"))
    facts += [("Entries", f"{len(c.entries):,}"), ("Produced on", long_date(today))]
    return facts


def network_rows(c: Chronology) -> list[tuple[str, str, str, str]]:
    return [(f"person {p.person_id}", p.name, "; ".join(p.roles), ", ".join(p.agencies))
            for p in c.network]


def row(entry: Entry) -> Row:
    when = long_date(entry.occurred_on)
    if entry.occurred_time:
        when += f", {entry.occurred_time.strftime('%H:%M')}"
    whose = f"{entry.role_label}: {entry.person_name}" if entry.person_name \
        else entry.role_label
    lines = tuple(line for line in (whose, entry.summary, shared_line(entry)) if line)
    source = entry.source_id + (f" (version {entry.version})" if entry.version > 1 else "")
    source += (f"; recorded by {entry.worker_role}" if entry.worker_role else "; recorded")
    source += f" on {long_date(entry.recorded_on)}"
    if entry.recording_delay > 0:
        days = "working day" if entry.recording_delay == 1 else "working days"
        source += f", {entry.recording_delay} {days} later"
    return Row(when, entry.agency, entry.event_label, lines, source,
               "Concern" if entry.significance == "concern" else "")


def shared_line(entry: Entry) -> str:
    """For adult-services information shown outside the agency holding it: how much is shown
    and the lawful basis of the share (docs/access.md); empty otherwise."""
    if not entry.shared_as:
        return ""
    how = ("Shown as a headline only (the detail stays with the agency)"
           if entry.shared_as == "headline" else "Shared by the agency")
    return f"{how}. Lawful basis: {entry.lawful_basis}."


def agency_legend(c: Chronology) -> list[tuple[str, str]]:
    used = sorted({e.agency for e in c.entries} | {g.agency for g in c.gaps if g.agency})
    return [(code, c.agency_names.get(code, "")) for code in used]
