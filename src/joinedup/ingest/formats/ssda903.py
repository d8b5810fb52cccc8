"""Reader for the SSDA903 looked-after children return (one CSV per table, DD/MM/YYYY dates).

``header.csv`` gives one ``people`` row per looked-after child, flagged CARE_EXPERIENCED,
and, for a young mother (MOTHER = 1), a row for her baby and a MOTHER_OF relationship.
``episodes.csv`` gives LAC_EPISODE_START / LAC_EPISODE_END events. The other tables of the
return (reviews, missing episodes, adoption, outcomes, ...) are not imported: the canonical
vocabulary has no event for them (see ``docs/formats/ssda903.md``).

Only ``header.csv`` is required. File names are matched without regard to case. Column
names follow the one rule for every format (:mod:`joinedup.ingest.formats.column_names`)
and are used in upper case, as the DfE guidance writes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from joinedup.errors import UnreadableFileError
from joinedup.ingest.formats.base import SourceRow, file_size
from joinedup.ingest.formats.column_names import column_name
from joinedup.ingest.formats.csv_tables import TableFiles
from joinedup.ingest.problems import error, warning

FORMAT_NAME = "ssda903"
HEADER = "header.csv"
EPISODES = "episodes.csv"
NOT_IMPORTED = ("reviews.csv", "missing.csv", "ad1.csv", "placed_for_adoption.csv",
                "previous_permanence.csv", "oc2.csv", "oc3.csv", "uasc.csv", "sw_episodes.csv")

SEX_CODES = {"1": "M", "2": "F"}
# Columns of header.csv that become canonical values; the rest go to ``extra``.
HEADER_MAPPED = {"CHILD", "SEX", "DOB"}
# Episode columns copied into event details (never HOME_POST or PL_POST: postcodes).
START_DETAILS = {"RNE": "rne", "LS": "legal_status", "CIN": "cin", "PLACE": "place",
                 "PLACE_PROVIDER": "place_provider", "URN": "urn"}
END_DETAILS = {"REC": "reason", "REASON_PLACE_CHANGE": "reason_place_change"}
RNE_STARTED_CARE = "S"  # RNE S: started to be looked after (other codes: changes within care)
REC_STILL_IN_CARE = "X1"  # REC X1: episode ends and a new one starts the same day


class Ssda903Reader:
    """Streams an SSDA903 folder as canonical people, relationships and events rows."""

    format_name = FORMAT_NAME

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        files = _files_by_lower_name(self.folder)
        self.header_path = files.get(HEADER)
        self.episodes_path = files.get(EPISODES)
        self.skipped_files = sorted(p.name for name, p in files.items() if name in NOT_IMPORTED)
        self.total_bytes = sum(
            file_size(p) for p in (self.header_path, self.episodes_path) if p is not None
        )
        self._files = TableFiles()

    def bytes_done(self) -> int:
        return self._files.bytes_done()

    def rows(self) -> Iterator[SourceRow]:
        if not self.folder.is_dir():
            raise UnreadableFileError(
                f"{self.folder} is not a folder: an SSDA903 return is a folder of CSV files "
                f"(header.csv, episodes.csv, ...)."
            )
        if self.header_path is None:
            raise UnreadableFileError(
                f"The SSDA903 folder {self.folder} has no {HEADER}: it is the one table the "
                f"return must have (CHILD, SEX, DOB, ...)."
            )
        yield from self._header_rows(self.header_path)
        if self.episodes_path is not None:
            yield from self._episode_rows(self.episodes_path)

    # -- header.csv -------------------------------------------------------------------------

    def _header_rows(self, path: Path) -> Iterator[SourceRow]:
        where = path.name
        for line, row in self._csv(path, required=("CHILD",)):
            child = row.get("CHILD", "")
            person = SourceRow("people", line, {
                "person_id": child, "given_name": "", "family_name": "Unknown",
                "other_names": "", "date_of_birth": row.get("DOB", ""),
                "sex": SEX_CODES.get(row.get("SEX", ""), ""), "nhs_number": "",
                "postcode": "", "address": "", "uprn": "", "flags": "CARE_EXPERIENCED",
            }, where, holds_names=False)
            person.extra = {k: v for k, v in row.items() if k not in HEADER_MAPPED}
            person.extra["source_format"] = FORMAT_NAME
            sex = row.get("SEX", "")
            if sex and sex not in SEX_CODES:
                person.extra["SEX"] = sex
                person.problems.append(warning(
                    "people", line, "SEX", "SEX is not an SSDA903 code",
                    "Use 1 (male) or 2 (female); the child is imported with sex not recorded.",
                    sex, where,
                ))
            if not child:
                person.problems.append(error(
                    "people", line, "person_id", "The CHILD identifier is empty",
                    "Fill in CHILD (the child's looked-after identifier) and send the file "
                    "again.", location=where,
                ))
            mother = _is_mother(row.get("MOTHER", ""))
            if mother is None:
                person.problems.append(warning(
                    "people", line, "MOTHER", "MOTHER is not 1, 0 or empty",
                    "Use 1 if the child is a mother, otherwise leave it empty; no baby is "
                    "imported for this row.", row.get("MOTHER", ""), where,
                ))
            yield person
            if mother and child:
                yield from _baby_rows(child, row.get("MC_DOB", ""), line, where)

    # -- episodes.csv -----------------------------------------------------------------------

    def _episode_rows(self, path: Path) -> Iterator[SourceRow]:
        where = path.name
        used: set[str] = set()
        for line, row in self._csv(path, required=("CHILD", "DECOM")):
            child, start, end = row.get("CHILD", ""), row.get("DECOM", ""), row.get("DEC", "")
            problems = []
            if not child:
                problems.append(error(
                    "events", line, "person_id", "The CHILD identifier is empty",
                    "Fill in CHILD so the episode can be linked to its child.", location=where,
                ))
            if not start and end:
                problems.append(warning(
                    "events", line, "DECOM", "The episode has an end date but no start date",
                    "Fill in DECOM; only the end of the episode is imported.", location=where,
                ))
            key = f"{child}/episode/{_id_date(start) or 'ended-' + _id_date(end)}"
            if key in used:
                problems.append(warning(
                    "events", line, "DECOM", "Another episode of this child starts on the same "
                    "date", "Remove the duplicate episode; both are imported for now.",
                    start, where,
                ))
                k = 2
                while f"{key}/{k}" in used:
                    k += 1
                key = f"{key}/{k}"
            used.add(key)
            common = {"source_format": FORMAT_NAME, "recorded_at_from": "event date",
                      "episode_start_date": start}
            rne = row.get("RNE", "")
            if start:
                details = {**common, **{v: row.get(k, "") for k, v in START_DETAILS.items()},
                           "starts_period_of_care": rne.upper() == RNE_STARTED_CARE}
                summary = ("Started to be looked after" if rne.upper() == RNE_STARTED_CARE
                           else f"Looked-after episode started (reason for new episode: "
                                f"{rne or 'not given'})")
                yield _event(f"{key}/start", child, "LAC_EPISODE_START", start, summary,
                             details, line, where, problems)
                problems = []
            if end:
                rec = row.get("REC", "")
                ends_care = bool(rec) and rec.upper() != REC_STILL_IN_CARE
                details = {**common, **{v: row.get(k, "") for k, v in END_DETAILS.items()},
                           "ends_period_of_care": ends_care}
                summary = (f"Stopped being looked after (reason {rec})" if ends_care
                           else f"Looked-after episode ended (reason {rec or 'not given'})")
                yield _event(f"{key}/end", child, "LAC_EPISODE_END", end, summary, details,
                             line, where, problems)

    # -- CSV streaming ----------------------------------------------------------------------

    def _csv(self, path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
        """(line number, row with checked upper-case column names and stripped values)."""
        yield from self._files.rows(path, lambda fields: _named(fields, path.name, required))


def _named(fields: list[str], name: str, required: tuple[str, ...]) -> list[str]:
    """The first line's column names in capitals, checked: an SSDA903 table names its
    key columns."""
    if not fields:
        raise UnreadableFileError(f"{name} is empty: it has no header line.")
    names = [column_name(f, position, name).upper() for position, f in enumerate(fields, start=1)]
    missing = [c for c in required if c not in names]
    if missing:
        raise UnreadableFileError(
            f"{name} is not an SSDA903 table: its first line has no "
            f"{', '.join(missing)} column (found: {', '.join(fields[:8])})."
        )
    return names


def _baby_rows(mother_id: str, baby_dob: str, line: int, where: str) -> Iterator[SourceRow]:
    baby_id = f"{mother_id}-baby"
    baby = SourceRow("people", line, {
        "person_id": baby_id, "given_name": "", "family_name": "Unknown", "other_names": "",
        "date_of_birth": baby_dob, "sex": "", "nhs_number": "", "postcode": "", "address": "",
        "uprn": "", "flags": "",
    }, where, holds_names=False, extra={"source_format": FORMAT_NAME,
                                        "mother_person_id": mother_id,
                     "derived_from": "MOTHER and MC_DOB of the mother's header.csv row"})
    if not baby_dob:
        baby.problems.append(warning(
            "people", line, "MC_DOB", "MOTHER is 1 but MC_DOB (the baby's date of birth) is "
            "empty", "Fill in MC_DOB; the baby is imported without a date of birth.",
            location=where,
        ))
    yield baby
    yield SourceRow("relationships", line, {
        "person_id": mother_id, "related_person_id": baby_id, "relationship": "MOTHER_OF",
        "valid_from": baby_dob, "valid_to": "",
        "details": {"source_format": FORMAT_NAME, "derived_from": "MOTHER = 1 in header.csv"},
    }, where)


def _event(event_id: str, child: str, code: str, date: str, summary: str,
           details: dict[str, Any], line: int, where: str, problems: list) -> SourceRow:
    return SourceRow("events", line, {
        "event_id": event_id, "person_id": child, "event_type": code, "occurred_at": date,
        "recorded_at": date, "summary": summary, "related_person_id": "", "details": details,
    }, where, problems=list(problems))


def _id_date(raw: str) -> str:
    """DD/MM/YYYY as YYYY-MM-DD for event_ids (no slashes, same id whichever way it is sent).

    Not a validation: anything else is used as given, and the caller checks the date itself.
    """
    parts = raw.split("/")
    if len(parts) == 3 and [len(p) for p in parts] == [2, 2, 4] and all(p.isdigit() for p in parts):
        return f"{parts[2]}-{parts[1]}-{parts[0]}"
    return raw


def _is_mother(value: str) -> bool | None:
    """MOTHER: 1 yes; 0 or empty no; None if unreadable. "1.0" (a spreadsheet's float) is 1."""
    if value == "":
        return False
    try:
        number = float(value)
    except ValueError:
        return None
    if number in (0.0, 1.0):
        return number == 1.0
    return None


def _files_by_lower_name(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
