"""Django forms as GOV.UK pages show them (web/govuk_forms.py): each message in the error
summary links to the box the user has to fix, and shows under its field."""

from __future__ import annotations

import datetime as dt
import html
import re

from django import forms
from django.http import QueryDict

from joinedup.web.govuk_forms import DateField, ErrorSummary
from joinedup.web.jinja import environment


class Visit(forms.Form):
    visitor = forms.CharField(error_messages={"required": "Enter who visited"})
    visited_on = DateField("the date of the visit", not_future=True)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("visitor") == "nobody":
            raise forms.ValidationError("A visit needs a visitor")
        return data


def posted(**fields: str) -> QueryDict:
    data = QueryDict(mutable=True)
    data.update(fields)
    return data


def summary_links(errors: ErrorSummary) -> list[tuple[str, str]]:
    """The error summary as a user's browser gets it: (link, words) for each line."""
    page = environment().from_string(
        '{% from "work/_macros.html" import error_summary %}{{ error_summary(errors) }}')
    shown = page.render(errors=errors)
    return [(href, html.unescape(re.sub(r"\s+", " ", words).strip())) for href, words in
            re.findall(r'<a href="([^"]*)">(.*?)</a>', shown, re.S)]


def test_each_problem_links_to_the_box_to_fix_in_the_order_of_the_fields() -> None:
    form = Visit(posted(**{"visited_on-day": "3", "visited_on-year": "2025"}), auto_id="%s")
    errors = ErrorSummary(form)
    assert summary_links(errors) == [
        ("#visitor", "Enter who visited"),
        ("#visited_on-month", "The date of the visit must include a month"),
    ]
    assert errors.message("visited_on") == {
        "text": "The date of the visit must include a month"}
    assert errors.message("visitor") == {"text": "Enter who visited"}


def test_a_wrong_date_links_to_its_day_box_and_a_django_id_to_the_django_field() -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    form = Visit(posted(visitor="Ann", **{"visited_on-day": str(tomorrow.day),
                                         "visited_on-month": str(tomorrow.month),
                                         "visited_on-year": str(tomorrow.year)}))
    assert summary_links(ErrorSummary(form)) == [
        ("#visited_on-day", "The date of the visit must be today or in the past")]
    form = Visit(posted(**{"visited_on-day": "31", "visited_on-month": "2",
                           "visited_on-year": "2025"}))
    assert summary_links(ErrorSummary(form, anchors={"visitor": "who"})) == [
        ("#who", "Enter who visited"),
        ("#visited_on-day", "The date of the visit must be a real date, like 27 3 2025"),
    ]
    assert summary_links(ErrorSummary(Visit(posted(visitor="Ann")))) == [
        ("#visited_on-day", "Enter the date of the visit")]


def test_problems_found_outside_the_form_come_first_and_a_valid_form_shows_none() -> None:
    good = Visit(posted(visitor="Ann", **{"visited_on-day": "3", "visited_on-month": "3",
                                          "visited_on-year": "2025"}))
    errors = ErrorSummary(good)
    assert not errors and errors.summary() == []
    assert good.cleaned_data["visited_on"] == dt.date(2025, 3, 3)
    errors.add("visitor", "Ann's agency cannot record visits")
    errors.add_general("The record is closed")
    assert errors
    shown = ErrorSummary(Visit(posted(visitor="nobody")))
    shown.add("visited_on", "The backend refused the date")
    assert [line["text"] for line in shown.summary()] == [
        "A visit needs a visitor", "The backend refused the date"]
    assert shown.message("visited_on") == {"text": "The backend refused the date"}
    assert summary_links(errors) == [("#id_visitor", "Ann's agency cannot record visits")]
    assert not ErrorSummary(Visit())  # a form not yet sent has nothing wrong with it
