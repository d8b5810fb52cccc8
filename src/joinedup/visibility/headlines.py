"""What a headline says: an adult-services entry shared with partners as its type and date.

The sharing policy (``sharing.py``) shows some entries of probation, prison, adult mental
health and the police to a child's other workers as a headline only: the summary stays with
the agency. A bare "ask the probation officer" leaves the social worker to find out who that
is, and tells them nothing of what kind of thing happened. So where the agency sent them,
the headline also says:

- **the category**, from a closed list only, never free text (which can hold a victim's
  name): the offence group of an arrest, a conviction or a custody (``offence_group`` in
  the event's details, after the Home Office's groups of recorded crime), and the MAPPA
  level and category of a MAPPA decision (``level`` and ``category``). A value outside the
  list is kept with the entry and left out of the headline;
- **who holds the record**: the practitioner's name and contact as the agency sent them
  with the event (``worker_name`` and ``worker_contact``), before the team to ask.

So "Arrest: violence against the person. Held by the police: ask Sam Patel (0161 496 0311),
or the police public protection unit." The headlines that protect someone (a
victim-support service's entry, or an entry about a protected person read by the
perpetrator's side) never carry either: they send the reader to the allocated social worker,
and a refuge worker's name or a local team's number could tell where someone lives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from joinedup.vocabulary import event_label

OFFENCE_GROUP = "offence_group"
OFFENCE_GROUPS: dict[str, str] = {
    "violence": "violence against the person",
    "sexual": "sexual offence",
    "robbery": "robbery",
    "theft": "theft",
    "criminal_damage": "criminal damage or arson",
    "drugs": "drug offence",
    "weapons": "possession of weapons",
    "public_order": "public order offence",
    "fraud": "fraud",
    "other": "other offence against society",
}
"""The offence groups a headline may name (the codes an agency sends, and their words)."""

MAPPA_CATEGORIES = {1: "registered sexual offender", 2: "violent offender",
                    3: "other dangerous offender"}
MAPPA_LEVELS = (1, 2, 3)

OFFENCE_EVENTS = frozenset({"ARREST", "CONVICTION", "CUSTODY_START"})
"""Event types whose headline may name the offence group."""


@dataclass(frozen=True)
class Held:
    """What the holding agency sent with one entry that its headline may draw on."""

    details: Mapping[str, Any] = field(default_factory=dict)
    worker_name: str = ""
    worker_contact: str = ""

    @classmethod
    def of(cls, details: Any, extra: Any = None) -> Held:
        """From an entry's details and its extra columns (the worker fields arrive in
        either, depending on the format)."""
        found = details if isinstance(details, Mapping) else {}
        more = extra if isinstance(extra, Mapping) else {}
        return cls(found, _text(found.get("worker_name") or more.get("worker_name")),
                   _text(found.get("worker_contact") or more.get("worker_contact")))


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _whole(value: Any) -> int | None:
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def category(event_type: str, details: Mapping[str, Any]) -> str:
    """The entry's type and category in words from the closed lists ("Arrest: violence
    against the person", "MAPPA level 2, category 1 (registered sexual offender)"), or ''
    when the agency sent no category on the lists (module docstring)."""
    if event_type in OFFENCE_EVENTS:
        code = _text(details.get(OFFENCE_GROUP)).lower().replace(" ", "_").replace("-", "_")
        group = OFFENCE_GROUPS.get(code)
        return f"{event_label(event_type)}: {group}" if group else ""
    if event_type == "MAPPA_LEVEL":
        level, kind = _whole(details.get("level")), _whole(details.get("category"))
        words = [f"level {level}"] if level in MAPPA_LEVELS else []
        if kind in MAPPA_CATEGORIES:
            words.append(f"category {kind} ({MAPPA_CATEGORIES[kind]})")
        return f"MAPPA {', '.join(words)}" if words else ""
    return ""


def headline(event_type: str, held_by: str, ask: str, held: Held) -> str:
    """The headline's words for an entry held by ``held_by`` whose team to ask is ``ask``."""
    what = category(event_type, held.details)
    opening = f"{what}. " if what else ""
    name, contact = held.worker_name, held.worker_contact
    if name and contact:
        who = f"{name} ({contact}), or {ask}"
    elif name:
        who = f"{name}, or {ask}"
    elif contact:
        who = f"{ask} ({contact})"
    else:
        who = ask
    return f"{opening}Held by {held_by}: ask {who}"
