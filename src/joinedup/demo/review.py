"""The demonstration's practice review of the Baby S injuries, and its 7-minute briefing.

`joinedup demo` opens the review the partnership would have opened the day after the
injuries, records the first steps, the decision and five findings carrying the learning of
the published briefing (docs/demo-scenario.md), composes the 7-minute briefing, checks it
with the de-identification guard, publishes it and renders it in every format. The wording
here is this project's own; it names the family only by the pseudonym.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from joinedup.briefings import services as briefings
from joinedup.briefings.activities import record_activity
from joinedup.briefings.compose import compose_briefing
from joinedup.demo.standard_ids import loaded_event
from joinedup.reviews import findings, workflow
from joinedup.reviews.chronology import review_chronology
from joinedup.reviews.models import Review
from joinedup.reviews.render import write_pdf

PSEUDONYM = "Baby S"
AWARE_ON = dt.date(2025, 5, 21)
INCIDENT_ON = dt.date(2025, 5, 20)
WHAT_HAPPENED = (
    "Baby S, a nine-month-old girl, was brought to hospital by her parents with a spiral "
    "fracture of the arm. A skeletal survey found an older, healing rib fracture. The "
    "explanation given did not fit the injuries. Her father, a registered sex offender "
    "managed by probation until a month earlier, had been in contact with the family.")

FINDINGS: list[tuple[str, str, list[str], list[str]]] = [
    ("Records written late could not be acted on",
     "Several agencies wrote up contacts long after they happened. The health visitor "
     "recorded the mother's worry about her pain medication three weeks after she raised "
     "it, and a social work visit soon after the birth was recorded fifteen working days "
     "late. Until a record exists, nobody else can see it, and no alert can use it.",
     ["RECORDING"], ["HV:S1-71120048", "CSC:CSC-EV-884107"]),
    ("The father's risk stayed with adult services",
     "Police and probation knew that Baby S's father was on the sex offenders register, "
     "was managed under MAPPA and had been violent to two partners. Children's social care "
     "held his name and nothing else, and recorded that he had not been assessed. "
     "Probation's safeguarding check before his release went to the area the mother had "
     "left, not to the one where the baby lived.",
     ["INFO_SHARING_ADULT_CHILD", "FATHERS_MEN"],
     ["POLICE:NICHE-OCC-7712046", "PROBATION:NDL-5520019", "CSC:CSC-EV-884104"]),
    ("The mother's history was lost when she moved",
     "When the mother fled to a refuge in another area her care history arrived as one "
     "line. The new area did not ask the previous one for her records until after the "
     "injuries, so her experience of loss and care was never part of the assessment.",
     ["TRANSFERS", "TRAUMA_PARENTING"], ["CSC:CSC-EV-884101", "CSC_PREV:MCR-CN-3308818"]),
    ("The step-down came as the father came out of prison",
     "The plan was closed and the case stepped down to early help less than a month after "
     "the father's release, on the mother's word that there was no contact. Nobody checked "
     "that with probation, and nobody re-visited it when she later said he was back in "
     "touch and asked for him to be assessed.",
     ["STEP_DOWN_OPTIMISM", "FATHERS_MEN"],
     ["CSC:CSC-EV-884109", "PROBATION:NDL-5520024", "CSC:CSC-EV-884110"]),
    ("Each agency held one piece; no one brought them together",
     "In the three months before the injuries, missed appointments, a dropped programme, "
     "stopped medication, two emergency visits for pain and a police call-out were each "
     "recorded by a different agency. A multi-agency professionals meeting would have put "
     "these pieces side by side. None was held.",
     ["MULTI_AGENCY_MEETINGS", "DISENGAGEMENT"],
     ["FREEDOM:FP-S-3304", "AMH:RIO-1877348", "POLICE:NICHE-OCC-7712055",
      "HOSPITAL:RWJ-ATT-6012234"]),
]

ACTIONS: list[tuple[str, str, str, int]] = [
    ("Record every contact within five working days; managers check timeliness monthly.",
     "Heads of service, all agencies", "", 1),
    ("When an adult known to police or probation is linked to a child under two, share "
     "what is known with children's social care and assess him as part of the family.",
     "Probation and police safeguarding leads", "PROBATION", 2),
    ("On every transfer in, request the previous area's records within five working days.",
     "Children's social care front door", "CSC", 3),
    ("Before stepping a case down, check the position of every adult around the child with "
     "the agencies that know them.", "Children's social care team managers", "CSC", 4),
    ("Call a multi-agency professionals meeting when three agencies record concerns within "
     "three months.", "Safeguarding partnership business unit", "", 5),
]


REMEMBER: dict[str, list[str]] = {
    "Records written late could not be acted on": [
        "A contact not written up is invisible to every other agency."],
    "The father's risk stayed with adult services": [
        "Ask about every adult around a baby, and check what other agencies know of him."],
    "The mother's history was lost when she moved": [
        "When a family moves in, ask the area they left for its records."],
    "The step-down came as the father came out of prison": [
        "Check a parent's account with the agencies that can confirm it before stepping "
        "down."],
    "Each agency held one piece; no one brought them together": [
        "Small worries held by different agencies add up: call the professionals together."],
}
"""Each finding's things to remember, written apart from it (part 6 of the briefing)."""


