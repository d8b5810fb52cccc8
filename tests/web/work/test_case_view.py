"""One case view per child: the alerts list shows a child once (the most urgent alert, how
many, the newest, one suggested next step), children of one household together, and a
child's own list still shows every alert."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from joinedup.access.models import Allocation
from joinedup.access.policy import visible_children
from joinedup.alerts.models import Alert, AlertRun
from joinedup.people.directory import children_only
from joinedup.people.models import Person
from joinedup.people.models.records import RelationshipRecord

pytestmark = pytest.mark.django_db

RULE = "CASE_VIEW_TEST"
"""A rule of these tests' own, so the list can be filtered to their alerts."""


def add_alert(child_id: int, day: str, priority: str, title: str) -> Alert:
    run = AlertRun.objects.first()
    fired = dt.date.fromisoformat(day)
    return Alert.objects.create(
        rule=RULE, child_id=child_id, key=f"{title}-{day}", fired_on=fired,
        window_start=fired, window_end=fired, title=title, explanation="A test firing.",
        recommended_action=f"Do what {title} asks", source="Test", priority=priority,
        first_run=run, last_run=run)


def visible_to(username: str) -> set[int]:
    """The children (persons under 18 today) the user may see."""
    user = get_user_model().objects.get(username=username)
    seen = Person.objects.filter(id__in=visible_children(user), retired_at__isnull=True)
    return set(children_only(seen, dt.date.today()).values_list("id", flat=True))


def siblings_and_another(username: str, baby: int) -> tuple[int, int, int]:
    """Two children of one mother and a child of another family, all visible to the user."""
    seen = visible_to(username) - {baby}
    by_mother: dict[int, set[int]] = defaultdict(set)
    for mother, child in RelationshipRecord.objects.filter(
            relationship="MOTHER_OF", is_current=True, valid_to__isnull=True,
            person__person__isnull=False, related_person__person_id__in=seen).values_list(
                "person__person_id", "related_person__person_id"):
        by_mother[mother].add(child)
    pairs = [sorted(children) for children in by_mother.values() if len(children) >= 2]
    assert pairs, "the background population has visible siblings"
    first, second = pairs[0][:2]
    family = set().union(*(c for c in by_mother.values() if {first, second} & c))
    other = next(child for children in by_mother.values() for child in sorted(children)
                 if not children & family)
    return first, second, other


def results(page: Any) -> str:
    assert page.status_code == 200
    return page.content.decode().split('id="results"')[1]


def row_of(text: str, child_id: int) -> str:
    rows = [r for r in text.split("<tr") if f"(person {child_id})" in r]
    assert len(rows) == 1, f"person {child_id} is shown once"
    return rows[0]


def test_a_child_with_three_open_alerts_appears_once_with_the_urgent_step(
        web_case: Any, signed_in: Any) -> None:
    child, _, _ = siblings_and_another("health.visitor", web_case["child"])
    urgent = add_alert(child, "2001-01-02", "urgent", "Test injury")
    add_alert(child, "2001-01-03", "high", "Test missed visits")
    newest = add_alert(child, "2001-01-09", "routine", "Test late history")
    text = results(signed_in("health.visitor").get(f"/alerts/?rule={RULE}"))
    row = row_of(text, child)
    assert "3 open alerts<span" in row
    assert 'govuk-tag--red">Urgent</strong>' in row and "High</strong>" not in row
    assert f'<a class="govuk-link" href="/alerts/{urgent.id}/">Do what Test injury asks</a>' \
        in row  # the single urgent alert's recommended action is the step
    assert f'href="/alerts/{newest.id}/">Test late history</a>' in row
    assert "9 January 2001" in row and "waiting since 2 January 2001" in row
    assert "1 urgent</strong>" in text and "1 routine</strong>" in text  # alerts by tier
    assert "Children by their most urgent alert: 1 urgent" in text


def test_a_child_s_own_list_shows_every_alert(web_case: Any, signed_in: Any) -> None:
    child, _, _ = siblings_and_another("health.visitor", web_case["child"])
    made = [add_alert(child, f"2001-02-0{day}", "high", f"Test alert {day}")
            for day in (1, 2, 3)]
    client = signed_in("health.visitor")
    row = row_of(results(client.get(f"/alerts/?rule={RULE}")), child)
    href = re.search(r'href="(/alerts/\?[^"]*child=\d+[^"]*)"', row)
    assert href and f"child={child}" in href[1]
    one = results(client.get(href[1].replace("&amp;", "&")))
    assert "3 alerts" in one
    for alert in made:
        assert one.count(f'href="/alerts/{alert.id}/"') == 1  # one row each


def test_siblings_appear_together_under_one_household(web_case: Any, signed_in: Any) -> None:
    first, second, other = siblings_and_another("health.visitor", web_case["child"])
    add_alert(first, "2000-01-01", "high", "Test first")
    add_alert(first, "2000-01-04", "routine", "Test first again")
    add_alert(other, "2000-01-02", "high", "Test other")
    add_alert(second, "2000-01-03", "high", "Test second")
    text = results(signed_in("health.visitor").get(f"/alerts/?rule={RULE}"))
    assert "4 alerts on 3 children" in text
    order = [int(n) for n in re.findall(r"\(person (\d+)\)", text)]
    assert order == [first, second, other]  # the sibling pulled up to the first
    household = text.split("One household: 2 children")[1].split("</tbody>")[0]
    assert f"(person {first})" in household and f"(person {second})" in household
    assert f"(person {other})" not in household
    # two alerts and no urgent one: one professionals meeting covering both
    assert (f'href="/meetings/plan/?child={first}">One professionals meeting covering all '
            "2 alerts</a>") in row_of(text, first)


def test_a_sibling_the_reader_may_not_see_is_never_in_the_household(
        web_case: Any, signed_in: Any) -> None:
    first, second, _ = siblings_and_another("health.visitor", web_case["child"])
    add_alert(first, "2000-01-01", "high", "Test first")
    add_alert(second, "2000-01-03", "high", "Test second")
    teacher = get_user_model().objects.get(username="school.teacher")
    Allocation.objects.create(child_id=first, user=teacher, valid_from=dt.date(2000, 1, 1),
                              allocated_by="test")
    assert first in visible_to("school.teacher") and second not in visible_to("school.teacher")
    text = results(signed_in("school.teacher").get(f"/alerts/?rule={RULE}"))
    assert "1 alert on 1 child" in text and f"(person {first})" in text
    assert f"(person {second})" not in text and "Test second" not in text
    assert "One household" not in text
