"""Choosing the child an information request or a professionals meeting is about, as a
practitioner would: by name (or NHS number, or an agency's reference) and, to tell
namesakes apart, date of birth. Only the children the user may open are searched, exactly
as the children search does (``case/children.py``): a child the user has no reason to see
is neither listed nor hinted at."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from joinedup.access import readers_for
from joinedup.people import PersonRecord, summaries
from joinedup.web.case.case_page import gated_summaries
from joinedup.web.case.children import searched_children
from joinedup.web.govuk_forms import ErrorSummary, typed_parts
from joinedup.web.work.forms import WorkForm, work_date
from joinedup.web.work.pages import page

SHOWN = 20
"""Children listed at most; more means the name is too common: add the date of birth."""


class FinderForm(WorkForm):
    name = forms.CharField(required=False, max_length=100)
    born = work_date("the child's date of birth", required=False)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter the child's name, NHS number or an agency's "
                                        "reference")
        return name


def choose_child(request: HttpRequest, title: str, action_url: str) -> HttpResponse:
    """The page asking which child: a name and a date of birth, then the children found,
    each a link to the form (``?child=N``)."""
    asked = "name" in request.GET
    form = FinderForm(request.GET if asked else None)
    errors = ErrorSummary(form)
    if "child" in request.GET:
        errors.add("name", "Find the child by their name and choose them from the list")
    found: list[dict[str, Any]] = []
    total = 0
    if asked and form.is_valid():
        persons = searched_children(request.user, form.cleaned_data["name"],
                                    timezone.localdate())
        born = form.cleaned_data["born"]
        if born is not None:
            persons = persons.filter(id__in=PersonRecord.objects.filter(
                date_of_birth=born).values("person_id"))
        total = persons.count()
        ids = [int(i) for i in persons.order_by("id").values_list("id", flat=True)[:SHOWN]]
        readers = readers_for(request.user, ids)
        plain = summaries(ids)
        found = [{"summary": gated_summaries(readers[i], {i: plain[i]})[i],
                  "href": f"{reverse(action_url)}?child={i}"} for i in ids if i in plain]
    return page(request, "work/choose_child.html", {
        "title": title, "action_url": action_url, "errors": errors, "asked": asked,
        "name": request.GET.get("name", ""), "born": typed_parts(request.GET, "born"),
        "found": found, "total": total, "shown": SHOWN,
    }, status=400 if errors and asked else 200)
