"""The Baby S briefing end to end, against the real family network of the scenario: the
guard knows the names Kayleigh, Ashworth, Brennan, Daniel, Kerrigan and Danny, the mother's
date of birth 3 November 2003, NHS numbers, postcodes and addresses, from every agency's
records; compose, edit, check, publish (and override), render, learning activities and the
reach reports, through the CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from joinedup.briefings.deidentify import written_forms
from joinedup.briefings.family_identifiers import identifiers_for_child
from joinedup.errors import ActionError

pytestmark = pytest.mark.slow

INCIDENT = dt.date(2025, 5, 14)
MOTHER_BORN = dt.date(2003, 11, 3)


@pytest.fixture
def cli(baby_s: dict[str, Any], db: None, cli: Any) -> Any:
    """`joinedup ...` (tests/conftest.py) against the test database holding Baby S."""
    return cli


@pytest.fixture
def review(baby_s: dict[str, Any], db: None) -> Any:
    """A review of the Baby S incident, as the panel would record it (the summary still
    holds the family's first names, as panels' notes do)."""
    from joinedup.agencies.models import Agency
    from joinedup.reviews.models import Finding, Review, ReviewAction, Theme

    r = Review.objects.create(
        child_id=baby_s["child"], pseudonym="Baby S", incident_on=INCIDENT,
        aware_on=INCIDENT + dt.timedelta(days=1), opened_by="panel",
        decision="other_learning",
        what_happened="At nine months old Sienna was taken to hospital by Kayleigh with a "
                      "broken arm; doctors then found an older rib fracture.")
    recording = Theme.objects.create(code="RECORDING", label="Recording")
    transfers = Theme.objects.create(code="TRANSFERS", label="Transfers between areas")
    first = Finding.objects.create(
        review=r, number=1, title="Visits written up weeks later",
        narrative="Notes of home visits reached the record weeks after the visit. Others "
                  "reading the record saw an out-of-date picture.",
        remember="Ask Kayleigh who else comes to the home.\nWrite a visit up within two days.")
    first.themes.add(recording)
    Finding.objects.create(
        review=r, number=2, title="What adult services knew about the father",
        narrative="Probation and adult services knew of the father's violence and release "
                  "date. Children's services did not ask them, and they did not tell.")
    third = Finding.objects.create(
        review=r, number=3, title="Moving between areas",
        narrative="The mother moved area to escape abuse. Her history as a child in care "
                  "travelled as one line and nobody followed it up.")
    third.themes.add(transfers)
    ReviewAction.objects.create(
        review=r, finding=first, description="Record home visits within two working days",
        owner="Health visiting", owner_agency=Agency.objects.get(code="HV"),
        due_on=dt.date(2025, 9, 30))
    return r


def compose(review: Any) -> Any:
    from joinedup.briefings.compose import compose_briefing

    return compose_briefing(review.pk, "author")


def test_the_family_network_gives_the_guard_every_identifier(baby_s: dict[str, Any],
                                                             db: None) -> None:
    found = identifiers_for_child(baby_s["child"])
    for name in ("kayleigh", "ashworth", "brennan", "daniel", "kerrigan", "danny", "sienna",
                 "kay"):
        assert name in found.names, name
    assert ("the mother's", "{whose} given name") in found.names["kayleigh"]
    assert ("the father's", "{whose} other name") in found.names["danny"]
    assert MOTHER_BORN in found.dates and dt.date(2024, 8, 9) in found.dates
    assert "9994123785" in found.nhs_numbers and "SK58PB" in found.postcodes
    assert "alder rise" in found.address_lines


def test_compose_drafts_seven_parts_with_the_pseudonym(review: Any) -> None:
    from joinedup.briefings.services import check, length, parts

    briefing = compose(review)
    drafted = parts(briefing)
    assert [p.number for p in drafted] == [1, 2, 3, 4, 5, 6, 7]
    assert drafted[0].text.startswith("At nine months old Baby S was taken to hospital by "
                                      "Baby S's mother with a broken arm")
    assert [p.label for p in drafted[2:5]] == ["Visits written up weeks later",
                                               "What adult services knew about the father",
                                               "Moving between areas"]
    assert "Record home visits within two working days (Health visiting, by September " \
           "2025)" in drafted[6].text
    assert drafted[5].text == ("- Ask Baby S's mother who else comes to the home.\n"
                               "- Write a visit up within two days.")  # written apart
    assert len(briefing.reflection_questions) == 4
    assert check(briefing) == []
    measured = length(briefing)
    assert 150 < measured.words < 910 and not measured.too_long
    assert briefing.history.get().what == "composed"


def test_the_guard_catches_the_real_family_in_every_form(review: Any) -> None:
    from joinedup.briefings.services import check, edit_part

    briefing = compose(review)
    edit_part(briefing.pk, 4, "author", text=(
        "Danny Kerrigan was released in August. Kayleigh Brennan, born 3rd November 2003 "
        "(NHS 999-412-3785), had lived at 27 alder rise, sk58pb. On 14/05/25 the baby was "
        "hurt."))
    edit_part(briefing.pk, 5, "author", label="What ASHWORTH told us")
    problems = check(briefing)
    said = [(p.where, p.found, p.why) for p in problems]
    assert said == [
        ("part 4", "Danny", "the father's given name"),
        ("part 4", "Kerrigan", "the father's and a grandparent's family name"),
        ("part 4", "Kayleigh", "the mother's given name"),
        ("part 4", "Brennan",
         # the previous area's record of Baby S before birth is her own now (issue 17)
         "the mother's, a relative's, a grandparent's and the child's family name"),
        ("part 4", "3rd November 2003",
         "the mother's date of birth, written as 3rd November 2003"),
        ("part 4", "999-412-3785", "the mother's NHS number"),
        ("part 4", "27 alder rise", "part of the mother's and the child's address"),
        ("part 4", "sk58pb", "the mother's and the child's postcode"),
        ("part 4", "14/05/25", "the date of the incident, written as 14/05/25"),
        ("part 5 label", "ASHWORTH",
         "the mother's and the child's family name; a grandparent's other name"),
    ]


def test_the_guard_reads_the_things_to_remember_too(review: Any) -> None:
    from joinedup.briefings.services import check

    finding = review.findings.get(number=2)
    finding.remember = "Ask the Kerrigan family's probation officer what he knows."
    finding.save()
    problems = check(compose(review))
    assert [(p.where, p.found) for p in problems] == [("part 6", "Kerrigan")]


def test_every_form_of_the_mothers_date_of_birth_is_refused(review: Any) -> None:
    from joinedup.briefings.services import check, edit_part

    briefing = compose(review)
    for form in written_forms(MOTHER_BORN):
        edit_part(briefing.pk, 2, "author", text=f"The mother was born on {form}.")
        assert [p.why for p in check(briefing)] == [
            f"the mother's date of birth, written as {form}"], form


def test_the_incident_date_policy_can_allow_it(review: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from joinedup.briefings.services import check, edit_part

    briefing = compose(review)
    edit_part(briefing.pk, 1, "author", text="It happened on 14 May 2025.")
    assert len(check(briefing)) == 1
    monkeypatch.setenv("JOINEDUP_BRIEFING_INCIDENT_DATE", "allow")
    assert check(briefing) == []


def test_override_needs_a_reason_and_is_recorded(review: Any) -> None:
    from joinedup.briefings.models import GuardOverride
    from joinedup.briefings.services import IdentifiableError, edit_part, publish
    from joinedup.errors import ActionError

    briefing = compose(review)
    edit_part(briefing.pk, 2, "author", text="Kerrigan is a common name round here.")
    with pytest.raises(IdentifiableError) as refused:
        publish(briefing.pk, "lead")
    assert "part 2: the father's and a grandparent's family name" in str(refused.value)
    with pytest.raises(ActionError, match="needs a reason"):
        publish(briefing.pk, "lead", override_reason="  ")
    assert not GuardOverride.objects.exists()
    published = publish(briefing.pk, "lead", override_reason="Agreed with the family")
    assert published.status == "published" and published.published_by == "lead"
    override = GuardOverride.objects.get()
    assert (override.who, override.reason, override.action) == (
        "lead", "Agreed with the family", "published")
    assert override.problems == [{"where": "part 2", "found": "Kerrigan",
                                  "why": "the father's and a grandparent's family name",
                                  "snippet": "Kerrigan is a common name round here."}]
    assert [e.what for e in briefing.history.all()] == [
        "composed", "part_edited", "guard_overridden", "published"]
    # editing a published briefing puts it back to draft
    edit_part(briefing.pk, 2, "author", text="Any family could be this family.")
    briefing.refresh_from_db()
    assert briefing.status == "draft"


def test_an_empty_part_cannot_be_published(review: Any) -> None:
    from joinedup.briefings.services import edit_part, publish
    from joinedup.errors import ActionError

    briefing = compose(review)
    edit_part(briefing.pk, 6, "author", text="")
    with pytest.raises(ActionError, match="part 6 still empty"):
        publish(briefing.pk, "lead")


def test_cli_compose_show_edit_check_publish(cli: Any, review: Any, tmp_path: Path) -> None:
    composed = cli("briefing", "compose", str(review.pk))
    assert composed.exit_code == 0, composed.output
    briefing_id = int(re.search(r"Briefing (\d+) drafted", composed.stdout)[1])  # type: ignore[index]
    again = cli("briefing", "compose", str(review.pk))
    assert again.exit_code == 1 and "already has briefing" in again.output

    shown = cli("briefing", "show", str(briefing_id), "--format", "json")
    assert shown.exit_code == 0
    body = json.loads(shown.stdout)
    assert [p["number"] for p in body["parts"]] == [1, 2, 3, 4, 5, 6, 7]
    assert body["status"] == "draft" and body["too_long"] is False
    assert body["reading_seconds"] == round(body["words"] * 60 / 130)
    table = cli("briefing", "show", str(briefing_id))
    assert "1. Background" in table.stdout and "words; about" in table.stdout

    assert cli("briefing", "check", str(briefing_id)).exit_code == 0
    text = tmp_path / "part3.txt"
    text.write_text("Kayleigh's visits were written up late.\n", encoding="utf-8")
    edited = cli("briefing", "edit", str(briefing_id), "--part", "3", "--from-file", str(text))
    assert edited.exit_code == 0, edited.output
    checked = cli("briefing", "check", str(briefing_id), "--format", "json")
    assert checked.exit_code == 1
    assert json.loads(checked.stdout)["problems"][0]["why"] == "the mother's given name"
    refused = cli("briefing", "publish", str(briefing_id))
    assert refused.exit_code == 1 and "the mother's given name" in refused.output

    long = " ".join(["word"] * 1000)
    warned = cli("briefing", "edit", str(briefing_id), "--part", "3", "--text", long)
    assert warned.exit_code == 0 and "more than 7 minutes" in warned.output
    assert cli("briefing", "edit", str(briefing_id), "--part", "3", "--text",
               "Visits were written up weeks late.").exit_code == 0
    relabelled = cli("briefing", "edit", str(briefing_id), "--part", "3", "--label",
                     "Recording delays", "--question", "What will we change?")
    assert relabelled.exit_code == 0, relabelled.output
    assert cli("briefing", "publish", str(briefing_id)).exit_code == 0
    body = json.loads(cli("briefing", "show", str(briefing_id), "--format", "json").stdout)
    assert body["parts"][2]["label"] == "Recording delays"
    assert body["reflection_questions"] == ["What will we change?"]
    assert body["status"] == "published"

    # usage mistakes exit 2; unknown things exit 1
    assert cli("briefing", "edit", str(briefing_id), "--text", "x").exit_code == 2
    assert cli("briefing", "edit", str(briefing_id), "--part", "8", "--text", "x"
               ).exit_code == 2
    assert cli("briefing", "show", "99999").exit_code == 1


def test_cli_render_all_three_formats(cli: Any, review: Any, tmp_path: Path) -> None:
    from docx import Document
    from pypdf import PdfReader

    briefing = compose(review)
    pdf = tmp_path / "out" / "briefing.pdf"
    not_yet = cli("briefing", "render", str(review.pk), "--format", "pdf", "-o", str(pdf))
    assert not_yet.exit_code == 1 and "is a draft" in not_yet.output
    assert cli("briefing", "render", str(review.pk), "--format", "rtf", "-o", str(pdf)
               ).exit_code == 2
    assert cli("briefing", "render", "99999", "--format", "pdf", "-o", str(pdf)).exit_code == 1

    draft = cli("briefing", "render", str(review.pk), "--format", "html", "-o",
                str(tmp_path / "draft.html"), "--draft")
    assert draft.exit_code == 0, draft.output
    assert "DRAFT: not for publication" in (tmp_path / "draft.html").read_text("utf-8")
    assert cli("briefing", "publish", str(briefing.pk)).exit_code == 0

    done = cli("briefing", "render", str(review.pk), "--format", "pdf", "-o", str(pdf))
    assert done.exit_code == 0, done.output
    reader = PdfReader(pdf)
    assert 1 <= len(reader.pages) <= 2
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    headings = [f"{p.number}. {p.label}" for p in briefing.parts.order_by("number")]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "Baby S" in text and "Safeguarding Partnership" in text
    found = identifiers_for_child(review.child_id)
    for name in found.names:
        assert not re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE), name
    for day in found.dates:
        for form in written_forms(day)[:15]:
            assert form not in text
    assert "9994123785" not in text.replace(" ", "") and "SK58PB" not in text.replace(" ", "")

    docx_path = tmp_path / "briefing.docx"
    assert cli("briefing", "render", str(review.pk), "--format", "docx", "-o", str(docx_path)
               ).exit_code == 0
    doc = Document(io.BytesIO(docx_path.read_bytes()))
    numbered = [p.text for p in doc.paragraphs
                if p.style.name == "Heading 1" and p.text[:1].isdigit()]
    assert numbered == headings

    html_path = tmp_path / "briefing.html"
    assert cli("briefing", "render", str(review.pk), "--format", "html", "-o", str(html_path)
               ).exit_code == 0
    page = html_path.read_text("utf-8")
    assert '<html lang="en-GB">' in page and "DRAFT" not in page

    # a name that reaches the text after publication still stops the render
    from joinedup.briefings.models import Briefing

    part = Briefing.objects.get(pk=briefing.pk).parts.get(number=1)
    part.text += " Daniel was there."
    part.save()
    stopped = cli("briefing", "render", str(review.pk), "--format", "html", "-o",
                  str(html_path))
    assert stopped.exit_code == 1 and "the father's given name" in stopped.output
    forced = cli("briefing", "render", str(review.pk), "--format", "html", "-o",
                 str(html_path), "--override-reason", "Internal panel copy")
    assert forced.exit_code == 0 and "override is recorded" in forced.output
    assert briefing.overrides.get().action == "rendered as html"


def test_a_learning_activity_appears_in_the_reach_reports(cli: Any, review: Any) -> None:
    from joinedup.briefings.services import publish

    briefing = compose(review)
    early = cli("briefing", "activity", "add", str(briefing.pk), "--agency", "HV", "--team",
                "North", "--on", "2025-07-01", "--attendees", "8", "--facilitator", "Team lead")
    assert early.exit_code == 1 and "not published" in early.output
    publish(briefing.pk, "lead", published_on=dt.date(2025, 6, 30))
    for agency, team, attendees in (("HV", "North health visiting", 8),
                                    ("HV", "South health visiting", 6),
                                    ("CSC", "Assessment team 2", 11)):
        added = cli("briefing", "activity", "add", str(briefing.pk), "--agency", agency,
                    "--team", team, "--on", "01/07/2025", "--attendees", str(attendees),
                    "--facilitator", "Team lead", "--reflections", "We rarely ask about men",
                    "--change", "Ask who else lives at or visits the home")
        assert added.exit_code == 0, added.output
    assert cli("briefing", "activity", "add", str(briefing.pk), "--agency", "NOPE", "--team",
               "x", "--on", "2025-07-01", "--attendees", "3", "--facilitator", "y"
               ).exit_code == 1
    assert cli("briefing", "activity", "add", str(briefing.pk), "--agency", "HV", "--team",
               "x", "--on", "2025-07-01", "--attendees", "0", "--facilitator", "y"
               ).exit_code == 2

    by_briefing = json.loads(cli("briefing", "reach", "--briefing", str(briefing.pk),
                                 "--format", "json").stdout)
    assert by_briefing["total_attendees"] == 25 and by_briefing["teams"] == 3
    hv = next(a for a in by_briefing["agencies"] if a["agency"] == "HV")
    assert hv["teams"] == ["North health visiting", "South health visiting"]
    assert hv["attendees"] == 14 and hv["last_used_on"] == "2025-07-01"
    assert "HV" not in by_briefing["agencies_not_yet"]
    assert "GP" in by_briefing["agencies_not_yet"]
    assert by_briefing["activities"][0]["changes"] == "Ask who else lives at or visits the home"

    gp = json.loads(cli("briefing", "reach", "--agency", "GP", "--format", "json").stdout)
    assert gp["used"] == [] and [b["briefing"] for b in gp["not_yet_used"]] == [briefing.pk]
    csc = json.loads(cli("briefing", "reach", "--agency", "csc", "--format", "json").stdout)
    assert csc["not_yet_used"] == [] and csc["used"][0]["attendees"] == 11
    overall = json.loads(cli("briefing", "reach", "--format", "json").stdout)
    assert overall[0]["agencies"] == ["CSC", "HV"] and overall[0]["total_attendees"] == 25
    assert "North health visiting" in cli("briefing", "reach", "--briefing",
                                          str(briefing.pk)).stdout
    assert cli("briefing", "reach", "--briefing", "1", "--agency", "HV").exit_code == 2


def test_a_team_cannot_have_used_a_briefing_before_it_was_published(review: Any) -> None:
    from joinedup.briefings.activities import record_activity
    from joinedup.briefings.services import edit_part, publish

    briefing = compose(review)
    edit_part(briefing.pk, 5, "author", text="Nobody asked the nursery.")
    edit_part(briefing.pk, 6, "author", text="- Ask the nursery.")
    with pytest.raises(ActionError, match="in the future"):
        publish(briefing.pk, "author", published_on=dt.date.today() + dt.timedelta(days=1))
    publish(briefing.pk, "author", published_on=dt.date(2025, 12, 4))
    briefing.refresh_from_db()
    assert briefing.published_at is not None
    assert briefing.published_at.date() == dt.date(2025, 12, 4)
    with pytest.raises(ActionError) as refused:
        record_activity(briefing.pk, agency="HV", team="Health visitors",
                        held_on=dt.date(2025, 12, 3), attendees=5, facilitator="Lead",
                        who="author")
    assert str(refused.value) == (f"Briefing {briefing.pk} was published on 04/12/2025, so "
                                  "no team used it on 03/12/2025: check the date of the "
                                  "session.")
    used = record_activity(briefing.pk, agency="HV", team="Health visitors",
                           held_on=dt.date(2025, 12, 4), attendees=5, facilitator="Lead",
                           who="author")
    assert used.held_on == dt.date(2025, 12, 4)
