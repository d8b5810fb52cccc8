"""The data steward's forms: uploading a return, deciding a pair, splitting a person, and
the reason for a sitting.

Every message says what to do, in plain English; pages show them in a GOV.UK error summary
and beside the field (:class:`joinedup.web.govuk_forms.ErrorSummary`)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from joinedup.agencies import Agency
from joinedup.people import LinkDecision

FORMAT_CHOICES = [
    ("auto", "Work it out from the file"),
    ("csv", "Canonical CSV files (people.csv, events.csv, relationships.csv)"),
    ("xlsx", "Canonical workbook (.xlsx with sheets people, events, relationships)"),
    ("json", "Canonical JSON document"),
    ("cin-census", "Children in need census (.xml)"),
    ("ssda903", "SSDA903 looked-after children return (.csv tables)"),
    ("ssd", "Standard Safeguarding Dataset extract (a .zip of the ssd_ .csv tables)"),
    ("fhir", "FHIR R4 UK Core: a Bundle (.json) or NDJSON (.ndjson)"),
]
WHY_LIMIT = 2000


def agency_choices() -> list[tuple[str, str]]:
    return [(a.code, f"{a.name} ({a.code})") for a in Agency.objects.order_by("name")]


class UploadForm(forms.Form):
    file = forms.FileField(error_messages={
        "required": "Select the file holding the return",
        "empty": "The file you selected is empty: select the return again",
        "invalid": "Select the file holding the return",
    })
    agency = forms.ChoiceField(error_messages={
        "required": "Select the agency that sent the return",
        "invalid_choice": "Select the agency that sent the return from the list",
    })
    format = forms.ChoiceField(choices=FORMAT_CHOICES, initial="auto", error_messages={
        "required": "Select the format of the return, or let joinedup work it out",
        "invalid_choice": "Select a format from the list",
    })
    dry_run = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agency"]).choices = [
            ("", "Choose the agency"), *agency_choices()]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(LinkDecision.MUST_LINK, "They are the same person"),
                 (LinkDecision.CANNOT_LINK, "They are different people")],
        error_messages={"required": "Select whether the records are the same person",
                        "invalid_choice": "Select whether the records are the same person"})
    why = forms.CharField(max_length=WHY_LIMIT, error_messages={
        "required": "Say why: the reason is kept with the decision and reviewed",
        "max_length": f"The reason must be {WHY_LIMIT:,} characters or fewer",
    })


class SplitForm(forms.Form):
    records = forms.MultipleChoiceField(error_messages={
        "required": "Select the records that belong to someone else",
        "invalid_choice": "Select records of this person only",
    })
    why = forms.CharField(max_length=WHY_LIMIT, error_messages={
        "required": "Say why these records are someone else: the reason is kept",
        "max_length": f"The reason must be {WHY_LIMIT:,} characters or fewer",
    })

    def __init__(self, *args: Any, record_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["records"]).choices = [
            (str(pk), str(pk)) for pk in record_ids]


class SittingReasonForm(forms.Form):
    reason = forms.CharField(strip=True, max_length=WHY_LIMIT, error_messages={
        "required": "Say why you need to see people's names and other details today",
        "max_length": f"The reason must be {WHY_LIMIT:,} characters or fewer",
    })
