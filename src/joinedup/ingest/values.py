"""Reading single values the way UK agencies write them: dates, NHS numbers, postcodes, UPRNs.

Each reader returns the clean value or raises :class:`ValueProblem` whose message says
what is wrong and whose ``fix`` says what to send instead. Nothing here guesses: an
ambiguous or impossible date is refused, never read as month/day.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from joinedup.local_time import ENGLAND
from joinedup.nhs_check_digit import checks

EARLIEST = dt.date(1900, 1, 1)

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_UK_DATETIME = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_SHORT_YEAR = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$")
POSTCODE = re.compile(
    r"^(GIR 0AA|[A-PR-UWYZ]([0-9][0-9A-HJKS-UW]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?) "
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)

DATE_FIX = "Write dates as YYYY-MM-DD (e.g. 2025-03-14) or DD/MM/YYYY (e.g. 14/03/2025)."
DATETIME_FIX = (
    "Write date-times as ISO 8601, e.g. 2025-03-14T09:30:00 (times are taken as UK time "
    "unless they end in Z or an offset such as +01:00), or a date alone."
)


class ValueProblem(ValueError):
    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


def parse_date(value: object) -> dt.date:
    """A calendar date from ISO (YYYY-MM-DD), DD/MM/YYYY, or a spreadsheet date cell."""
    if isinstance(value, dt.datetime):
        return _check_range(value.date())
    if isinstance(value, dt.date):
        return _check_range(value)
    text = str(value).strip()
    m = _ISO_DATE.match(text)
    if m:
        return _check_range(_make_date(int(m[1]), int(m[2]), int(m[3]), text))
    m = _UK_DATE.match(text)
    if m:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if month > 12 and day <= 12:
            raise ValueProblem(
                f"{text!r} is not a real day/month/year date: it looks like month/day order",
                "UK dates are day first: " + DATE_FIX,
            )
        return _check_range(_make_date(year, month, day, text))
    if _SHORT_YEAR.match(text):
        raise ValueProblem(f"{text!r} has a two-digit year, which is ambiguous", DATE_FIX)
    # A date-time where a date was asked for: take its date part if it reads cleanly.
    if len(text) > 10 and text[10] in "T ":
        return parse_datetime(text)[0].astimezone(ENGLAND).date()
    raise ValueProblem(f"{text!r} is not a date joinedup can read", DATE_FIX)


def parse_datetime(value: object) -> tuple[dt.datetime, bool]:
    """An aware date-time and whether a time of day was given.

    A date alone means midnight in England; a time without an offset is UK time.
    """
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=ENGLAND)
        _check_range(aware.date())
        return aware, True
    if isinstance(value, dt.date):
        return _midnight(_check_range(value)), False
    return _moment_from_text(str(value).strip())


@lru_cache(maxsize=4096)
def _moment_from_text(text: str) -> tuple[dt.datetime, bool]:
    """Cached: a return repeats the same dates many times. Problems are raised, not cached."""
    if len(text) <= 10:
        try:
            return _midnight(parse_date(text)), False
        except ValueProblem as problem:
            raise ValueProblem(problem.message, DATETIME_FIX) from None
    m = _UK_DATETIME.match(text)
    if m:
        day = parse_date(f"{m[1]}/{m[2]}/{m[3]}")
        try:
            moment = dt.datetime.combine(day, dt.time(int(m[4]), int(m[5]), int(m[6] or 0)))
        except ValueError:
            raise ValueProblem(f"{text!r} has an impossible time of day", DATETIME_FIX) from None
        return moment.replace(tzinfo=ENGLAND), True
    if not _ISO_DATE.match(text[:10]):
        raise ValueProblem(f"{text!r} is not a date-time joinedup can read", DATETIME_FIX)
    try:
        moment = dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise ValueProblem(f"{text!r} is not a real date-time", DATETIME_FIX) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ENGLAND)
    _check_range(moment.date())
    return moment, True


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=ENGLAND)


def _make_date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueProblem(f"{text!r} is not a real date", DATE_FIX) from None


def _check_range(day: dt.date) -> dt.date:
    if day < EARLIEST:
        raise ValueProblem(f"{day.isoformat()} is before 1900", "Check the year. " + DATE_FIX)
    return day


def nhs_number(value: object) -> str:
    """Ten digits passing the Modulus 11 check; spaces and hyphens are allowed in the input."""
    text = re.sub(r"[\s-]", "", str(value))
    fix = "Send the 10-digit NHS number exactly as on the patient record, or leave it empty."
    if not re.fullmatch(r"\d{10}", text):
        raise ValueProblem("an NHS number has exactly 10 digits", fix)
    if not checks(text):
        raise ValueProblem("this NHS number fails the Modulus 11 check (a digit is wrong)", fix)
    return text


def uprn(value: object) -> str:
    """A Unique Property Reference Number: a whole number of 1 to 12 digits, as digits
    without leading zeros ("100023336956"; a spreadsheet's 100023336956.0 is read too)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"\s", "", str(value))
    text = re.sub(r"^(\d+)\.0+$", r"\1", text)
    if not re.fullmatch(r"\d{1,12}", text) or int(text) == 0:
        raise ValueProblem(
            "a UPRN is a whole number of up to 12 digits",
            "Send the property's UPRN in digits only, e.g. 100023336956, or leave it empty "
            "(a spreadsheet showing it as 1.00023E+11 has lost digits: format the column as "
            "text or as a number with no decimal places and export it again).",
        )
    return str(int(text))


def postcode(value: object) -> str:
    """A UK postcode in upper case with one space before the inward part."""
    compact = re.sub(r"\s", "", str(value)).upper()
    shaped = f"{compact[:-3]} {compact[-3:]}" if len(compact) >= 5 else compact
    if not POSTCODE.match(shaped):
        raise ValueProblem(
            "this is not a UK postcode",
            "Send a full postcode such as SK1 3XE, or leave it empty.",
        )
    return shaped
