"""The partnership overview's board export: the figures as a spreadsheet (one number a
line) and as a printable PDF with the charts, for the same people as the page, counts only."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from pypdf import PdfReader

from tests.web.steward.test_overview import client_for, overview, partnership
from tests.web.steward.test_overview_responses import answered

pytestmark = pytest.mark.django_db
__all__ = ["answered", "partnership"]  # the fixtures, used by name


def _csv(username: str = "unit", to: str = "2025-04") -> list[dict[str, str]]:
    response = client_for(username).get(f"/overview/board.csv?to={to}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="partnership-overview-12-months-to-2025-04.csv"')
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def _value(rows: list[dict[str, str]], table: str, row: str, column: str) -> str:
    found = [r["value"] for r in rows
             if (r["table"], r["row"], r["column"]) == (table, row, column)]
    assert len(found) == 1, (table, row, column, found)
    return found[0]


def test_the_page_links_to_both_downloads_for_the_period_shown(
        partnership: dict[str, Any]) -> None:
    _, html = overview()
    links = html.xpath("//a[@download]/@href")
    assert links == ["/overview/board.pdf?to=2025-04", "/overview/board.csv?to=2025-04"]


def test_the_spreadsheet_has_every_figure_of_the_page(answered: dict[str, Any]) -> None:
    rows = _csv()
    assert _value(rows, "About these figures", "Period", "") == "1 May 2024 to 30 April 2025"
    assert _value(rows, "Alerts raised each month, by rule", "Rule one in words",
                  "Mar 2025") == "1"
    assert _value(rows, "Alerts raised each month, by rule", "Rule one in words",
                  "Total") == "2"
    assert _value(rows, "What happened to the alerts, by priority", "All alerts",
                  "Still open") == "3"
    route = "Health Visiting to Children's Social Care"
    table = "Information request reply times, by route"
    assert _value(rows, table, route, "Median (working days)") == "5"
    assert _value(rows, table, route, "90th percentile (working days)") == "21"
    assert _value(rows, table, route, "Answered by the due date (%)") == "50.0"
    assert _value(rows, table, "All requests", "Sent") == "4"
    # no one has answered the area yet: no median, written as an empty cell
    assert _value(rows, table, "Health Visiting to Children's services of Manchester "
                  "(E08000003)", "Median (working days)") == ""
    assert _value(rows, "The main figures, month by month", "Mar 2025", "Requests sent") == "2"
    assert _value(rows, "Recording delay by agency, in working days", "Health Visiting",
                  "90th percentile") == "5"
    assert _value(rows, "Overdue actions, by the owner's agency", "GP Practice",
                  "From practice reviews") == "1"
    tables = {r["table"] for r in rows}
    assert any(t.startswith("Rates per 1,000 children known") for t in tables)
    assert any(t.startswith("Learning activities by agency") for t in tables)
    # counts only: the family is not named
    assert not [r for r in rows if "Overviewchild" in str(r) or "Overviewmother" in str(r)]


def test_each_download_is_in_the_audit_trail(partnership: dict[str, Any]) -> None:
    from joinedup.access.models import AuditEntry

    _csv()
    entry = AuditEntry.objects.filter(object_id="/overview/board.csv").get()
    assert entry.details["address"] == "/overview/board.csv?to=2025-04"


def test_a_label_a_spreadsheet_would_run_is_written_as_text(
        partnership: dict[str, Any]) -> None:
    from joinedup.agencies.models import Agency

    Agency.objects.filter(code="GP").update(name="=HYPERLINK(\"x\")")
    rows = _csv()
    owners = [r["row"] for r in rows if r["table"] == "Overdue actions, by the owner's agency"]
    assert "'=HYPERLINK(\"x\")" in owners


def test_the_board_report_is_a_pdf_with_the_figures(answered: dict[str, Any]) -> None:
    response = client_for("lead").get("/overview/board.pdf?to=2025-04")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="partnership-overview-12-months-to-2025-04.pdf"')
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Partnership overview" in text
    assert "1 May 2024 to 30 April 2025" in text
    assert "Information request reply times, by route" in text
    assert "Rates per 1,000 children known" in text
    assert "The main figures, month by month" in text
    assert "Overviewchild" not in text and "Overviewmother" not in text


def test_the_downloads_are_for_leads_and_the_business_unit_only(
        partnership: dict[str, Any]) -> None:
    for path in ("/overview/board.csv", "/overview/board.pdf"):
        for user in ("steward", "worker"):
            response = client_for(user).get(path)
            assert response.status_code == 403
            assert b"%PDF" not in response.content and b"table,row" not in response.content
