"""The review and briefing forms as Django forms, each message in plain English.

The fields here take a ``label`` and word their messages from it ("Enter the date it was
done", "Select the agency from the list"); a form page draws its fields with the GOV.UK
macros and shows the messages through :class:`joinedup.web.govuk_forms.ErrorSummary`.
Dates are GOV.UK date inputs: three boxes named ``NAME-day``, ``NAME-month``, ``NAME-year``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms

from joinedup.errors import JoinedUpError
from joinedup.reviews import Decision, Review, Theme, findings, workflow
from joinedup.web.govuk_forms import DateField, date_parts

__all__ = ["ActionDoneForm", "ActionForm", "ActivityForm", "BriefingForm", "CloseForm",
           "DecisionForm", "FindingForm", "StepForm", "SummaryForm", "date_values"]


def _capital(label: str) -> str:
    return f"{label[0].upper()}{label[1:]}" if label else label


class Text(forms.CharField):
    """Text, required unless said otherwise: "Enter {label}"."""

    def __init__(self, label: str, *, required: bool = True, max_length: int | None = None
                 ) -> None:
        super().__init__(required=False)
        self.what, self.needed, self.longest = label, required, max_length

    def clean(self, value: Any) -> str:
        text = (value or "").strip()
        if self.needed and not text:
            raise forms.ValidationError(f"Enter {self.what}", code="required")
        if self.longest and len(text) > self.longest:
            raise forms.ValidationError(f"{_capital(self.what)} must be {self.longest} "
                                        "characters or fewer", code="max_length")
        return text


class Choice(forms.CharField):
    """One of ``choices``: "Select {label}" or "Select {label} from the list"."""

    def __init__(self, label: str, choices: Iterable[str] = (), *, required: bool = True
                 ) -> None:
        super().__init__(required=False)
        self.what, self.needed, self.allowed = label, required, set(choices)

    def clean(self, value: Any) -> str:
        text = (value or "").strip()
        if not text:
            if self.needed:
                raise forms.ValidationError(f"Select {self.what}", code="required")
            return ""
        if text not in self.allowed:
            raise forms.ValidationError(f"Select {self.what} from the list",  # noqa: S608
                                        code="invalid_choice")
        return text


class WholeNumber(forms.CharField):
    """A whole number of at least ``minimum``."""

    def __init__(self, label: str, *, minimum: int = 1) -> None:
        super().__init__(required=False)
        self.what, self.minimum = label, minimum

    def clean(self, value: Any) -> int:
        raw = (value or "").strip()
        if not raw:
            raise forms.ValidationError(f"Enter {self.what}", code="required")
        try:
            number = int(raw)
        except ValueError:
            raise forms.ValidationError(f"{_capital(self.what)} must be a whole number, like 8",
                                        code="invalid") from None
        if number < self.minimum:
            raise forms.ValidationError(f"{_capital(self.what)} must be {self.minimum} or "
                                        "more", code="min_value")
        return number


def _past(label: str) -> DateField:
    return DateField(label, not_future=True)


class ReviewingForm(forms.Form):
    """A form whose fields' ids are their names, as these pages draw them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)


# -- a review ------------------------------------------------------------------------------

