"""Findings of a review, with their themes and evidence, and the actions recommended.

A finding is only as good as the practice it points to, so each one can cite the events in
the chronology that show it (``AGENCY:EVENT_ID``, the agency's own event id, as the
chronology prints it). Evidence must be about the child or someone in the child's family
network: citing another family's event in a panel document would be a breach of
confidentiality, so a mistyped id is refused rather than stored.

Actions are tracked until done, because recommendations that nobody owns, or that quietly
lapse, are what the next review finds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max

from joinedup.chronology.models import Event
from joinedup.errors import ActionError, NextStep, NotFoundError
from joinedup.information_requests.lookups import find_agency
from joinedup.people.network import network_for
from joinedup.reviews.models import ActionStatus, Finding, Review, ReviewAction
from joinedup.reviews.themes import find_themes
from joinedup.reviews.workflow import get_review, log, require_text, require_who, today


def parse_evidence(ref: str) -> tuple[str, str]:
    """``"HOSPITAL:RWJ-ATT-6012236"`` as (agency code, event id)."""
    agency, sep, event_id = ref.strip().partition(":")
    if not sep or not agency.strip() or not event_id.strip():
        raise ActionError(f"{ref!r} is not an event reference: write AGENCY:EVENT_ID, e.g. "
                          "HOSPITAL:RWJ-ATT-6012236 (the chronology's agency and event id).")
    return agency.strip().upper(), event_id.strip()


def find_evidence(review: Review, refs: Iterable[str]) -> list[int]:
    """Primary keys of the current versions of the events cited, each checked to be about
    the review's child or the child's family network."""

    wanted = list(dict.fromkeys(parse_evidence(r) for r in refs))
    if not wanted:
        return []
    people = {review.child_id, *(m.person_id for m in network_for(review.child_id).members)}
    out = []
    for agency, source_id in wanted:
        event = (Event.objects.filter(agency__code=agency, source_id=source_id, is_current=True)
                 .values("pk", "subject__person_id", "related_person__person_id").first())
        if event is None:
            raise NotFoundError(f"There is no event {agency}:{source_id}. Use the agency code "
                                "and the event id as the review's chronology shows them.",
                                next_step=NextStep.SHOW_REVIEW_CHRONOLOGY(review=review.pk))
        if (event["subject__person_id"] not in people
                and event["related_person__person_id"] != review.child_id):
            raise ActionError(f"Event {agency}:{source_id} is not about {review.pseudonym} or "
                              "anyone in the family network; check the event id.")
        out.append(event["pk"])
    return out


@transaction.atomic
def add_finding(review_id: int, title: str, narrative: str, themes: Iterable[str],
                evidence: Iterable[str], who: str, *, remember: Iterable[str] = ()) -> Finding:
    """Add the review's next numbered finding, with what practitioners should remember from
    it (``remember``: points, written apart from the narrative, for the briefing)."""
    who = require_who(who)
    review = get_review(review_id)
    title = require_text(title, "A finding's title", "give one", "title")
    narrative = require_text(narrative, "A finding's narrative",
                             "write it with the pseudonym", "narrative")
    chosen = find_themes(themes)
    events = find_evidence(review, evidence)
    last = review.findings.aggregate(last=Max("number"))["last"] or 0
    points = [" ".join(str(point).split()) for point in remember]
    finding = Finding.objects.create(review=review, number=last + 1, title=title,
                                     narrative=narrative,
                                     remember="\n".join(p for p in points if p))
    finding.themes.set(chosen)
    finding.evidence.set(events)
    log(review, who, "finding_added",
        f"Finding {finding.number}: {title} (themes: "
        f"{', '.join(t.code for t in chosen) or 'none'}; {len(events)} evidence events).")
    return finding


@transaction.atomic
def add_action(review_id: int, description: str, owner: str, due_on: dt.date, who: str, *,
               finding_number: int | None = None, owner_agency: str | None = None
               ) -> ReviewAction:
    """Add a recommended action with its owner and due date, optionally for one finding."""

    who = require_who(who)
    review = get_review(review_id)
    description = require_text(description, "An action's description",
                               "say what is to be done", "description")
    owner = require_text(owner, "An action's owner", "name the person or team", "owner")
    finding = None
    if finding_number is not None:
        finding = review.findings.filter(number=finding_number).first()
        if finding is None:
            numbers = ", ".join(str(n) for n in review.findings.values_list("number", flat=True))
            raise NotFoundError(f"Review {review.pk} has no finding {finding_number} "
                                f"(findings: {numbers or 'none yet'}).")
    if due_on < review.aware_on:
        raise ActionError(f"The due date {due_on.isoformat()} is before the review began "
                          f"({review.aware_on.isoformat()}); check the due date.")
    agency = find_agency(owner_agency) if owner_agency else None
    action = ReviewAction.objects.create(review=review, finding=finding,
                                         description=description, owner=owner,
                                         owner_agency=agency, due_on=due_on)
    log(review, who, "action_added",
        f"Action {action.pk} for {owner}, due {due_on.isoformat()}"
        + (f" (finding {finding_number})." if finding else "."))
    return action


@transaction.atomic
def complete_action(action_id: int, who: str, done_on: dt.date | None = None) -> ReviewAction:
    """Mark a recommended action done."""
    who = require_who(who)
    action = ReviewAction.objects.select_related("review").filter(pk=action_id).first()
    if action is None:
        raise NotFoundError(f"There is no review action {action_id}.",
                            next_step=NextStep.LIST_REVIEW_ACTIONS)
    if action.status != ActionStatus.OPEN:
        raise ActionError(f"Action {action.pk} is already {action.status}"
                          + (f" (on {action.done_on.isoformat()})." if action.done_on else "."))
    done_on = done_on or today()
    if done_on > today():
        raise ActionError(f"The date {done_on.isoformat()} is in the future; give the date the "
                          "action was done.")
    action.status, action.done_on = ActionStatus.DONE, done_on
    action.save(update_fields=["status", "done_on"])
    log(action.review, who, "action_done", f"Action {action.pk} done on {done_on.isoformat()}.")
    return action
