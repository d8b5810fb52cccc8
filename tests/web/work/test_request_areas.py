"""Sending a request to another area: England's children's services authorities are picked
by name, an area outside England is given by its code, and every page names the area."""

from __future__ import annotations

import html
from typing import Any

import pytest

from joinedup.information_requests.models import InformationRequest
from joinedup.information_requests.services import send_request

pytestmark = pytest.mark.django_db


def _details_tag(text: str) -> str:
    """The opening tag of the details holding the box for an area outside England."""
    summary = text.index("The area is not in England")
    start = text.rindex("<details", 0, summary)
    return text[start:text.index(">", start) + 1]


def _post(client: Any, child: int, person: int, **who: str) -> Any:
    return client.post(f"/requests/new/?child={child}", {
        "person": str(person), "reason": "CARE_HISTORY", "due_days": "15",
        "question": "The mother's records while looked after", **who})


def test_the_form_lists_the_areas_by_name_and_hides_the_code_box(web_case: Any,
                                                                  signed_in: Any) -> None:
    text = signed_in("social.worker").get(f"/requests/new/?child={web_case['child']}"
                                          ).content.decode()
    assert "Or, for an agency in another area, which area?" in text
    assert '<option value="E08000003">Manchester</option>' in text
    assert '<option value="E06000063">Cumberland</option>' in text
    assert "for example E08000003 for Manchester" not in text  # the old code box
    assert 'name="other_area"' in text[text.index("The area is not in England"):]
    assert _details_tag(text) == '<details class="govuk-details">'  # closed


def test_picking_manchester_by_name_sends_the_request_to_its_code(web_case: Any,
                                                                   signed_in: Any) -> None:
    client = signed_in("social.worker")
    page = _post(client, web_case["child"], web_case["mother"], to_area="E08000003")
    assert page.status_code == 302
    sent = InformationRequest.objects.get()
    assert (sent.to_agency, sent.to_area) == (None, "E08000003")
    detail = html.unescape(client.get(f"/requests/{sent.pk}/").content.decode())
    assert "The children's services of Manchester (E08000003)" in detail
    listed = client.get(f"/requests/?child={web_case['child']}").content.decode()
    assert "Manchester (E08000003)" in listed and "Area E08000003" not in listed
    record = client.get(f"/children/{web_case['child']}/").content.decode()
    assert "<td class=\"govuk-table__cell\">Manchester (E08000003)</td>" in record


def test_an_area_outside_england_is_given_by_its_code(web_case: Any, signed_in: Any) -> None:
    client = signed_in("social.worker")
    page = _post(client, web_case["child"], web_case["mother"], other_area=" w06000015 ")
    assert page.status_code == 302
    sent = InformationRequest.objects.get()
    assert sent.to_area == "W06000015"
    detail = html.unescape(client.get(f"/requests/{sent.pk}/").content.decode())
    assert "The children's services of W06000015 (Wales)" in detail


@pytest.mark.parametrize("who,message", [
    ({"to_agency": "POLICE", "to_area": "E08000003"}, "Select an agency or an area, not both"),
    ({"to_area": "E08000003", "other_area": "W06000015"},
     "Select an area in England or enter the code of an area outside England, not both"),
    ({"other_area": "Cardiff"},
     "Enter the area's code as a letter and eight digits, like W06000015 for Cardiff"),
    ({"other_area": "E07000117"}, "E07000117 is not a council with children's services in "
                                  "England: choose the area in the list above"),
    ({"to_area": "E08000020"}, "Select the area from the list"),  # Gateshead's old code
    ({}, "Select the agency you are asking, or the area whose children's services you are "
         "asking"),
])
def test_a_wrong_recipient_is_an_error_naming_the_fix(web_case: Any, signed_in: Any,
                                                      who: dict[str, str],
                                                      message: str) -> None:
    page = _post(signed_in("social.worker"), web_case["child"], web_case["mother"], **who)
    assert page.status_code == 400
    text = html.unescape(page.content.decode())
    assert "There is a problem" in text and text.count(message) == 2  # summary and field
    assert not InformationRequest.objects.exists()
    if "other_area" in who:  # open to show the problem, with what was typed
        assert _details_tag(text) == '<details class="govuk-details" open>'
        assert f'value="{who["other_area"]}"' in text


def test_my_work_and_the_chronology_name_the_area(web_case: Any, signed_in: Any) -> None:
    sent = send_request(from_agency="CSC", to_area="Stockport", person_id=web_case["mother"],
                        child_id=web_case["child"], reason="CARE_HISTORY",
                        question="Anything held", who="social.worker")
    assert sent.to_area == "E08000007"
    assert sent.sent_event.summary.startswith("Information requested from Stockport "
                                              "(E08000007)")
    text = signed_in("social.worker").get("/requests/?direction=sent").content.decode()
    assert "Stockport (E08000007)" in text