class SummaryForm(ReviewingForm):
    """An agency's summary received."""

    def __init__(self, *args: Any, agencies: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"] = Choice("whose summary it is", agencies)
        self.fields["received_on"] = _past("the date it was received")
        self.fields["summary"] = Text("the summary as the agency sent it")


class StepForm(ReviewingForm):
    """A step of the review's timetable done."""

    def __init__(self, *args: Any, kinds: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"] = Choice("the step that was done", kinds)
        self.fields["done_on"] = _past("the date it was done")
        self.fields["note"] = Text("a note", required=False)


class DecisionForm(ReviewingForm):
    """The partners' decision, with the criteria met and the reasons."""

    decision = Choice("the partners' decision", Decision.values)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for letter in workflow.CRITERIA:
            self.fields[f"criterion-{letter}"] = Text("", required=False)
        self.fields["reasons"] = Text("the reasons for the decision")
        self.fields["decided_on"] = _past("the date of the decision")

    def criteria(self) -> dict[str, str]:
        return {letter: self.cleaned_data.get(f"criterion-{letter}", "")
                for letter in workflow.CRITERIA}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == Decision.LOCAL_CSPR and not any(self.criteria().values()):
            self.add_error("criterion-a", "A local review needs at least one criterion met: "
                                          "say why it is met")
        return data


class CloseForm(ReviewingForm):
    """The review closed."""

    reason = Text("the reason the review is being closed")
    closed_on = _past("the date it was closed")


class FindingForm(ReviewingForm):
    """A finding, its themes and the evidence (chronology references) behind it."""

    title = Text("a short title", max_length=200)
    narrative = Text("the finding")
    remember = forms.CharField(required=False, widget=forms.Textarea)
    themes = forms.Field(required=False, widget=forms.SelectMultiple)
    evidence = forms.CharField(required=False, strip=False, widget=forms.Textarea)

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.review = review

    def clean_themes(self) -> list[str]:
        themes = [t for t in self.cleaned_data["themes"] or [] if t]
        known = set(Theme.objects.values_list("code", flat=True))
        if any(t not in known for t in themes):
            raise forms.ValidationError("Select themes from the list")
        return themes

    def clean_evidence(self) -> list[str]:
        refs = [line.strip() for line in (self.cleaned_data["evidence"] or "").splitlines()
                if line.strip()]
        try:
            findings.find_evidence(self.review, refs)
        except JoinedUpError as exc:
            raise forms.ValidationError(str(exc)) from None
        return refs


class ActionForm(ReviewingForm):
    """An action the review asks of someone."""

    def __init__(self, *args: Any, agencies: Iterable[str], numbers: Iterable[str],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"] = Text("what is to be done")
        self.fields["owner"] = Text("the person or team responsible", max_length=200)
        self.fields["owner_agency"] = Choice("the owner's agency", agencies, required=False)
        self.fields["finding"] = Choice("the finding it answers", numbers, required=False)
        self.fields["due_on"] = DateField("the date it is due")


class ActionDoneForm(ReviewingForm):
    done_on = _past("the date it was done")


# -- a briefing ----------------------------------------------------------------------------

class ActivityForm(ReviewingForm):
    """A team's use of a published briefing."""

    def __init__(self, *args: Any, agencies: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"] = Choice("the agency", agencies)
        self.fields["team"] = Text("the team that used it", max_length=200)
        self.fields["held_on"] = _past("the date it was used")
        self.fields["attendees"] = WholeNumber("how many people took part")
        self.fields["facilitator"] = Text("who led the session", max_length=200)
        self.fields["reflections"] = Text("", required=False)
        self.fields["changes"] = Text("", required=False)


class BriefingForm(ReviewingForm):
    """A draft briefing's title, each part's heading and text, and the questions."""

    title = Text("a title", max_length=200)

    def __init__(self, *args: Any, numbers: Iterable[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.numbers = list(numbers)
        for number in self.numbers:
            self.fields[f"part-{number}-label"] = Text(f"a heading for part {number}",
                                                       max_length=200)
            self.fields[f"part-{number}-text"] = Text("", required=False)
        self.fields["questions"] = forms.CharField(required=False, strip=False,
                                                   widget=forms.Textarea)

    def clean_questions(self) -> list[str]:
        return [q.strip() for q in (self.cleaned_data["questions"] or "").splitlines()
                if q.strip()]


def date_values(data: Any, name: str, default: dt.date | None = None) -> dict[str, Any]:
    """What to show in a date input's boxes: as typed, or the default date."""
    if data is not None and any(data.get(f"{name}-{p}") for p in ("day", "month", "year")):
        return {p: data.get(f"{name}-{p}", "") for p in ("day", "month", "year")}
    return date_parts(default)
