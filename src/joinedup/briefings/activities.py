"""Learning activities: each time a team uses a published briefing, and how far each
briefing has reached.

A learning activity is a team meeting, supervision group or learning circle where the
briefing was presented and discussed: which agency and team, when, how many attended, who
led it, what the team reflected and what it will change. The reach reports answer the
partnership's two questions: which agencies and teams have used this briefing (and how many
people heard it), and which published briefings has this agency not used yet.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from joinedup.agencies.models import Agency
from joinedup.briefings.models import Briefing, BriefingStatus, LearningActivity
from joinedup.briefings.services import find_briefing
from joinedup.errors import ActionError, NextStep
from joinedup.information_requests.lookups import find_agency


def record_activity(briefing_id: int, *, agency: str, team: str, held_on: dt.date,
                    attendees: int, facilitator: str, who: str, reflections: str = "",
                    changes: str = "") -> LearningActivity:
    briefing = find_briefing(briefing_id)
    if briefing.status != BriefingStatus.PUBLISHED:
        raise ActionError(f"Briefing {briefing_id} is not published yet: teams use published "
                          "briefings.",
                          next_step=NextStep.PUBLISH_BRIEFING(briefing=briefing_id))
    if attendees < 1:
        raise ActionError("Say how many people attended (at least 1).")
    if not team.strip() or not facilitator.strip():
        raise ActionError("Say which team used the briefing and who led the session.")
    if held_on > dt.date.today():
        raise ActionError(f"{held_on:%d/%m/%Y} is in the future: record an activity once it "
                          "has happened.")
    published_on = timezone.localdate(briefing.published_at) if briefing.published_at \
        else None
    if published_on is not None and held_on < published_on:
        raise ActionError(f"Briefing {briefing_id} was published on {published_on:%d/%m/%Y}, "
                          f"so no team used it on {held_on:%d/%m/%Y}: check the date of the "
                          "session.")
    return LearningActivity.objects.create(
        briefing=briefing, agency=find_agency(agency), team=team.strip(), held_on=held_on,
        attendees=attendees, facilitator=facilitator.strip(), reflections=reflections.strip(),
        changes=changes.strip(), recorded_by=who)


def _activity(a: LearningActivity) -> dict[str, Any]:
    return {"id": a.pk, "briefing": a.briefing_id, "agency": a.agency.code, "team": a.team,
            "held_on": a.held_on, "attendees": a.attendees, "facilitator": a.facilitator,
            "reflections": a.reflections, "changes": a.changes}


def briefing_reach(briefing_id: int) -> dict[str, Any]:
    """Which agencies and teams have used a briefing, with attendees; which agencies not."""
    briefing = find_briefing(briefing_id)
    activities = list(briefing.activities.select_related("agency").order_by(
        "agency__code", "held_on", "id"))
    agencies: dict[str, dict[str, Any]] = {}
    for a in activities:
        entry = agencies.setdefault(a.agency.code, {
            "agency": a.agency.code, "name": a.agency.name, "teams": [], "activities": 0,
            "attendees": 0, "last_used_on": None})
        if a.team not in entry["teams"]:
            entry["teams"].append(a.team)
        entry["activities"] += 1
        entry["attendees"] += a.attendees
        entry["last_used_on"] = a.held_on  # in date order
    not_yet = list(Agency.objects.exclude(code__in=list(agencies)).order_by("code")
                   .values_list("code", flat=True))
    return {
        "briefing": briefing.pk, "title": briefing.title, "status": briefing.status,
        "published_at": briefing.published_at,
        "agencies": list(agencies.values()),
        "agencies_not_yet": not_yet,
        "teams": len({(a.agency.code, a.team) for a in activities}),
        "activities": [_activity(a) for a in activities],
        "total_attendees": sum(a.attendees for a in activities),
    }


def agency_reach(code: str) -> dict[str, Any]:
    """The published briefings an agency has used, and those it has not used yet."""
    agency = find_agency(code)
    published = list(Briefing.objects.filter(status=BriefingStatus.PUBLISHED)
                      .select_related("review").order_by("published_at", "id"))
    used = {row["briefing"]: row for row in LearningActivity.objects.filter(agency=agency)
            .values("briefing").annotate(activities=Count("id"), attendees=Sum("attendees"))}
    teams: dict[int, list[str]] = {}
    for briefing_id, team in (LearningActivity.objects.filter(agency=agency)
                              .order_by("held_on", "id").values_list("briefing", "team")):
        if team not in teams.setdefault(briefing_id, []):
            teams[briefing_id].append(team)

    def brief(b: Briefing) -> dict[str, Any]:
        return {"briefing": b.pk, "title": b.title, "pseudonym": b.review.pseudonym,
                "published_at": b.published_at}

    return {
        "agency": agency.code, "name": agency.name,
        "used": [{**brief(b), "teams": teams.get(b.pk, []),
                  "activities": used[b.pk]["activities"],
                  "attendees": used[b.pk]["attendees"]} for b in published if b.pk in used],
        "not_yet_used": [brief(b) for b in published if b.pk not in used],
    }


def overall_reach() -> list[dict[str, Any]]:
    """One row per published briefing: agencies, teams, sessions and attendees so far."""
    rows = []
    for b in (Briefing.objects.filter(status=BriefingStatus.PUBLISHED)
              .select_related("review").order_by("published_at", "id")):
        activities = list(b.activities.select_related("agency"))
        rows.append({
            "briefing": b.pk, "title": b.title, "pseudonym": b.review.pseudonym,
            "published_at": b.published_at,
            "agencies": sorted({a.agency.code for a in activities}),
            "teams": len({(a.agency.code, a.team) for a in activities}),
            "activities": len(activities),
            "total_attendees": sum(a.attendees for a in activities),
        })
    return rows


def reach_by_agency(since: dt.date | None = None,
                    until: dt.date | None = None) -> list[dict[str, Any]]:
    """One row per agency (every agency, those that have used nothing too): how many of the
    published briefings it has used, which it has not yet, its teams, sessions and people.
    ``since`` / ``until`` (both included) count only the activities held in that period.
    For the partnership overview's "briefing reach by agency" chart and table."""
    published = list(Briefing.objects.filter(status=BriefingStatus.PUBLISHED)
                     .order_by("published_at", "id").values_list("pk", flat=True))
    activities = LearningActivity.objects.all()
    if since is not None:
        activities = activities.filter(held_on__gte=since)
    if until is not None:
        activities = activities.filter(held_on__lte=until)
    rows: dict[int, dict[str, Any]] = {
        pk: {"agency": code, "name": name, "briefings_published": len(published),
             "briefings_used": [], "not_yet_used": [], "teams": 0, "activities": 0,
             "attendees": 0, "last_used_on": None}
        for pk, code, name in Agency.objects.order_by("code").values_list("pk", "code", "name")}
    teams: dict[int, set[str]] = {}
    for agency_id, briefing_id, team, attendees, held_on in activities.order_by(
            "held_on", "id").values_list("agency_id", "briefing_id", "team", "attendees",
                                         "held_on"):
        row = rows[agency_id]
        if briefing_id not in row["briefings_used"]:
            row["briefings_used"].append(briefing_id)
        teams.setdefault(agency_id, set()).add(team)
        row["activities"] += 1
        row["attendees"] += attendees
        row["last_used_on"] = held_on  # in date order
    for agency_id, row in rows.items():
        row["teams"] = len(teams.get(agency_id, ()))
        row["not_yet_used"] = [pk for pk in published if pk not in row["briefings_used"]]
    return list(rows.values())
