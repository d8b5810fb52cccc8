"""Deny by default: each legitimate relationship, sealed records, break-glass, and lists that
never hold a child their reader may not open (on the Baby S case)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from joinedup.access import audit
from joinedup.access.allocation import add_panel_member, allocate
from joinedup.access.breakglass import break_glass, pending_reviews, review_break_glass
from joinedup.access.models import AuditEntry, BreakGlass, Team
from joinedup.access.policy import (
    AccessDenied,
    can_view_child,
    filter_children,
    legitimate_reasons,
    open_child_record,
    visible_children,
)
from joinedup.access.sealing import seal, unseal
from joinedup.errors import ActionError
from tests.access.conftest import ON

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _kinds(user: Any, child: int, on: dt.date = ON) -> set[str]:
    return {r.kind for r in legitimate_reasons(user, child, on)}


def _alerts_and_reviews(child: int, other: int) -> tuple[Any, Any]:
    """One alert and one review about the child, and the same about another child."""
    from joinedup.alerts.models import Alert, AlertRun
    from joinedup.reviews.workflow import open_review

    run = AlertRun.objects.create(who="test", rules_digest="x")
    for person in (child, other):
        Alert.objects.create(rule="JIGSAW_GAP", child_id=person, key="k", fired_on=ON,
                             window_start=ON, window_end=ON, title="t", explanation="e",
                             recommended_action="a", source="s", first_run=run, last_run=run)
        open_review(person, ON, ON, "A serious incident.", f"Child {person}", "test")
    from joinedup.reviews.models import Review

    return Alert.objects.all(), Review.objects.all()


def _someone_else(s: SimpleNamespace) -> int:
    """A background child nobody in the cast is involved with."""
    from joinedup.people.models import Person, RelationshipRecord

    parents = RelationshipRecord.objects.filter(relationship="MOTHER_OF").values(
        "related_person__person_id")
    hv_visible = visible_children(s.hv, ON)
    return int(Person.objects.filter(id__in=parents).exclude(id__in=hv_visible)
               .exclude(id__in=visible_children(s.probation, ON)).order_by("id")
               .values_list("id", flat=True).first())


def test_no_relationship_no_child(staff: SimpleNamespace) -> None:
    s = staff
    assert legitimate_reasons(s.outsider, s.child, ON) == []
    assert not can_view_child(s.outsider, s.child, ON)
    assert not visible_children(s.outsider, ON).exists()
    alerts, reviews = _alerts_and_reviews(s.child, _someone_else(s))
    assert not filter_children(alerts, s.outsider, on=ON).exists()
    assert not filter_children(reviews, s.outsider, on=ON).exists()
    # a user with no agency, and an inactive one, see nothing either
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("no.agency")
    assert not visible_children(nobody, ON).exists()
    s.hv.is_active = False
    assert legitimate_reasons(s.hv, s.child, ON) == []
    assert not visible_children(s.hv, ON).exists()


def test_opening_a_record_without_a_relationship_is_refused_and_recorded(
        staff: SimpleNamespace) -> None:
    with pytest.raises(AccessDenied, match="no legitimate relationship"):
        open_child_record(staff.outsider, staff.child)
    refused = AuditEntry.objects.order_by("-id").first()
    assert refused is not None
    assert (refused.action, refused.actor, refused.child_id) == \
        ("access_refused", "school.teacher", staff.child)


def test_agency_involvement_with_the_child_or_the_adults_around_them(
        staff: SimpleNamespace) -> None:
    s = staff
    (hv,) = legitimate_reasons(s.hv, s.child, ON)
    assert hv.kind == "agency_involvement" and hv.text.startswith("HV recorded")
    # probation never recorded anything about Baby S: only about the father
    (probation,) = legitimate_reasons(s.probation, s.child, ON)
    assert probation.kind == "agency_involvement"
    assert "about the child's father" in probation.text
    assert _kinds(s.police, s.child) == {"agency_involvement"}


def test_involvement_counts_for_the_period_and_not_after_it(staff: SimpleNamespace,
                                                            settings: Any) -> None:
    s = staff
    (reason,) = legitimate_reasons(s.probation, s.child, ON)
    last_day = reason.until
    assert isinstance(last_day, dt.date)
    assert can_view_child(s.probation, s.child, last_day)
    assert not can_view_child(s.probation, s.child, last_day + dt.timedelta(days=1))
    assert s.child not in set(visible_children(s.probation, last_day + dt.timedelta(days=1))
                              .values_list("id", flat=True))
    # nothing recorded yet: no involvement before the first event
    assert not can_view_child(s.probation, s.child, dt.date(2024, 1, 1))
    settings.JOINEDUP_INVOLVEMENT_DAYS = 30
    (short,) = legitimate_reasons(s.probation, s.child, ON)
    assert short.until == reason.until - dt.timedelta(days=335)  # type: ignore[operator]


def test_allocated_worker_and_team(staff: SimpleNamespace) -> None:
    s = staff
    allocate(s.child, user=s.outsider, valid_from=dt.date(2025, 5, 1),
             valid_to=dt.date(2025, 6, 30), by="test")
    assert _kinds(s.outsider, s.child) == {"allocated_worker"}
    assert not can_view_child(s.outsider, s.child, dt.date(2025, 7, 1))
    assert not can_view_child(s.outsider, s.child, dt.date(2025, 4, 30))
    team = Team.objects.get(name="Pastoral team")
    allocate(s.child, team=team, valid_from=dt.date(2025, 5, 1), by="test")
    (reason,) = legitimate_reasons(s.teammate, s.child, ON)
    assert reason.kind == "allocated_team" and "Pastoral team" in reason.text
    assert list(visible_children(s.teammate, ON).values_list("id", flat=True)) == [s.child]
    with pytest.raises(ActionError, match="either a worker or a team"):
        allocate(s.child, user=s.outsider, team=team)
    assert AuditEntry.objects.filter(object_type="allocation", child_id=s.child).count() == 2


def test_review_panel_membership(staff: SimpleNamespace) -> None:
    from joinedup.reviews.workflow import open_review

    s = staff
    review = open_review(s.child, ON, ON, "A serious incident.", "Baby S", "test")
    assert not can_view_child(s.panel, s.child, ON)
    assert add_panel_member(review.pk, s.panel, by="business.unit")
    assert not add_panel_member(review.pk, s.panel, by="business.unit")
    (reason,) = legitimate_reasons(s.panel, s.child, ON)
    assert reason.kind == "review_panel" and "Baby S" in reason.text
    assert filter_children(type(review).objects.all(), s.panel, on=ON).get() == review


def test_panel_access_ends_after_the_grace_period_of_a_closed_review(
        staff: SimpleNamespace, settings: Any) -> None:
    from joinedup.reviews.workflow import close_review, open_review

    s = staff
    settings.JOINEDUP_PANEL_GRACE_DAYS = 30
    review = open_review(s.child, ON, ON, "A serious incident.", "Baby S", "test")
    add_panel_member(review.pk, s.panel, by="business.unit")
    closed_on = dt.date(2025, 11, 3)

    def sees(day: dt.date) -> bool:
        listed = s.child in set(visible_children(s.panel, day).values_list("id", flat=True))
        assert listed == can_view_child(s.panel, s.child, day), day  # the two shapes agree
        return listed

    assert sees(closed_on + dt.timedelta(days=40))  # an open review: no end
    close_review(review.pk, "Learning published.", "business.unit", on=closed_on)
    assert sees(closed_on + dt.timedelta(days=10))
    (reason,) = legitimate_reasons(s.panel, s.child, closed_on + dt.timedelta(days=10))
    assert reason.kind == "review_panel" and reason.until == dt.date(2025, 12, 3)
    assert "closed on 3 November 2025: access until 3 December 2025" in reason.text
    assert sees(closed_on + dt.timedelta(days=30))  # the last day is included
    assert not sees(closed_on + dt.timedelta(days=31))
    assert legitimate_reasons(s.panel, s.child, closed_on + dt.timedelta(days=31)) == []
    assert not filter_children(type(review).objects.all(), s.panel,
                               on=closed_on + dt.timedelta(days=31)).exists()
    # the grace period is a setting
    settings.JOINEDUP_PANEL_GRACE_DAYS = 60
    assert sees(closed_on + dt.timedelta(days=31))
    settings.JOINEDUP_PANEL_GRACE_DAYS = 5
    assert not sees(closed_on + dt.timedelta(days=10))
    settings.JOINEDUP_PANEL_GRACE_DAYS = 0
    assert sees(closed_on) and not sees(closed_on + dt.timedelta(days=1))


@pytest.mark.parametrize("value", ["a month", "-1", "30.5", "100000", True])
def test_a_bad_grace_period_is_refused_in_plain_words(settings: Any, value: Any) -> None:
    from joinedup.errors import ConfigurationError
    from joinedup.reviews.panel_access import panel_grace_days

    settings.JOINEDUP_PANEL_GRACE_DAYS = value
    with pytest.raises(ConfigurationError, match="JOINEDUP_PANEL_GRACE_DAYS must be a whole "
                                                 "number of days from 0 to 3650"):
        panel_grace_days()


def test_the_grace_period_from_the_environment(settings: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from joinedup.reviews.panel_access import PANEL_GRACE_DAYS, panel_grace_days

    settings.JOINEDUP_PANEL_GRACE_DAYS = None
    monkeypatch.delenv("JOINEDUP_PANEL_GRACE_DAYS", raising=False)
    assert panel_grace_days() == PANEL_GRACE_DAYS == 30
    monkeypatch.setenv("JOINEDUP_PANEL_GRACE_DAYS", " 45 ")
    assert panel_grace_days() == 45
    settings.JOINEDUP_PANEL_GRACE_DAYS = 7  # a Django setting wins over the environment
    assert panel_grace_days() == 7


def test_lists_hold_exactly_the_children_each_reader_may_open(staff: SimpleNamespace) -> None:
    """visible_children (the subquery lists use) agrees with legitimate_reasons, person by
    person, for every member of staff."""
    from django.db import connection

    from joinedup.people.models import Person
    from joinedup.reviews.workflow import close_review, open_review

    s = staff
    allocate(s.child, user=s.outsider, by="test", valid_from=dt.date(2025, 1, 1))
    seal(s.mother, "Sealed for the test.", "test")
    # the panel member sits on an open review of the mother and a closed one of the child
    for person, closed in ((s.mother, False), (s.child, True)):
        review = open_review(person, ON, ON, "A serious incident.", f"Child {person}", "t")
        add_panel_member(review.pk, s.panel)
        if closed:
            close_review(review.pk, "Learning published.", "test", on=ON)
    people = {s.child, s.mother, s.father,
              *Person.objects.order_by("id").values_list("id", flat=True)[:20]}
    if connection.vendor == "postgresql":
        # The fixture's rows are not analysed inside its transaction: without statistics
        # PostgreSQL plans the per-child relationship look-ups as long nested loops.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    for user in (s.hv, s.probation, s.police, s.lead, s.outsider, s.panel):
        visible = set(visible_children(user, ON).values_list("id", flat=True))
        for person in people:
            assert (person in visible) == can_view_child(user, person, ON), (user, person)
    after_grace = ON + dt.timedelta(days=31)
    for day in (ON + dt.timedelta(days=30), after_grace):
        visible = set(visible_children(s.panel, day).values_list("id", flat=True))
        for person in people:
            assert (person in visible) == can_view_child(s.panel, person, day), (day, person)
    assert s.mother in visible and s.child not in visible  # only the closed one's ended
    alerts, _ = _alerts_and_reviews(s.child, _someone_else(s))
    assert set(filter_children(alerts, s.hv, on=ON).values_list("child_id", flat=True)) \
        == {s.child}


def test_break_glass_needs_a_reason_and_runs_out(staff: SimpleNamespace) -> None:
    s = staff
    for empty in ("", "   "):
        with pytest.raises(ActionError, match="without a reason is refused"):
            break_glass(s.outsider, s.child, empty)
    with pytest.raises(ActionError, match="1 to 480 minutes"):
        break_glass(s.outsider, s.child, "Urgent.", minutes=0)
    assert not can_view_child(s.outsider, s.child)
    glass = break_glass(s.outsider, s.child, "Child disclosed at school; CSC not answering.",
                        minutes=30)
    (reason,) = legitimate_reasons(s.outsider, s.child)
    assert reason.kind == "break_glass" and "CSC not answering" in reason.text
    assert s.child in set(visible_children(s.outsider).values_list("id", flat=True))
    entry = AuditEntry.objects.get(action="break_glass")
    assert (entry.actor, entry.child_id, entry.reason) == \
        ("school.teacher", s.child, glass.reason)
    later = timezone.now() + dt.timedelta(minutes=31)
    assert legitimate_reasons(s.outsider, s.child, at=later) == []
    assert s.child not in set(visible_children(s.outsider, at=later)
                              .values_list("id", flat=True))
    BreakGlass.objects.filter(pk=glass.pk).update(expires_at=timezone.now())
    assert not can_view_child(s.outsider, s.child)


def test_the_safeguarding_lead_reviews_break_glass(staff: SimpleNamespace) -> None:
    s = staff
    glass = break_glass(s.outsider, s.child, "Disclosure at school.")
    assert list(pending_reviews()) == [glass]
    assert list(pending_reviews("SCHOOL")) == [glass] and not pending_reviews("HV").exists()
    with pytest.raises(ActionError, match="Only a safeguarding lead"):
        review_break_glass(glass.pk, s.hv, "justified")
    with pytest.raises(ActionError, match="a note"):
        review_break_glass(glass.pk, s.school_lead, "not_justified")
    done = review_break_glass(glass.pk, s.school_lead, "justified", "Right call.")
    assert (done.outcome, done.reviewed_by) == ("justified", "school.lead")
    assert not pending_reviews().exists()
    assert AuditEntry.objects.filter(action="break_glass_review", child_id=s.child).exists()
    with pytest.raises(ActionError, match="already reviewed"):
        review_break_glass(glass.pk, s.lead, "justified")
    own = break_glass(s.school_lead, s.child, "Checking.")
    with pytest.raises(ActionError, match="their own"):
        review_break_glass(own.pk, s.school_lead, "justified")


def test_sealed_records(staff: SimpleNamespace) -> None:
    s = staff
    from joinedup.reviews.workflow import open_review

    review = open_review(s.child, ON, ON, "A serious incident.", "Baby S", "test")
    add_panel_member(review.pk, s.panel)
    allocate(s.child, user=s.outsider, valid_from=dt.date(2025, 1, 1), by="test")
    seal(s.child, "Placed for adoption.", "test")
    with pytest.raises(ActionError, match="already sealed"):
        seal(s.child, "Again.", "test")
    # agency involvement no longer opens it; allocation and the panel still do
    assert not can_view_child(s.hv, s.child, ON)
    assert s.child not in set(visible_children(s.hv, ON).values_list("id", flat=True))
    assert _kinds(s.outsider, s.child) == {"allocated_worker"}
    assert _kinds(s.panel, s.child) == {"review_panel"}
    # break-glass: refused to practitioners, open to a safeguarding lead
    with pytest.raises(ActionError, match="sealed"):
        break_glass(s.hv, s.child, "Urgent.")
    break_glass(s.lead, s.child, "Police at the door asking about the baby.")
    assert "break_glass" in {r.kind for r in legitimate_reasons(s.lead, s.child)}
    assert s.child in set(visible_children(s.lead).values_list("id", flat=True))
    unseal(s.child, "Adoption order not made.", "test")
    assert can_view_child(s.hv, s.child, ON)


def test_every_look_is_recorded_with_its_reasons(staff: SimpleNamespace) -> None:
    s = staff
    allocate(s.child, user=s.hv, valid_from=ON, by="test")  # pages look on today's date
    before = audit.count()
    reasons = open_child_record(s.hv, s.child, "view_chronology", object_type="chronology")
    entry = AuditEntry.objects.get(id=before + 1)
    assert entry.action == "view_chronology" and entry.actor == "hv.practitioner"
    assert entry.reason == "; ".join(r.text for r in reasons)
    assert [e.id for e in audit.who_looked_at(s.child)][:1] == [entry.id]
    assert audit.verify() == []
