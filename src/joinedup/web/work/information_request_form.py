"""The form to send an information request: whom it is about, who is asked (an agency
registered here, an area in England picked by name, or the code of an area outside
England), why, what, and in how many working days the reply is due."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.agencies import AREAS, is_area_code, is_english_area
from joinedup.information_requests import Reason
from joinedup.web.work.forms import WorkForm


def area_choices() -> list[tuple[str, str]]:
    """England's children's services authorities by name, the value each one's code."""
    return [(a.code, a.name) for a in AREAS]


def blank_request(person_id: int | None) -> dict[str, Any]:
    return {"person": str(person_id or ""), "to_agency": "", "to_area": "", "other_area": "",
            "reason": "", "question": "", "due_days": "15"}


class RequestForm(WorkForm):
    """An information request about the child or someone in their network (``people``)."""

    person = forms.CharField(required=False)
    to_agency = forms.CharField(required=False)
    to_area = forms.CharField(required=False)  # an area in England, picked by name
    other_area = forms.CharField(required=False)  # the code of an area outside England
    reason = forms.CharField(required=False)
    question = forms.CharField(required=False)
    due_days = forms.CharField(required=False)

    def __init__(self, *args: Any, people: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people

    def clean_person(self) -> int:
        raw = self.cleaned_data["person"]
        if not raw.isdigit() or int(raw) not in self.people:
            raise forms.ValidationError("Select who the request is about")
        return int(raw)

    def clean_to_area(self) -> str:
        code = str(self.cleaned_data["to_area"]).strip().upper()
        if code and not is_english_area(code):
            raise forms.ValidationError("Select the area from the list")
        return code

    def clean_other_area(self) -> str:
        code = str(self.cleaned_data["other_area"]).strip().upper()
        if code and not is_area_code(code):
            raise forms.ValidationError("Enter the area's code as a letter and eight digits, "
                                        "like W06000015 for Cardiff")
        if code.startswith("E") and not is_english_area(code):
            raise forms.ValidationError(f"{code} is not a council with children's services "
                                        "in England: choose the area in the list above")
        return code

    def clean_reason(self) -> str:
        if self.cleaned_data["reason"] not in Reason.values:
            raise forms.ValidationError("Select why you are asking")
        return str(self.cleaned_data["reason"])

    def clean_question(self) -> str:
        if not self.cleaned_data["question"]:
            raise forms.ValidationError("Enter what you are asking for")
        return str(self.cleaned_data["question"])

    def clean_due_days(self) -> int:
        raw = self.cleaned_data["due_days"]
        if not raw.isdigit():
            raise forms.ValidationError("Enter the number of working days to reply, like 15")
        return int(raw)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agency, area, other = (self.typed(n) for n in ("to_agency", "to_area", "other_area"))
        if not (agency or area or other):
            self.add_error("to_agency", "Select the agency you are asking, or the area whose "
                                        "children's services you are asking")
        elif agency and (area or other):
            self.add_error("to_agency", "Select an agency or an area, not both")
        elif area and other:
            self.add_error("other_area", "Select an area in England or enter the code of an "
                                         "area outside England, not both")
        return data

    def values(self) -> dict[str, str]:
        return {name: self.typed(name) for name in self.fields}

    def arguments(self) -> dict[str, Any]:
        """Keyword arguments of ``send_request`` (without from_agency, child_id and who)."""
        data = self.cleaned_data
        return {"person_id": data["person"], "to_agency": data["to_agency"] or None,
                "to_area": data["to_area"] or data["other_area"] or None,
                "reason": data["reason"],
                "question": data["question"], "due_working_days": data["due_days"]}
