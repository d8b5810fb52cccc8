"""Reading what a user typed into this area's forms: the fields, their errors in plain words
(for the GOV.UK error summary and each field's message) and what to show again.

The checks here are only about the form (is there a date, a number, a reason?). Whether the
action is allowed is the backend's business; its refusals (JoinedUpError) are added to the
same error summary by the views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from joinedup.access.visibility import Reader
from joinedup.information_requests.models import Reason
from joinedup.ingest.models import Agency

ACTION_ROWS = 3
"""How many agreed actions the meeting form has room for."""


@dataclass
class FormErrors:
    """Field id -> message, in the order the fields appear."""

    items: dict[str, str] = field(default_factory=dict)

    def add(self, field_id: str, message: str) -> None:
        self.items.setdefault(field_id, message)

    def message(self, field_id: str) -> dict[str, str] | None:
        """The errorMessage parameter of a GOV.UK macro, or None."""
        text = self.items.get(field_id)
        return {"text": text} if text else None

    def summary(self) -> list[dict[str, str]]:
        return [{"text": text, "href": f"#{field_id}"} for field_id, text in self.items.items()]

    def __bool__(self) -> bool:
        return bool(self.items)


def text(data: QueryDict, name: str) -> str:
    return (data.get(name) or "").strip()


def read_date(data: QueryDict, prefix: str, what: str, errors: FormErrors, *,
              required: bool = True) -> dt.date | None:
    """A date from the three boxes of a GOV.UK date input named ``prefix-day`` etc."""
    day, month, year = (text(data, f"{prefix}-{part}") for part in ("day", "month", "year"))
    if not (day or month or year):
        if required:
            errors.add(f"{prefix}-day", f"Enter {what}")
        return None
    if not (day and month and year):
        errors.add(f"{prefix}-day", f"{what[0].upper()}{what[1:]} must include a day, month "
                                    "and year")
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        errors.add(f"{prefix}-day", f"{what[0].upper()}{what[1:]} must be a real date, "
                                    "for example 3 3 2025")
        return None


def date_parts(data: QueryDict, prefix: str) -> dict[str, str]:
    return {part: text(data, f"{prefix}-{part}") for part in ("day", "month", "year")}


def parts_of(day: dt.date | None) -> dict[str, str]:
    if day is None:
        return {"day": "", "month": "", "year": ""}
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


def agency_choices() -> list[tuple[str, str]]:
    return [(a.code, f"{a.name} ({a.code})") for a in Agency.objects.order_by("name")]


def reason_choices() -> list[tuple[str, str]]:
    return [(r.value, r.label[0].upper() + r.label[1:]) for r in Reason]


# -- a professionals meeting ---------------------------------------------------------------

@dataclass
class MeetingForm:
    values: dict[str, Any]
    errors: FormErrors
    arguments: dict[str, Any]
    """Keyword arguments of ``record_meeting`` (without child_id and who)."""


def blank_meeting(agency_code: str, today: dt.date) -> dict[str, Any]:
    return {"held_on": parts_of(today), "agency": agency_code, "attending": [],
            "chaired_by": "", "decisions": "",
            "actions": [{"description": "", "owner": "", "agency": "", "due": parts_of(None)}
                        for _ in range(ACTION_ROWS)]}


def read_meeting(data: QueryDict) -> MeetingForm:
    errors = FormErrors()
    values: dict[str, Any] = {
        "held_on": date_parts(data, "held_on"), "agency": text(data, "agency"),
        "attending": [c for c in data.getlist("attending") if c.strip()],
        "chaired_by": text(data, "chaired_by"), "decisions": text(data, "decisions"),
        "actions": [],
    }
    held_on = read_date(data, "held_on", "the date the meeting was held", errors)
    if not values["agency"]:
        errors.add("agency", "Select the agency that chaired the meeting")
    others = [c for c in values["attending"] if c != values["agency"]]
    if not others:
        errors.add("attending", "Select the other agencies that attended")
    if not values["decisions"]:
        errors.add("decisions", "Enter what the meeting was for and what it decided")
    actions = []
    for number in range(1, ACTION_ROWS + 1):
        key = f"action-{number}"
        row: dict[str, Any] = {"description": text(data, f"{key}-description"),
               "owner": text(data, f"{key}-owner"), "agency": text(data, f"{key}-agency"),
               "due": date_parts(data, f"{key}-due")}
        values["actions"].append(row)
        if not (row["description"] or row["owner"] or any(row["due"].values())):
            continue
        if not row["description"]:
            errors.add(f"{key}-description", f"Enter what action {number} is")
        if not row["owner"]:
            errors.add(f"{key}-owner", f"Enter who will do action {number}")
        due = read_date(data, f"{key}-due", f"the date action {number} is due", errors)
        actions.append({"description": row["description"], "owner": row["owner"],
                        "due_on": due, "owner_agency": row["agency"] or None})
    arguments = {"agency": values["agency"], "held_on": held_on, "attending": others,
                 "decisions": values["decisions"], "chaired_by": values["chaired_by"],
                 "actions": actions}
    return MeetingForm(values, errors, arguments)


# -- an information request ----------------------------------------------------------------

@dataclass
class RequestForm:
    values: dict[str, Any]
    errors: FormErrors
    arguments: dict[str, Any]
    """Keyword arguments of ``send_request`` (without from_agency, child_id and who)."""


def blank_request(person_id: int | None) -> dict[str, Any]:
    return {"person": str(person_id or ""), "to_agency": "", "to_area": "", "reason": "",
            "question": "", "due_days": "15"}


def read_request(data: QueryDict, people: set[int]) -> RequestForm:
    """``people``: the persons the request may be about (the child and their network)."""
    errors = FormErrors()
    values = {name: text(data, name) for name in
              ("person", "to_agency", "to_area", "reason", "question", "due_days")}
    person_id = int(values["person"]) if values["person"].isdigit() else None
    if person_id is None or person_id not in people:
        errors.add("person", "Select who the request is about")
    if not values["to_agency"] and not values["to_area"]:
        errors.add("to_agency", "Select the agency you are asking, or enter the area's code")
    elif values["to_agency"] and values["to_area"]:
        errors.add("to_agency", "Select an agency or enter an area's code, not both")
    if values["reason"] not in Reason.values:
        errors.add("reason", "Select why you are asking")
    if not values["question"]:
        errors.add("question", "Enter what you are asking for")
    due_days = int(values["due_days"]) if values["due_days"].isdigit() else None
    if due_days is None:
        errors.add("due_days", "Enter the number of working days to reply, like 15")
    arguments = {"person_id": person_id, "to_agency": values["to_agency"] or None,
                 "to_area": values["to_area"] or None, "reason": values["reason"],
                 "question": values["question"], "due_working_days": due_days}
    return RequestForm(values, errors, arguments)


def person_choices(child_id: int, reader: Reader | None = None) -> list[tuple[int, str]]:
    """Whom a request for this child can be about: the child and everyone in their family
    network, each with their role ("Daniel Smith, father"), named as the visibility gate lets
    ``reader`` see them."""
    from joinedup.people.directory import summaries
    from joinedup.people.network import ROLE_LABELS, network_for

    members = [(m.person_id, ROLE_LABELS[m.role]) for m in network_for(child_id).members
               if m.person_id != child_id]
    names = summaries([child_id, *(pid for pid, _ in members)])

    def name(pid: int) -> str:
        name = names[pid].name if pid in names else f"person {pid}"
        return reader.name(pid, name) if reader is not None else name

    return [(child_id, f"{name(child_id)}, the child"),
            *((pid, f"{name(pid)}, {role}") for pid, role in members)]
