"""Every address, as every demo role, about a child that role may not see; and every surface
around Baby S, as every role, for the texts each role has no right to read.

The addresses come from Django's resolver, so a new page is walked without anyone listing
it here. The child nobody may see is a background child whose record is sealed: no demo
user is allocated to it or sits on a panel about it, and sealing shuts out agency
involvement and break-glass (the safeguarding lead has not broken the glass).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from joinedup.access.models import AuditEntry
from joinedup.demo.users import DEMO_USERS

ROLES = [user.username for user in DEMO_USERS]


def _patterns(resolvers: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


ID_ROUTES = sorted({route for route, pattern in _patterns(get_resolver().url_patterns)
                    if pattern.pattern.converters and not route.startswith("api/")})
"""Every page address that takes a value (the API's are walked below)."""

API_ROUTES = sorted({route for route, pattern in _patterns(get_resolver().url_patterns)
                     if route.startswith("api/") and "<" in route})
"""Every API address that takes a value."""


def test_the_walk_finds_the_pages_it_must() -> None:
    for route in ("children/<id:child_id>/", "alerts/<id:alert_id>/",
                  "requests/<id:request_id>/", "meetings/<id:meeting_id>/",
                  "reviews/<id:review_id>/chronology/", "data/people/<id:person_id>/split/"):
        assert route in ID_ROUTES


@pytest.fixture
def walled_off(web_case: dict[str, Any], db: None) -> dict[str, Any]:
    """A sealed background child with an alert, an information request, a meeting and a
    review: the ids every role tries."""
    from joinedup.access.protection import family_of
    from joinedup.access.sealing import seal
    from joinedup.alerts.models import Alert
    from joinedup.information_requests.meetings import record_meeting
    from joinedup.information_requests.requests import send_request
    from joinedup.people.directory import summaries
    from joinedup.reviews.models import Review

    baby_s = family_of(web_case["child"])  # Baby S's family, the unborn record included
    alert = Alert.objects.exclude(child_id__in=baby_s).order_by("id").first()
    assert alert is not None
    child = alert.child_id
    seal(child, "Adopted: the record is sealed", by="test")
    request = send_request(from_agency="HV", person_id=child, child_id=child, reason="OTHER",
                           question="Walled-off question text", who="test", to_agency="CSC")
    meeting = record_meeting(child_id=child, agency="CSC", held_on=dt.date(2025, 1, 6),
                             attending=["HV"], decisions="Walled-off decision text",
                             who="test", actions=[{"description": "Walled-off action text",
                                                   "owner": "a worker",
                                                   "owner_agency": "HV",
                                                   "due_on": "2025-02-01"}])
    review = Review.objects.create(child_id=child, pseudonym="Child W",
                                   incident_on=dt.date(2025, 1, 2),
                                   aware_on=dt.date(2025, 1, 3),
                                   what_happened="Walled-off incident", opened_by="test")
    name = summaries([child])[child].name
    return {"child_id": child, "person_id": child, "alert_id": alert.pk,
            "request_id": request.pk, "meeting_id": meeting.pk, "review_id": review.pk,
            "briefing_id": 999_999_999, "submission_id": 999_999_999, "action_id": 1,
            "fmt": "csv", "a": "HV:none", "b": "HV:none", "name": name}


OPEN_WITHOUT_THE_RECORD = {"children/<id:child_id>/break-glass/"}
"""Pages about a child's id that show nothing of the record: the break-glass form (it asks
for a reason, and answers alike whether the child exists, is sealed or is an adult). The
review and briefing pages are pseudonymised and read by their roles; the data steward's and
auditor's pages are their own roles' work."""


def _address(route: str, ids: dict[str, Any]) -> str:
    path = route
    for key, value in ids.items():
        for part in (f"<id:{key}>", f"<int:{key}>", f"<str:{key}>", f"<{key}>"):
            path = path.replace(part, str(value))
    assert "<" not in path, f"no test value for a part of {route}"
    return "/" + path


def _secrets(ids: dict[str, Any]) -> list[str]:
    return [ids["name"], "Walled-off question text", "Walled-off decision text",
            "Walled-off action text"]


@pytest.mark.parametrize("role", ROLES)
def test_no_role_sees_a_child_it_may_not_through_any_address(
        walled_off: dict[str, Any], signed_in: Any, role: str) -> None:
    client = signed_in(role)
    for route in ID_ROUTES:
        address = _address(route, walled_off)
        before = AuditEntry.objects.count()
        response = client.get(address)
        body = response.content.decode(errors="replace")
        for secret in _secrets(walled_off):
            assert secret not in body, f"{role} read {secret!r} at {address}"
        if response.status_code in (403, 404):
            refusals = AuditEntry.objects.filter(pk__gt=before, action="access_refused")
            assert refusals.exists(), f"{role} at {address}: refused but not audited"
        else:  # allowed: only what is not the child's record
            assert response.status_code in (200, 302), (role, address, response.status_code)
            assert route in OPEN_WITHOUT_THE_RECORD or route.startswith(
                ("reviews/", "briefings/", "data/", "audit/")), \
                f"{role} opened {address} ({response.status_code})"


PLAIN_ROUTES = sorted({route for route, pattern in _patterns(get_resolver().url_patterns)
                       if not pattern.pattern.converters and not route.startswith("api/")
                       and route != "sign-out/"})
"""Every page address without a value in its path: pages about one child take it as
``?child=<person number>`` (the lists, and the forms to plan or record a meeting or send a
request), so each is walked with the child nobody may see. (Signing out is left out: it
would end the walk's session.)"""


@pytest.mark.parametrize("role", ROLES)
def test_no_role_sees_a_child_it_may_not_through_a_child_parameter(
        walled_off: dict[str, Any], signed_in: Any, role: str) -> None:
    client = signed_in(role)
    assert {"meetings/plan/", "meetings/new/", "requests/new/", "alerts/"} <= set(PLAIN_ROUTES)
    for route in PLAIN_ROUTES:
        address = f"/{route}?child={walled_off['child_id']}"
        response = client.get(address)
        body = response.content.decode(errors="replace")
        for secret in _secrets(walled_off):
            assert secret not in body, f"{role} read {secret!r} at {address}"
        assert response.status_code in (200, 302, 403, 404), (role, address,
                                                              response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reads_a_child_it_may_not_through_the_api(
        walled_off: dict[str, Any], signed_in: Any, role: str) -> None:
    client = signed_in(role)
    child = walled_off["child_id"]
    response = client.get(f"/api/v1/children/{child}/chronology")
    assert response.status_code in (403, 404)
    nobody = client.get("/api/v1/children/999999999/chronology")
    assert (nobody.status_code, nobody.json()["error"]["message"]) == \
        (response.status_code, response.json()["error"]["message"])
    alerts = client.get("/api/v1/alerts?limit=500").content.decode()
    assert f'"person_id": {child},' not in alerts.replace('":', '": ')
    for secret in _secrets(walled_off):
        assert secret not in response.content.decode() + alerts


@pytest.mark.parametrize("role", ROLES)
def test_every_api_address_with_an_id_refuses_a_child_the_role_may_not_see(
        walled_off: dict[str, Any], signed_in: Any, role: str) -> None:
    """Agency systems' addresses need an API key (a signed-in person is refused them); the
    signed-in addresses refuse a child the person may not see."""
    from joinedup.agencies.models import Submission

    ids = {**walled_off, "submission_id": Submission.objects.order_by("pk").first().pk}
    client = signed_in(role)
    assert API_ROUTES
    for route in API_ROUTES:
        address = _address(route, ids)
        response = client.get(address)
        assert response.status_code in (401, 403, 404), (role, address, response.status_code)
        for secret in _secrets(walled_off):
            assert secret not in response.content.decode()


def test_an_adult_is_not_opened_as_a_child(web_case: dict[str, Any], signed_in: Any) -> None:
    """The father's own probation officer still cannot open the mother or the father as if
    they were children; they appear only inside a child's record."""
    client = signed_in("probation.officer")
    for adult in (web_case["mother"], web_case["father"]):
        for rest in ("", "chronology/", "chronology.csv"):
            assert client.get(f"/children/{adult}/{rest}").status_code == 404
        assert client.get(f"/api/v1/children/{adult}/chronology").status_code == 403
    assert client.get(f"/children/{web_case['child']}/").status_code == 200


def test_a_huge_id_is_not_found_and_audited(signed_in: Any) -> None:
    client = signed_in("social.worker")
    for address in ("/children/99999999999999999999/", "/alerts/99999999999999999999/",
                    "/reviews/99999999999999999999/"):
        before = AuditEntry.objects.count()
        assert client.get(address).status_code == 404
        assert AuditEntry.objects.filter(pk__gt=before, action="access_refused").exists()
