"""A corpus of malformed returns, built in a test's own folder at test time (no binary files
are kept in the repository). Each builder writes one return and gives back its path.

The good rows are the same everywhere (:data:`GOOD_PERSON`, :data:`GOOD_EVENT`), so a test
can tell the rows that should load from the one that should not.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

PEOPLE_HEADER = ["person_id", "given_name", "family_name", "date_of_birth", "sex"]
EVENTS_HEADER = ["event_id", "person_id", "event_type", "occurred_at", "recorded_at", "summary"]
GOOD_PERSON = ["P1", "Jade", "Walker", "2003-03-14", "F"]
GOOD_EVENT = ["E1", "P1", "HV_VISIT", "2025-01-10", "2025-01-12", "Visit at home"]

FORMULAS = ('=HYPERLINK("http://x.invalid","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)")
"""Text a spreadsheet would run as a formula: sent as names and summaries in a return."""
CONTROL = "Seen at\x0bhome\x1b"
"""A summary holding control characters, which XML (so a Word document) cannot hold."""


def csv_text(header: list[str], *rows: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def good_people(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "people.csv").write_text(csv_text(PEOPLE_HEADER, GOOD_PERSON), encoding="utf-8")
    return folder


# -- 1. truncated files --

def csv_cut_in_quoted_cell(folder: Path) -> Path:
    """events.csv whose last row is cut inside a quoted summary."""
    text = csv_text(EVENTS_HEADER, GOOD_EVENT) + 'E2,P1,HV_VISIT,2025-01-10,2025-01-12,"Visit at ho'
    (good_people(folder) / "events.csv").write_text(text, encoding="utf-8")
    return folder


def csv_cut_mid_row(folder: Path) -> Path:
    """events.csv whose last row stops part-way (no closing line break, cells missing)."""
    text = csv_text(EVENTS_HEADER, GOOD_EVENT) + "E2,P1,HV_VISIT,2025-01"
    (good_people(folder) / "events.csv").write_text(text, encoding="utf-8")
    return folder


def workbook(path: Path, people: list[list[object]], events: list[list[object]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "people"
    for row in [PEOPLE_HEADER, *people]:
        sheet.append(row)
    events_sheet = book.create_sheet("events")
    for row in [EVENTS_HEADER, *events]:
        events_sheet.append(row)
    book.save(path)
    return path


def xlsx_cut_in_half(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = workbook(folder / "return.xlsx", [GOOD_PERSON] * 1, [GOOD_EVENT])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


CENSUS = """<?xml version="1.0" encoding="UTF-8"?>
{prolog}<Message xmlns="http://www.dcsf.gov.uk/schemas/CBDS">
<Header><Source><LEA>350</LEA><ReferenceDate>2025-03-31</ReferenceDate></Source></Header>
<Children>
{children}
</Children>
</Message>
"""

CHILD = ("<Child><ChildIdentifiers><LAchildID>{id}</LAchildID>"
         "<PersonBirthDate>2020-01-01</PersonBirthDate><GenderCurrent>1</GenderCurrent>"
         "</ChildIdentifiers><CINdetails><CINreferralDate>2024-05-01</CINreferralDate>"
         "<ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>"
         "</CINdetails></Child>")


def census(folder: Path, name: str, children: str, prolog: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(CENSUS.format(prolog=prolog, children=children), encoding="utf-8")
    return path


def census_cut_short(folder: Path) -> Path:
    path = census(folder, "cin.xml", "\n".join(CHILD.format(id=f"C{i}") for i in range(20)))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


def json_cut_short(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "return.json"
    text = json.dumps({"people": [dict(zip(PEOPLE_HEADER, GOOD_PERSON, strict=True))] * 3})
    path.write_text(text[: len(text) - 25], encoding="utf-8")
    return path


# -- 2. wrong encodings --

def people_encoded(folder: Path, encoding: str, given_name: str = "Renée") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "people.csv"
    text = csv_text(PEOPLE_HEADER, GOOD_PERSON, ["P2", given_name, "Price", "2001-05-02", "F"])
    path.write_bytes(text.encode(encoding))
    return path


def events_with_bad_utf8(folder: Path) -> Path:
    text = csv_text(EVENTS_HEADER, GOOD_EVENT).encode() + (
        b"E2,P1,HV_VISIT,2025-01-10,2025-01-12,Paid \xa3\xff\xfe\r\n")
    (good_people(folder) / "events.csv").write_bytes(text)
    return folder


def with_bom(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "people.csv").write_bytes(
        b"\xef\xbb\xbf" + csv_text(PEOPLE_HEADER, GOOD_PERSON).encode())
    (folder / "events.csv").write_bytes(
        b"\xef\xbb\xbf" + csv_text(EVENTS_HEADER, GOOD_EVENT).encode())
    return folder


# -- 3. huge cells --

def events_with_summary(folder: Path, summary: str) -> Path:
    """Row 2 good, row 3 with ``summary``, row 4 good: streamed, never built as one string
    more than once."""
    good_people(folder)
    with (folder / "events.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(EVENTS_HEADER)
        writer.writerow(GOOD_EVENT)
        writer.writerow(["E2", "P1", "HV_VISIT", "2025-01-10", "2025-01-12", summary])
        writer.writerow(["E3", *GOOD_EVENT[1:]])
    return folder


# -- 4. formula injection --

def formulas(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "people.csv").write_text(csv_text(
        PEOPLE_HEADER, ["P1", FORMULAS[0], FORMULAS[1], "2024-03-14", "F"],
        ["P2", "Jade", "Walker", "2003-03-14", "F"]), encoding="utf-8")
    (folder / "events.csv").write_text(csv_text(EVENTS_HEADER, *[
        [f"E{n}", "P1", "HV_VISIT", f"2025-01-1{n}", f"2025-01-1{n}", text]
        for n, text in enumerate((*FORMULAS, CONTROL))]), encoding="utf-8")
    return folder


# -- 5. XML attacks on the CIN census --

def billion_laughs(folder: Path) -> Path:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10))
    return census(folder, "laughs.xml", CHILD.format(id="&lol9;"),
                  prolog=f"<!DOCTYPE Message [{entities}]>\n")


def external_entity(folder: Path) -> Path:
    return census(folder, "xxe.xml", CHILD.format(id="&xxe;"),
                  prolog='<!DOCTYPE Message [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n')


def dtd_fetch(folder: Path) -> Path:
    return census(folder, "dtd.xml", CHILD.format(id="C1"),
                  prolog='<!DOCTYPE Message SYSTEM "http://127.0.0.1:9/cin.dtd">\n')


# -- 6. zip bombs as .xlsx --

ROW = b'<row><c t="inlineStr"><is><t>HV_VISIT</t></is></c></row>'


def xlsx_bomb(folder: Path, unpacked_mb: int, level: int) -> Path:
    """A workbook whose events sheet unpacks to ``unpacked_mb`` MB of repeated rows; the zip
    is written a block at a time so building it takes little memory."""
    folder.mkdir(parents=True, exist_ok=True)
    good = workbook(folder / "good.xlsx", [GOOD_PERSON], [GOOD_EVENT])
    path = folder / "bomb.xlsx"
    block = ROW * (1024 * 1024 // len(ROW))
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(
            path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as bomb:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != "xl/worksheets/sheet2.xml":
                bomb.writestr(info.filename, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with bomb.open(info.filename, "w", force_zip64=True) as member:
                member.write(head)
                written = 0
                while written < unpacked_mb * 1024 * 1024:
                    member.write(block)
                    written += len(block)
                member.write(b"</sheetData>" + tail)
    good.unlink()
    return path


def xlsx_claiming_many_rows(folder: Path) -> Path:
    """A small workbook whose events sheet says it runs to row 2,000,000."""
    folder.mkdir(parents=True, exist_ok=True)
    good = workbook(folder / "good.xlsx", [GOOD_PERSON], [GOOD_EVENT])
    path = folder / "rows.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b'<dimension ref="A1:F2"/>',
                                    b'<dimension ref="A1:F2000000"/>')
                assert b"F2000000" in data
            out.writestr(info.filename, data)
    good.unlink()
    return path


# -- 7. characters no database can store --

def people_with_nul(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "people.csv").write_text(csv_text(
        PEOPLE_HEADER, GOOD_PERSON, ["P2", "Ja\x00de", "Price", "2001-05-02", "F"]),
        encoding="utf-8")
    return folder


def events_with_nul(folder: Path) -> Path:
    """A NUL in a summary of events.csv (the file DuckDB's bulk lane reads)."""
    text = csv_text(EVENTS_HEADER, GOOD_EVENT,
                    ["E2", "P1", "HV_VISIT", "2025-01-10", "2025-01-12", "Vis\x00it"])
    (good_people(folder) / "events.csv").write_text(text, encoding="utf-8")
    return folder


def json_with_unstorable(folder: Path) -> Path:
    """JSON escapes for a NUL and half a surrogate pair (valid JSON, unstorable text)."""
    folder.mkdir(parents=True, exist_ok=True)
    person = dict(zip(PEOPLE_HEADER, GOOD_PERSON, strict=True))
    event = dict(zip(EVENTS_HEADER, GOOD_EVENT, strict=True))
    text = json.dumps({
        "people": [person, {**person, "person_id": "P2", "family_name": "Pr@SURROGATE@ice"}],
        "events": [event, {**event, "event_id": "E2", "summary": "Vis@NUL@it"},
                   {**event, "event_id": "E3", "details": {"note": "x@SURROGATE@"}}],
    })
    path = folder / "return.json"
    path.write_text(text.replace("@SURROGATE@", "\\ud800").replace("@NUL@", "\\u0000"),
                    encoding="utf-8")
    return path
