"""The Baby S chronology, as a practitioner and a review panel would read it: on screen,
as CSV and JSON, and printed (PDF and Word)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

from joinedup.chronology.assembly import assemble
from joinedup.chronology.render import CSV_COLUMNS, to_csv, to_dict, to_html, write_pdf

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def cli(baby_s: dict[str, Any], db: None, cli: Any) -> Any:
    """`joinedup ...` (tests/conftest.py) against the test database holding Baby S."""
    return cli


def entry(chronology: Any, agency: str, source_id: str) -> Any:
    return next((e for e in chronology.entries
                 if (e.agency, e.source_id) == (agency, source_id)), None)


def test_the_fathers_release_is_on_the_babys_chronology(baby_s: dict[str, Any],
                                                        db: None) -> None:
    c = assemble(baby_s["child"])
    release = entry(c, "PROBATION", "NDL-5520024")
    assert release is not None
    assert (release.occurred_on, release.event_type) == (dt.date(2024, 8, 16),
                                                         "CUSTODY_RELEASE")
    assert (release.person_id, release.role_label, release.person_name) == (
        baby_s["father"], "father", "Daniel Kerrigan")
    assert release.significance == "concern"
    assert release.worker_role == "probation officer"
    # in date order, and both parents' and the baby's events are there
    keys = [(e.occurred_at, e.agency, e.source_id) for e in c.entries]
    assert keys == sorted(keys)
    assert {"child", "mother", "father"} <= {e.role_label for e in c.entries}
    father = next(p for p in c.network if p.person_id == baby_s["father"])
    assert father.role_label == "father" and "PROBATION" in father.agencies


def test_known_by_leaves_out_what_was_recorded_later(baby_s: dict[str, Any], db: None) -> None:
    # the social worker's visit of 14 August 2024 was recorded on 5 September
    visit = entry(assemble(baby_s["child"]), "CSC", "CSC-EV-884107")
    assert (visit.occurred_on, visit.recorded_on) == (dt.date(2024, 8, 14),
                                                       dt.date(2024, 9, 5))
    assert visit.recording_delay == 15  # working days: 26 August was a bank holiday
    known = assemble(baby_s["child"], known_by=dt.date(2024, 9, 1))
    assert entry(known, "CSC", "CSC-EV-884107") is None
    assert entry(known, "PROBATION", "NDL-5520024") is not None
    assert all(e.recorded_on <= dt.date(2024, 9, 1) for e in known.entries)


def test_as_of_leaves_out_later_events(baby_s: dict[str, Any], db: None) -> None:
    c = assemble(baby_s["child"], as_of=dt.date(2024, 9, 12))
    assert max(e.occurred_on for e in c.entries) == dt.date(2024, 9, 12)
    assert entry(c, "HOSPITAL", "RWJ-ATT-6012236") is None  # the fracture in May 2025
    assert entry(assemble(baby_s["child"]), "HOSPITAL", "RWJ-ATT-6012236") is not None


def test_gaps_name_agencies_that_stopped_seeing_the_family(baby_s: dict[str, Any],
                                                           db: None) -> None:
    c = assemble(baby_s["child"])
    stopped = {g.agency: g for g in c.gaps if g.kind == "agency_stopped"}
    assert "MIDWIFERY" in stopped
    assert "the last was on 20 August 2024" in stopped["MIDWIFERY"].text


def test_cli_json_has_the_documented_keys(cli: Any, baby_s: dict[str, Any]) -> None:
    result = cli("chronology", "HV:HV-5510871", "--known-by", "01/09/2024", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert {"child", "as_of", "known_by", "entries", "gaps", "network"} <= set(body)
    assert body["child"] == {"person_id": baby_s["child"], "name": "Sienna Ashworth"}
    assert body["known_by"] == "2024-09-01" and body["as_of"] is None
    assert {"event", "agency", "source_id", "version", "date", "time", "event_type",
            "event_label", "person_id", "role_label", "person_name", "summary",
            "recorded_on", "recording_delay_working_days", "significance",
            "details"} <= set(body["entries"][0])
    assert "CSC-EV-884107" not in {e["source_id"] for e in body["entries"]}
    assert body["network"][0]["role_label"] == "child"


def test_cli_csv_header_and_filters(cli: Any) -> None:
    result = cli("chronology", "HV:HV-5510871", "--format", "csv", "--agency", "probation",
                 "--from", "2024-08-01", "--to", "2024-08-31")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0][:3] == ["date", "time", "agency"]
    found = [(r[0], r[2], r[5], r[8]) for r in rows[1:]]
    assert ("2024-08-16", "PROBATION", "CUSTODY_RELEASE", "father") in found
    assert all(r[2] == "PROBATION" and "2024-08" in r[0] for r in rows[1:])


def test_cli_table_shows_network_entries_and_gaps(cli: Any) -> None:
    result = cli("chronology", "HV:HV-5510871", "--as-of", "2024-09-15")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("Who is who") < out.index("Released from custody") < out.index("Gaps")
    assert "Daniel Kerrigan" in out and "PROBATION" in out


def test_cli_unknown_child_and_bad_input(cli: Any) -> None:
    unknown = cli("chronology", "999999")
    assert unknown.exit_code == 1
    assert "There is no person 999999" in unknown.output
    bad_date = cli("chronology", "HV:HV-5510871", "--as-of", "12/31/2024")
    assert bad_date.exit_code == 2
    assert "month/day order" in bad_date.output
    no_file = cli("chronology", "HV:HV-5510871", "--format", "pdf")
    assert no_file.exit_code == 2 and "-o" in no_file.output
    wrong_agency = cli("chronology", "HV:HV-5510871", "--agency", "NOPE")
    assert wrong_agency.exit_code == 1 and "no agency with code NOPE" in wrong_agency.output


def test_printable_pdf(baby_s: dict[str, Any], db: None, tmp_path: Path) -> None:
    from joinedup.chronology.render.pdf import weasyprint_html

    c = assemble(baby_s["child"], as_of=dt.date(2024, 9, 30))
    html = to_html(c, today=dt.date(2026, 11, 27))
    assert html.count("OFFICIAL-SENSITIVE") >= 2  # every page's margin, and the top
    assert "16 August 2024" in html and "Released from custody" in html
    assert f"person {baby_s['child']}" in html and "Daniel Kerrigan" in html
    assert "30 September 2024" in html  # the as-of date, in words
    document = weasyprint_html()(string=html).render()
    assert len(document.pages) >= 2
    path = tmp_path / "chronology.pdf"
    pages = write_pdf(c, path)
    assert path.read_bytes().startswith(b"%PDF") and path.stat().st_size > 10_000
    assert pages == len(document.pages)


def test_printable_word(cli: Any, baby_s: dict[str, Any], tmp_path: Path) -> None:
    from docx import Document

    path = tmp_path / "chronology.docx"
    result = cli("chronology", str(baby_s["child"]), "--known-by", "2024-09-01",
                 "--format", "docx", "-o", str(path))
    assert result.exit_code == 0, result.output
    doc = Document(str(path))
    assert doc.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert doc.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape
    headings = [[cell.text for cell in table.rows[0].cells] for table in doc.tables]
    assert ["Date", "Agency", "Event", "Source", "Significance"] in headings
    entries = next(t for t in doc.tables if t.rows[0].cells[0].text == "Date")
    release = next(r for r in entries.rows if "NDL-5520024" in r.cells[3].text)
    assert release.cells[0].text == "16 August 2024"
    assert "Released from custody" in release.cells[2].text
    assert "father: Daniel Kerrigan" in release.cells[2].text
    assert "recorded by probation officer" in release.cells[3].text
    assert release.cells[4].text == "Concern"


def test_cli_pdf_needs_and_writes_a_file(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "out.pdf"
    result = cli("chronology", "HV:HV-5510871", "--format", "pdf", "-o", str(path))
    assert result.exit_code == 0, result.output
    assert path.read_bytes()[:4] == b"%PDF"
    assert "Wrote" in result.stdout


def test_json_and_csv_agree(baby_s: dict[str, Any], db: None) -> None:
    c = assemble(baby_s["child"])
    body = to_dict(c)
    rows = list(csv.DictReader(io.StringIO(to_csv(c))))
    assert len(rows) == len(body["entries"]) == len(c.entries)
    assert [r["event_id"] for r in rows] == [e["source_id"] for e in body["entries"]]
    json.dumps(body)  # serialisable as it is
