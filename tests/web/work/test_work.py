"""My work: the landing page. Open alerts on my children first, other children's after,
overdue actions my agency owes; nothing about a child its reader may not open."""

from __future__ import annotations

import re
from typing import Any

import pytest

from joinedup.access.models import AuditEntry
from joinedup.alerts.models import Alert, AlertStatus

pytestmark = pytest.mark.django_db


def open_on_baby(web_case: dict[str, Any]) -> int:
    return Alert.objects.filter(child_id=web_case["child"], status=AlertStatus.OPEN).count()


def test_each_role_lands_where_its_work_is(web_case: Any, signed_in: Any) -> None:
    landings = {"social.worker": "/work/", "health.visitor": "/work/",
                "safeguarding.lead": "/work/", "team.manager": "/work/",
                "business.unit": "/reviews/", "panel.member": "/reviews/",
                "data.steward": "/data/", "auditor": "/audit/", "administrator": "/audit/"}
    for user, where in landings.items():
        landed = signed_in(user).get("/")
        assert landed.status_code == 302 and landed.url == where, user
        assert signed_in(user).get(where).status_code == 200, user


def test_the_front_page_asks_a_stranger_to_sign_in(client: Any, db: None) -> None:
    assert client.get("/").url == "/sign-in/"


def test_the_social_worker_sees_baby_s_alerts_first(web_case: Any, signed_in: Any) -> None:
    page = signed_in("social.worker").get("/work/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f"{open_on_baby(web_case)} open alerts on children allocated to you or your team" \
        in text
    assert "Sienna Ashworth" in text
    assert text.index("allocated to you or your team") < text.index("other children you")
    newest = Alert.objects.filter(child_id=web_case["child"], status=AlertStatus.OPEN
                                  ).order_by("-fired_on", "-id")[0]
    assert f'href="/alerts/{newest.id}/">{newest.title}</a>' in text
    assert AuditEntry.objects.filter(actor="social.worker", action="view_page",
                                     object_id="/work/").exists()


TIERS = ("Urgent", "High", "Routine")


def test_my_work_shows_baby_s_once_with_the_most_urgent_tier_and_one_step(
        web_case: Any, signed_in: Any) -> None:
    text = signed_in("social.worker").get("/work/").content.decode()
    mine = text.split('id="allocated-alerts"')[1].split('id="other-alerts"')[0]
    on_baby = Alert.objects.filter(child_id=web_case["child"], status=AlertStatus.OPEN)
    rows = [r for r in mine.split("<tr") if f"(person {web_case['child']})" in r]
    assert len(rows) == 1  # one row, whatever the number of alerts
    most_urgent = next(t for t in TIERS if on_baby.filter(priority=t.lower()).exists())
    assert re.findall(r'govuk-tag--\w+">(Urgent|High|Routine)</strong>', rows[0]) == [
        most_urgent]
    assert f"{on_baby.count()} open alerts<span" in rows[0]
    urgent = list(on_baby.filter(priority="urgent"))
    if len(urgent) == 1:
        assert f'href="/alerts/{urgent[0].id}/">{urgent[0].recommended_action}' in rows[0]
    else:
        assert (f'href="/meetings/plan/?child={web_case["child"]}">One professionals meeting '
                f"covering all {on_baby.count()} alerts</a>") in rows[0]
    for tier in ("urgent", "high", "routine"):
        assert f"{on_baby.filter(priority=tier).count()} {tier}</strong>" in mine


def test_the_team_allocation_counts_for_the_health_visitor(web_case: Any, signed_in: Any
                                                          ) -> None:
    text = signed_in("health.visitor").get("/work/").content.decode()
    assert f"{open_on_baby(web_case)} open alerts on children allocated to you or your team" \
        in text


def test_the_probation_officer_sees_baby_s_among_other_children(web_case: Any, signed_in: Any
                                                               ) -> None:
    text = signed_in("probation.officer").get("/work/").content.decode()
    assert "0 open alerts on children allocated to you or your team" in text
    assert f'href="/alerts/?status=open&amp;child={web_case["child"]}"' in text
    assert f"{open_on_baby(web_case)} open alerts<span" in text


def test_the_school_teacher_sees_nothing_of_the_family(web_case: Any, signed_in: Any) -> None:
    text = signed_in("school.teacher").get("/work/").content.decode()
    assert "0 open alerts on children allocated to you or your team" in text
    assert "0 open alerts on 0 other children you may see" in text
    assert "Sienna" not in text and "Ashworth" not in text and "Kerrigan" not in text


def test_overdue_review_actions_owed_by_my_agency(web_case: Any, signed_in: Any) -> None:
    text = signed_in("social.worker").get("/work/").content.decode()
    assert "Children&#39;s social care front door" in text  # owner of a CSC review action
    assert "Overdue" in text and "working days late" in text
    assert "Heads of service, all agencies" not in text  # owned by no agency in particular
    police = signed_in("police.officer").get("/work/").content.decode()
    assert "Children&#39;s social care front door" not in police


def test_the_lead_finds_break_glass_to_review_on_my_work(web_case: Any, signed_in: Any) -> None:
    lead = signed_in("safeguarding.lead")
    before = lead.get("/work/").content.decode()
    assert "0 break-glass accesses waiting for a safeguarding lead" in before
    signed_in("school.teacher").post(f"/children/{web_case['child']}/break-glass/",
                                     {"reason": "A disclosure at school", "minutes": "60"})
    text = lead.get("/work/").content.decode()
    assert "1 break-glass access waiting for a safeguarding lead" in text
    assert "school.teacher broke the glass on " in text
    assert 'href="/audit/break-glass/">Review 1 break-glass access</a>' in text
    assert "break-glass access" not in signed_in("social.worker").get("/work/").content.decode()