BRIEFING_PUBLISHED_ON = dt.date(2025, 12, 4)
"""The day after the review was published, and before the first team used the briefing:
the demonstration's dates stay in order whatever day `joinedup demo` runs (issue 18: the
list said "Published" on the day of the demo build beside a "Last used" a year earlier)."""

LEARNING = [("HV", "Stockport East health visiting team", dt.date(2025, 12, 9), 11),
            ("CSC", "Assessment team 2", dt.date(2025, 12, 11), 8),
            ("PROBATION", "Stockport probation delivery unit", dt.date(2026, 1, 14), 14)]
"""Teams that have used the briefing, so the reach report has something to show."""


@dataclass
class DemoReview:
    review_id: int
    briefing_id: int
    files: list[Path]
    words: int
    seconds: int


def run_demo_review(child_id: int, out_dir: Path, who: str) -> DemoReview:
    """Open the review, record its first steps, decision, findings and actions, compose and
    publish the briefing, and write the briefing and the review chronology to ``out_dir``."""

    existing = Review.objects.filter(child_id=child_id, pseudonym=PSEUDONYM).first()
    if existing is None:
        review = workflow.open_review(child_id, AWARE_ON, INCIDENT_ON, WHAT_HAPPENED,
                                      PSEUDONYM, who)
        workflow.record_step(review.pk, "sin", who, done_on=dt.date(2025, 5, 23),
                             note="Notification sent to the national panel.")
        for step in review.steps.filter(kind="AGENCY_SUMMARY").select_related("agency"):
            assert step.agency is not None  # noqa: S101 - narrows the type: agency summaries always name their agency
            workflow.record_step(
                review.pk, "agency_summary", who, done_on=dt.date(2025, 6, 2),
                agency=step.agency.code,
                note=f"{step.agency.name}: summary of involvement with Baby S and the adults "
                     "around her, checked against the chronology.")
        workflow.record_step(review.pk, "panel_meeting", who, done_on=dt.date(2025, 6, 6),
                             note="Rapid review panel: all agencies attended.")
        workflow.record_step(review.pk, "rapid_review", who, done_on=dt.date(2025, 6, 10))
        workflow.record_step(review.pk, "sent_to_panel", who, done_on=dt.date(2025, 6, 11))
        workflow.decide(review.pk, "local_cspr", {
            "a": "Improvements are needed in sharing risk between adult and children's "
                 "services, and in recording.",
            "c": "Concerns about how police, probation, health and children's social care "
                 "worked together."}, "The criteria are met and the learning is wide.", who,
            decided_on=dt.date(2025, 6, 10))
        for title, narrative, themes, evidence in FINDINGS:
            findings.add_finding(review.pk, title, narrative, themes,
                                 [loaded_event(ref) for ref in evidence], who,
                                 remember=REMEMBER[title])
        for description, owner, agency, finding in ACTIONS:
            findings.add_action(review.pk, description, owner, dt.date(2025, 12, 31), who,
                                finding_number=finding, owner_agency=agency or None)
        workflow.record_step(review.pk, "publication_notice", who,
                             done_on=dt.date(2025, 11, 24))
        workflow.record_step(review.pk, "published", who, done_on=dt.date(2025, 12, 3))
        compose_briefing(review.pk, who)
        briefing = briefings.briefing_for_review(review.pk)
        briefings.publish(briefing.pk, who, published_on=BRIEFING_PUBLISHED_ON)
        for agency, team, day, people in LEARNING:
            record_activity(briefing.pk, agency=agency, team=team, held_on=day,
                            attendees=people, facilitator="Team manager", who=who,
                            reflections="Talked through how we would have known.",
                            changes="Ask about every adult around a baby at each visit.")
    else:
        review = existing
    briefing_obj = briefings.briefing_for_review(review.pk)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    for fmt in ("html", "pdf", "docx"):
        path = out_dir / f"baby-s-7-minute-briefing.{fmt}"
        briefings.render(review.pk, fmt, path, who)
        files.append(path)
    chronology_path = out_dir / "baby-s-review-chronology.pdf"
    write_pdf(review_chronology(review.pk), chronology_path)
    files.append(chronology_path)
    length = briefings.length(briefing_obj)
    return DemoReview(review.pk, briefing_obj.pk, files, length.words, length.seconds)

