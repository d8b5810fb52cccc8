"""This area's forms (a professionals meeting, an information request, the alerts'
filters) as Django forms: the fields, and in their ``clean_*`` methods what is wrong in
plain words, shown in the GOV.UK error summary and under each field
(:class:`joinedup.web.govuk_forms.ErrorSummary`).

The checks here are only about the form (is there a date, a number, a reason?). Whether the
action is allowed is the backend's business; its refusals (JoinedUpError) are added to the
same error summary by the views."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.http import QueryDict

from joinedup.agencies import Agency
from joinedup.information_requests import Reason
from joinedup.people import ROLE_LABELS, network_for, summaries
from joinedup.visibility import Reader
from joinedup.web.govuk_forms import DateField, date_parts, typed_parts

ACTION_ROWS = 3
"""How many agreed actions the meeting form has room for."""


def text(data: QueryDict | Mapping[str, Any], name: str) -> str:
    return (data.get(name) or "").strip()


def work_date(what: str, *, required: bool = True) -> DateField:
    """A date input with this area's words ("... must include a day, month and year")."""
    return DateField(what, required=required, example="for example 3 3 2025",
                     name_missing_parts=False, four_digit_year=False)


class WorkForm(forms.Form):
    """A form whose fields' ids are their names, as this area's pages draw them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)

    def typed(self, name: str) -> str:
        return text(self.data, self.add_prefix(name))


def agency_choices() -> list[tuple[str, str]]:
    return [(a.code, f"{a.name} ({a.code})") for a in Agency.objects.order_by("name")]


def reason_choices() -> list[tuple[str, str]]:
    return [(r.value, r.label[0].upper() + r.label[1:]) for r in Reason]


# -- a professionals meeting ---------------------------------------------------------------

def blank_meeting(agency_code: str, today: dt.date) -> dict[str, Any]:
    return {"held_on": date_parts(today), "agency": agency_code, "attending": [],
            "chaired_by": "", "decisions": "",
            "actions": [{"description": "", "owner": "", "agency": "", "due": date_parts(None)}
                        for _ in range(ACTION_ROWS)]}


class MeetingForm(WorkForm):
    """A professionals meeting: when, who chaired, who came, what was decided, and up to
    :data:`ACTION_ROWS` agreed actions (a row left empty is no action)."""

    held_on = work_date("the date the meeting was held")
    agency = forms.CharField(required=False)
    chaired_by = forms.CharField(required=False)
    attending = forms.Field(required=False, widget=forms.SelectMultiple)
    decisions = forms.CharField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, ACTION_ROWS + 1):
            key = f"action-{number}"
            for part in ("description", "owner", "agency"):
                self.fields[f"{key}-{part}"] = forms.CharField(required=False)
            self.fields[f"{key}-due"] = work_date(f"the date action {number} is due",
                                                  required=False)

    def clean_agency(self) -> str:
        if not self.cleaned_data["agency"]:
            raise forms.ValidationError("Select the agency that chaired the meeting")
        return str(self.cleaned_data["agency"])

    def clean_attending(self) -> list[str]:
        return [c for c in self.cleaned_data["attending"] or [] if c.strip()]

    def clean_decisions(self) -> str:
        if not self.cleaned_data["decisions"]:
            raise forms.ValidationError("Enter what the meeting was for and what it decided")
        return str(self.cleaned_data["decisions"])

    def _others(self) -> list[str]:
        attending = self.cleaned_data.get("attending") or []
        return [c for c in attending if c != self.typed("agency")]

    def _used(self, number: int) -> bool:
        key = f"action-{number}"
        return bool(self.typed(f"{key}-description") or self.typed(f"{key}-owner")
                    or any(typed_parts(self.data, f"{key}-due").values()))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "attending" in data and not self._others():
            self.add_error("attending", "Select the other agencies that attended")
        for number in range(1, ACTION_ROWS + 1):
            key = f"action-{number}"
            if not self._used(number):
                continue
            if not data.get(f"{key}-description"):
                self.add_error(f"{key}-description", f"Enter what action {number} is")
            if not data.get(f"{key}-owner"):
                self.add_error(f"{key}-owner", f"Enter who will do action {number}")
            if f"{key}-due" in data and data[f"{key}-due"] is None:
                self.add_error(f"{key}-due", f"Enter the date action {number} is due")
        return data

    def values(self) -> dict[str, Any]:
        """What to show in the form again: as typed."""
        return {
            "held_on": typed_parts(self.data, "held_on"), "agency": self.typed("agency"),
            "attending": [c for c in self["attending"].data or [] if c.strip()],
            "chaired_by": self.typed("chaired_by"), "decisions": self.typed("decisions"),
            "actions": [{"description": self.typed(f"action-{n}-description"),
                         "owner": self.typed(f"action-{n}-owner"),
                         "agency": self.typed(f"action-{n}-agency"),
                         "due": typed_parts(self.data, f"action-{n}-due")}
                        for n in range(1, ACTION_ROWS + 1)],
        }

    def arguments(self) -> dict[str, Any]:
        """Keyword arguments of ``record_meeting`` (without child_id and who), once valid."""
        data = self.cleaned_data
        actions = [{"description": data[f"action-{n}-description"],
                    "owner": data[f"action-{n}-owner"], "due_on": data[f"action-{n}-due"],
                    "owner_agency": data[f"action-{n}-agency"] or None}
                   for n in range(1, ACTION_ROWS + 1) if self._used(n)]
        return {"agency": data["agency"], "held_on": data["held_on"],
                "attending": self._others(), "decisions": data["decisions"],
                "chaired_by": data["chaired_by"], "actions": actions}


def blank_plan(alert_ids: list[int]) -> dict[str, Any]:
    return {"on": date_parts(None), "invited": [], "purpose": "",
            "alerts": [str(a) for a in alert_ids]}


class PlanForm(WorkForm):
    """A professionals meeting to come: when, whom to invite, what it is for, and which of
    the child's open alerts it is to look at."""

    on = work_date("the date of the meeting")
    invited = forms.Field(required=False, widget=forms.SelectMultiple)
    purpose = forms.CharField(required=False)
    alerts = forms.Field(required=False, widget=forms.SelectMultiple)

    def __init__(self, *args: Any, invitable: set[str], alert_ids: set[int],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitable, self.alert_ids = invitable, alert_ids

    def clean_invited(self) -> list[str]:
        chosen = [c for c in self.cleaned_data["invited"] or [] if c in self.invitable]
        if not chosen:
            raise forms.ValidationError("Select the agencies to invite")
        return chosen

    def clean_purpose(self) -> str:
        if not self.cleaned_data["purpose"]:
            raise forms.ValidationError("Enter what the meeting is for")
        return str(self.cleaned_data["purpose"])

    def clean_alerts(self) -> list[int]:
        return [int(a) for a in self.cleaned_data["alerts"] or []
                if a.isdigit() and int(a) in self.alert_ids]

    def values(self) -> dict[str, Any]:
        return {"on": typed_parts(self.data, "on"), "purpose": self.typed("purpose"),
                "invited": [c for c in self["invited"].data or [] if c.strip()],
                "alerts": [a for a in self["alerts"].data or [] if a.strip()]}


class CancelForm(WorkForm):
    """Why a planned meeting is called off."""

    cancel_reason = forms.CharField(required=False)

    def clean_cancel_reason(self) -> str:
        if not self.cleaned_data["cancel_reason"]:
            raise forms.ValidationError("Enter why the meeting is called off")
        return str(self.cleaned_data["cancel_reason"])


class ActionDoneForm(WorkForm):
    """Marking one of a meeting's agreed actions done."""

    action = forms.CharField(required=False)
    action_id = forms.CharField(required=False)

    def __init__(self, *args: Any, actions: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actions = actions

    def clean_action_id(self) -> int:
        raw = self.cleaned_data["action_id"]
        if self.typed("action") != "done" or not raw.isdigit() or int(raw) not in self.actions:
            raise forms.ValidationError("Choose an action of this meeting to mark done")
        return int(raw)


# -- an information request (the form to send one: information_request_form) -----------

class ReplyForm(WorkForm):
    """The reply to an information request, as received."""

    response = forms.CharField(required=False)
    received_on = work_date("the date the reply was received")

    def clean_response(self) -> str:
        if not self.cleaned_data["response"]:
            raise forms.ValidationError("Enter what the reply said")
        return str(self.cleaned_data["response"])


class WithdrawForm(WorkForm):
    """Why a request is no longer needed."""

    why = forms.CharField(required=False)

    def clean_why(self) -> str:
        if not self.cleaned_data["why"]:
            raise forms.ValidationError("Enter why the request is no longer needed")
        return str(self.cleaned_data["why"])


# -- an alert --------------------------------------------------------------------------------

class AcknowledgeForm(WorkForm):
    note = forms.CharField(required=False)


class DismissForm(WorkForm):
    dismiss_reason = forms.CharField(required=False)

    def clean_dismiss_reason(self) -> str:
        if not self.cleaned_data["dismiss_reason"]:
            raise forms.ValidationError("Enter why no action is needed")
        return str(self.cleaned_data["dismiss_reason"])


class ReopenForm(WorkForm):
    reopen_reason = forms.CharField(required=False)

    def clean_reopen_reason(self) -> str:
        if not self.cleaned_data["reopen_reason"]:
            raise forms.ValidationError("Enter why the alert needs looking at again")
        return str(self.cleaned_data["reopen_reason"])


class AlertFilterForm(WorkForm):
    """The alerts list's filters that can be wrong: the child's number and the dates."""

    child = forms.CharField(required=False)
    fired_from = work_date("the first date", required=False)
    fired_to = work_date("the last date", required=False)

    def clean_child(self) -> int | None:
        typed = self.cleaned_data["child"]
        if not typed:
            return None
        number = typed.removeprefix("person").strip()
        if not number.isdigit():
            raise forms.ValidationError("Enter the child's person number, like 6")
        return int(number)

    dates: tuple[dt.date | None, dt.date | None] = (None, None)
    """The dates as read, kept even when the last is before the first (nothing is listed
    then)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("fired_from"), data.get("fired_to")
        self.dates = (first, last)
        if first and last and last < first:
            self.add_error("fired_to", "The last date must be the same as or after the first "
                                       "date")
        return data


def person_choices(child_id: int, reader: Reader | None = None) -> list[tuple[int, str]]:
    """Whom a request for this child can be about: the child and everyone in their family
    network, each with their role ("Daniel Smith, father"), named as the visibility gate lets
    ``reader`` see them."""

    members = [(m.person_id, ROLE_LABELS[m.role]) for m in network_for(child_id).members
               if m.person_id != child_id]
    names = summaries([child_id, *(pid for pid, _ in members)])

    def name(pid: int) -> str:
        name = names[pid].name if pid in names else f"person {pid}"
        return reader.name(pid, name) if reader is not None else name

    return [(child_id, f"{name(child_id)}, the child"),
            *((pid, f"{name(pid)}, {role}") for pid, role in members)]
