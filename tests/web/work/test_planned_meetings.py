"""Planning a professionals meeting (issue 16, part 5): a future date, invitations only to
agencies involved, an agenda of the child's open alerts and each agency's entries behind
them; the invitees see it on My work, each through the visibility gate; held, it actions
its alerts; called off, it puts them back in the open queue."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.utils import timezone

from joinedup.alerts.models import Alert, AlertStatus
from joinedup.chronology.models import Event
from joinedup.information_requests.models import ProfessionalsMeeting

pytestmark = pytest.mark.django_db

PURPOSE = "Share what each agency knows about the release and agree a plan"


def _day(offset: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=offset)


def _form(on: dt.date, invited: list[str], **more: Any) -> dict[str, Any]:
    return {"on-day": str(on.day), "on-month": str(on.month), "on-year": str(on.year),
            "invited": invited, "purpose": PURPOSE, **more}


def _plan(client: Any, child: int, invited: list[str], **more: Any) -> Any:
    return client.post(f"/meetings/plan/?child={child}", _form(_day(7), invited, **more))


def _unanswered(child: int) -> list[int]:
    return list(Alert.objects.filter(child_id=child, status__in=["open", "acknowledged"])
                .order_by("id").values_list("id", flat=True))


def test_the_social_worker_plans_a_meeting_and_the_invited_see_it(
        web_case: dict[str, Any], signed_in: Any) -> None:
    child = web_case["child"]
    worker = signed_in("social.worker")
    form = worker.get(f"/meetings/plan/?child={child}").content.decode()
    assert "Women&#39;s Refuge (REFUGE)" in form  # involved with the family: invitable
    assert "(SCHOOL)" not in form  # no relationship with the child: not offered
    alerts = _unanswered(child)
    assert alerts and all(f'value="{a}" checked' in form for a in alerts)

    answer = _plan(worker, child, ["HV", "PROBATION", "REFUGE"],
                   alerts=[str(a) for a in alerts])
    assert answer.status_code == 302, answer.content.decode()[:2000]
    meeting = ProfessionalsMeeting.objects.get(child_id=child, status="planned")
    assert answer.url == f"/meetings/{meeting.pk}/"
    assert meeting.held_on == _day(7) and meeting.agency.code == "CSC"
    assert sorted(a.code for a in meeting.invited.all()) == ["HV", "PROBATION", "REFUGE"]
    assert meeting.agenda["alerts"] == alerts and meeting.agenda["events"]
    # planning acknowledges the alerts: they leave the open queue, linked to the meeting
    assert set(Alert.objects.filter(pk__in=alerts).values_list("status", flat=True)) == {
        AlertStatus.ACKNOWLEDGED}
    assert not Event.objects.filter(event_type="PROFESSIONALS_MEETING",
                                    details__meeting_id=meeting.pk).exists()

    for user in ("health.visitor", "probation.officer"):
        work = signed_in(user).get("/work/").content.decode()
        assert "1 professionals meeting planned that your agency is invited to" in work
        assert f'href="/meetings/{meeting.pk}/"' in work

    visitor = html.unescape(
        signed_in("health.visitor").get(f"/meetings/{meeting.pk}/").content.decode())
    assert PURPOSE in visitor and "Women's Refuge" in visitor
    # the agenda: each alert, and each agency's entries behind them
    for alert in Alert.objects.filter(pk__in=alerts):
        assert f'href="/alerts/{alert.pk}/">{alert.title}</a>' in visitor
    ours = Event.objects.filter(pk__in=meeting.agenda["events"], agency__code="HV")
    assert ours and all(e.summary in visitor for e in ours)


def test_a_perpetrator_side_invitee_learns_nothing_of_the_refuge(
        web_case: dict[str, Any], signed_in: Any) -> None:
    child = web_case["child"]
    assert _plan(signed_in("social.worker"), child, ["HV", "PROBATION", "REFUGE"]
                 ).status_code == 302
    meeting = ProfessionalsMeeting.objects.get(child_id=child, status="planned")
    refuge_entries = Event.objects.filter(pk__in=meeting.agenda["events"],
                                          agency__code__in=["REFUGE", "FREEDOM"])
    probation = signed_in("probation.officer")
    for address in (f"/meetings/{meeting.pk}/", "/work/", "/meetings/",
                    f"/children/{child}/"):
        text = probation.get(address).content.decode()
        assert "Refuge" not in text and "REFUGE" not in text, address
        assert "Freedom Programme" not in text, address
        for entry in refuge_entries:
            assert entry.summary[:40] not in text, address
    page = probation.get(f"/meetings/{meeting.pk}/").content.decode()
    assert PURPOSE in page  # an invitee reads what the meeting is for
    assert re.search(r"Invited\s*</dt>\s*<dd[^>]*>\s*Health Visiting \(0-19 service\), "
                     r"Probation Service\s*</dd>", page)


def test_only_agencies_involved_may_be_invited_and_only_to_a_date_to_come(
        web_case: dict[str, Any], signed_in: Any) -> None:
    child = web_case["child"]
    worker = signed_in("social.worker")
    refused = _plan(worker, child, ["SCHOOL"])
    assert refused.status_code == 400
    assert "Select the agencies to invite" in refused.content.decode()

    past = worker.post(f"/meetings/plan/?child={child}", _form(_day(-1), ["HV"]))
    assert past.status_code == 400
    assert "must be today or later" in past.content.decode()
    assert not ProfessionalsMeeting.objects.filter(status="planned").exists()


def test_holding_the_meeting_actions_its_alerts_and_calling_it_off_reopens_them(
        web_case: dict[str, Any], signed_in: Any) -> None:
    child = web_case["child"]
    worker = signed_in("social.worker")
    alerts = _unanswered(child)[:2]
    assert _plan(worker, child, ["HV"], alerts=[str(a) for a in alerts]).status_code == 302
    first = ProfessionalsMeeting.objects.get(child_id=child, status="planned")
    called_off = worker.post(f"/meetings/{first.pk}/", {"action": "cancel",
                                                         "cancel_reason": "Police unable"})
    assert called_off.status_code == 302
    first.refresh_from_db()
    assert first.status == "cancelled" and first.cancelled_reason == "Police unable"
    for alert in Alert.objects.filter(pk__in=alerts):
        assert alert.status == AlertStatus.OPEN and alert.meeting_id is None
        assert alert.changes.filter(kind="meeting cancelled").exists()

    assert _plan(worker, child, ["HV"], alerts=[str(a) for a in alerts]).status_code == 302
    second = ProfessionalsMeeting.objects.get(child_id=child, status="planned")
    today = timezone.localdate()
    form = worker.get(f"/meetings/new/?child={child}&planned={second.pk}").content.decode()
    assert 'value="HV" checked' in form
    held = worker.post(f"/meetings/new/?child={child}&planned={second.pk}", {
        "held_on-day": today.day, "held_on-month": today.month, "held_on-year": today.year,
        "agency": "CSC", "attending": ["HV"], "decisions": "Step up to a child in need plan"})
    assert held.status_code == 302 and held.url == f"/meetings/{second.pk}/"
    second.refresh_from_db()
    assert second.status == "held" and second.event_id is not None
    assert set(Alert.objects.filter(pk__in=alerts).values_list("status", flat=True)) == {
        AlertStatus.ACTIONED}
