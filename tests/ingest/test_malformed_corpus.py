"""Bad input: a corpus of malformed returns (tests/ingest/malformed) sent to the real
`load_return` and to `joinedup ingest`. A file that cannot be read is refused whole, with a
message naming the file, the row or line where it applies and what to do, and the database
is left exactly as it was; a bad cell costs only its own row (quarantined, column named)."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from django.apps import apps

from joinedup.chronology.models import Event
from joinedup.errors import UnreadableFileError
from joinedup.ingest.loading import load_return
from joinedup.ingest.models import QuarantinedRow
from joinedup.people.models import PersonRecord
from tests.ingest import malformed

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

APPS = ("ingest", "people", "chronology")
WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def counts() -> dict[str, int]:
    """Rows in every table the ingest writes to (submissions, records, events, quarantine)."""
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()
            if m._meta.app_label in APPS}


@pytest.fixture
def cli(agency: Any, cli: Callable[..., Any]) -> Callable[..., Any]:
    """`joinedup ingest PATH --agency HV` (tests/conftest.py), with HV registered."""
    return lambda path: cli("ingest", str(path), "--agency", "HV")


def refused(path: Path, cli: Callable[..., Any], *expected: str) -> str:
    """Sent both ways, the file is refused whole, the database unchanged; the message."""
    before = counts()
    with pytest.raises(UnreadableFileError) as caught:
        load_return(path, "HV")
    assert counts() == before
    message = str(caught.value)
    for text in expected:
        assert text in message, message
    result = cli(path)
    assert result.exit_code == 1, result.output
    assert counts() == before
    shown = " ".join((result.stderr if hasattr(result, "stderr") else result.output).split())
    assert "Error:" in shown and " ".join(message.split()) in shown
    return message


# -- 1. truncated files --

def test_a_csv_cut_inside_a_quoted_cell_is_refused(agency: Any, cli: Any, tmp_path: Path) -> None:
    folder = malformed.csv_cut_in_quoted_cell(tmp_path / "r")
    refused(folder, cli, "events.csv, row 3", "cut short", "Send the whole file again")


def test_a_csv_cut_mid_row_loses_only_that_row(agency: Any, cli: Any, tmp_path: Path) -> None:
    folder = malformed.csv_cut_mid_row(tmp_path / "r")
    result = load_return(folder, "HV")
    assert (PersonRecord.objects.count(), Event.objects.count()) == (1, 1)
    assert result.tables["events"].quarantined == 1
    kept = QuarantinedRow.objects.get()
    assert (kept.location, kept.row_number) == ("events.csv", 3)
    assert "cut short" in kept.reason and "Send the whole file again" in kept.fix


@pytest.mark.parametrize("build, expected", [
    (malformed.xlsx_cut_in_half, ("return.xlsx", "cut short", "save it again")),
    (malformed.census_cut_short, ("cin.xml is not well-formed XML (line", "cut short")),
    (malformed.json_cut_short, ("return.json", "cut short", "send the whole file again")),
])
def test_truncated_files_are_refused(agency: Any, cli: Any, tmp_path: Path,
                                     build: Callable[[Path], Path],
                                     expected: tuple[str, ...]) -> None:
    refused(build(tmp_path / "r"), cli, *expected)


# -- 2. wrong encodings --

def test_a_utf16_csv_is_refused_saying_how_to_save_it(agency: Any, cli: Any,
                                                       tmp_path: Path) -> None:
    for n, encoding in enumerate(("utf-16", "utf-16-le")):
        path = malformed.people_encoded(tmp_path / f"r{n}", encoding)
        refused(path, cli, "people.csv", "UTF-16", "CSV UTF-8 (comma delimited)")


def test_a_windows_1252_csv_is_refused_naming_the_line(agency: Any, cli: Any,
                                                        tmp_path: Path) -> None:
    for n, name in enumerate(("Renée", "£50 Price")):
        path = malformed.people_encoded(tmp_path / f"r{n}", "cp1252", name)
        refused(path, cli, "people.csv, line 3", "not UTF-8", "Windows-1252",
                "CSV UTF-8 (comma delimited)")


def test_invalid_utf8_in_events_is_refused_whole(agency: Any, cli: Any, tmp_path: Path) -> None:
    # people.csv is fine, but nothing of the return is stored
    refused(malformed.events_with_bad_utf8(tmp_path / "r"), cli, "events.csv, line 3",
            "0xA3", "CSV UTF-8 (comma delimited)")


def test_a_utf8_byte_order_mark_is_accepted(agency: Any, tmp_path: Path) -> None:
    result = load_return(malformed.with_bom(tmp_path / "r"), "HV")
    assert result.rows_quarantined == 0
    assert PersonRecord.objects.get().source_id == "P1"
    assert Event.objects.get().source_id == "E1"


def test_utf16_json_is_refused(agency: Any, cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "return.json"
    path.write_bytes('{"people": []}'.encode("utf-16"))
    refused(path, cli, "return.json", "not UTF-8", "Save it as UTF-8")


# -- 3. huge cells --

def test_a_10_mb_cell_costs_its_row_only(agency: Any, cli: Any, tmp_path: Path) -> None:
    folder = malformed.events_with_summary(tmp_path / "r", "x" * 10_000_000)
    load_return(folder, "HV")
    assert sorted(Event.objects.values_list("source_id", flat=True)) == ["E1", "E3"]
    kept = QuarantinedRow.objects.get()
    assert (kept.row_number, kept.column) == (3, "summary")
    assert "10,000,000 characters long; the most joinedup takes is 10,000" in kept.reason
    assert len(kept.raw["summary"]) < 2_000  # the quarantine keeps the start, not 10 MB
    assert "10,000,000 characters in all" in kept.raw["summary"]


def test_the_summary_limit_is_10000_characters(agency: Any, tmp_path: Path) -> None:
    load_return(malformed.events_with_summary(tmp_path / "a", "y" * 10_000), "HV")
    load_return(malformed.events_with_summary(tmp_path / "b", "z" * 10_001), "HV")
    assert Event.objects.filter(source_id="E2").get().summary == "y" * 10_000
    assert QuarantinedRow.objects.get().column == "summary"


def test_names_longer_than_200_characters_are_refused_per_row(agency: Any, cli: Any,
                                                                tmp_path: Path) -> None:
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "people.csv").write_text(malformed.csv_text(
        malformed.PEOPLE_HEADER, malformed.GOOD_PERSON,
        ["P2", "A" * 201, "Price", "", ""], ["P3", "Ann", "B" * 200, "", ""]), encoding="utf-8")
    result = cli(folder)
    assert result.exit_code == 0, result.output
    assert "people.csv, row 3, column given_name" in " ".join(result.output.split())
    assert sorted(PersonRecord.objects.values_list("source_id", flat=True)) == ["P1", "P3"]


def test_a_cell_beyond_the_csv_limit_refuses_the_file(agency: Any, cli: Any,
                                                      tmp_path: Path) -> None:
    folder = malformed.events_with_summary(tmp_path / "r", "x" * (17 * 1024 * 1024))
    refused(folder, cli, "events.csv, row 3", "longer than 16,777,216 characters")


# -- 4. formula injection --

def test_formulas_are_stored_as_the_text_sent(agency: Any, tmp_path: Path) -> None:
    result = load_return(malformed.formulas(tmp_path / "r"), "HV")
    assert result.rows_quarantined == 0 and result.warnings == 0
    person = PersonRecord.objects.get(source_id="P1")
    assert (person.given_name, person.family_name) == malformed.FORMULAS[:2]
    assert sorted(Event.objects.values_list("summary", flat=True)) == sorted(
        (*malformed.FORMULAS, malformed.CONTROL))


def test_exports_neutralise_formulas(agency: Any, tmp_path: Path) -> None:
    from joinedup.chronology.assembly import assemble
    from joinedup.chronology.render import to_csv
    from joinedup.chronology.render.word import write_docx
    from joinedup.people.directory import resolve_person
    from joinedup.people.linking import link

    load_return(malformed.formulas(tmp_path / "r"), "HV")
    link()
    chronology = assemble(resolve_person("HV:P1"))
    assert len(chronology.entries) == len(malformed.FORMULAS) + 1

    rows = list(csv.DictReader(io.StringIO(to_csv(chronology))))
    cells = [value for row in rows for value in row.values() if value]
    assert {"'" + f for f in malformed.FORMULAS[2:]} <= set(cells)
    for cell in cells:  # no cell a spreadsheet would run
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell

    path = tmp_path / "chronology.docx"
    write_docx(chronology, path)
    with zipfile.ZipFile(path) as docx:
        xml = docx.read("word/document.xml")
    texts = [t.text or "" for t in ElementTree.fromstring(xml).iter(f"{WORD}t")]
    for formula in malformed.FORMULAS:  # plain text runs, with the apostrophe
        assert any(t.startswith("'" + formula) for t in texts), formula
        assert not any(t.startswith(formula) for t in texts), formula
    assert "Seen athome" in texts  # control characters left out, not a crash
    for field in (b"w:fldSimple", b"w:instrText", b"w:fldChar"):  # never a Word field
        assert field not in xml


# -- 5. XML attacks on the CIN census --

@pytest.mark.parametrize("build", [malformed.billion_laughs, malformed.external_entity,
                                   malformed.dtd_fetch])
def test_xml_entities_and_dtds_are_refused(agency: Any, cli: Any, tmp_path: Path,
                                           build: Callable[[Path], Path]) -> None:
    path = build(tmp_path / "r")
    message = refused(path, cli, path.name, "refused", "DTD", "Export the census again")
    assert "root:" not in message
    passwd = Path("/etc/passwd").read_text(errors="replace").splitlines()[0]
    assert passwd not in message


# -- 6. zip bombs as .xlsx --

def test_a_workbook_unpacking_to_600_mb_is_refused_before_reading(agency: Any, cli: Any,
                                                                  tmp_path: Path) -> None:
    path = malformed.xlsx_bomb(tmp_path / "r", 600, level=1)
    assert path.stat().st_size < 20 * 1024 * 1024
    started = time.monotonic()
    refused(path, cli, "bomb.xlsx", "refused before reading", "512 MB", "CSV")
    assert time.monotonic() - started < 10  # nothing was unpacked


def test_a_workbook_part_that_shrinks_too_much_is_refused(agency: Any, cli: Any,
                                                          tmp_path: Path) -> None:
    path = malformed.xlsx_bomb(tmp_path / "r", 64, level=9)
    refused(path, cli, "bomb.xlsx", "xl/worksheets/sheet2.xml shrinks", "200 times")


def test_a_workbook_claiming_two_million_rows_is_refused(agency: Any, cli: Any,
                                                         tmp_path: Path) -> None:
    path = malformed.xlsx_claiming_many_rows(tmp_path / "r")
    refused(path, cli, "rows.xlsx, sheet events", "more than 1,048,576 rows", "CSV")


# -- 7. characters no database can store --

def test_a_nul_in_a_csv_value_quarantines_its_row(agency: Any, cli: Any, tmp_path: Path) -> None:
    result = cli(malformed.people_with_nul(tmp_path / "r"))
    assert result.exit_code == 0, result.output
    shown = " ".join(result.output.split())
    assert "people.csv, row 3, column given_name: the given_name value holds a NUL" in shown
    assert PersonRecord.objects.get().source_id == "P1"
    kept = QuarantinedRow.objects.get()
    assert kept.column == "given_name" and kept.raw["given_name"] == "Ja\ufffdde"


def test_a_nul_in_events_csv_quarantines_its_row(agency: Any, tmp_path: Path) -> None:
    load_return(malformed.events_with_nul(tmp_path / "r"), "HV")  # the bulk lane's file
    assert Event.objects.get().source_id == "E1"
    assert QuarantinedRow.objects.get().column == "summary"


def test_json_nul_and_lone_surrogates_quarantine_their_rows(agency: Any, cli: Any,
                                                            tmp_path: Path) -> None:
    result = cli(malformed.json_with_unstorable(tmp_path / "r"))
    assert result.exit_code == 0, result.output
    assert PersonRecord.objects.get().source_id == "P1"
    assert Event.objects.get().source_id == "E1"
    columns = sorted(QuarantinedRow.objects.values_list("table", "column"))
    assert columns == [("events", "details"), ("events", "summary"), ("people", "family_name")]
    surrogate = QuarantinedRow.objects.get(column="family_name")
    assert "half of a surrogate pair" in surrogate.reason
    assert surrogate.raw["family_name"] == "Pr\ufffdice"
