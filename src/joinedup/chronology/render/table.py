"""The chronology on a terminal (Rich): who is who first, then the entries, then the gaps.

The network comes first because an entry reads differently once you know that "the father"
is known to probation and the police; the gaps come last, as what the entries leave out.
Dates are DD/MM/YYYY on screen, the UK convention.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from joinedup.chronology.assembly import Chronology
from joinedup.chronology.dates import short_date


def print_table(chronology: Chronology, console: Console) -> None:
    c = chronology
    known = (f"as known by {short_date(c.known_by)}" if c.known_by
             else "current versions")
    happened = f"events up to {short_date(c.as_of)}" if c.as_of else "all events"
    console.print(Text(f"Chronology of person {c.child_id}, {c.child_name} "
                       f"({happened}, {known})", style="bold"))

    people = Table(title="Who is who", title_justify="left")
    for column in ("person", "name", "role", "agencies holding a record",
                   "relationship recorded by"):
        people.add_column(column, overflow="fold")
    for p in c.network:
        people.add_row(str(p.person_id), p.name, "; ".join(p.roles), ", ".join(p.agencies),
                       ", ".join(p.stated_by))
    console.print(people)
    for conflict in c.conflicts:
        console.print(Text("Agencies disagree: " + conflict, style="yellow"))

    entries = Table(title=f"{len(c.entries):,} entries", title_justify="left")
    for column in ("date", "agency", "event", "whose", "summary", "source", "recorded",
                   "significance"):
        entries.add_column(column, overflow="fold")
    for e in c.entries:
        when = short_date(e.occurred_on) + (
            f" {e.occurred_time.strftime('%H:%M')}" if e.occurred_time else "")
        version = f" v{e.version}" if e.version > 1 else ""
        recorded = short_date(e.recorded_on) + (
            f" (+{e.recording_delay} wd)" if e.recording_delay else "")
        whose = f"{e.role_label}: {e.person_name}" if e.person_name else e.role_label
        entries.add_row(when, e.agency, e.event_label, whose, e.summary,
                        e.source_id + version, recorded,
                        Text(e.significance, style="bold red") if e.significance else "")
    console.print(entries)
    if c.entries:
        console.print("wd: working days between the event and its recording.")

    console.print(Text("Gaps", style="bold"))
    if not c.gaps:
        console.print("No gaps found.")
    for gap in c.gaps:
        console.print(f"- {gap.text}")
