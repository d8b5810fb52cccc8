"""The practitioner an agency sends with an event: ``worker_name``, ``worker_contact`` and
``lead_professional`` (docs/data-contract.md, "events"), beside the ``worker_role`` agencies
already send.

They are optional and kept with the event as sent (with its other extra columns); a value
that breaks the rule below loads without that field and with a warning naming the row, the
column and the fix. The bulk lane for a large events.csv takes a row with such a value
through the same row-at-a-time checks (:func:`bulk_condition`), so the two lanes store the
same values.
"""

from __future__ import annotations

from typing import Any, Protocol

from joinedup.sql_names import quoted_text

MAX_WORKER_TEXT = 200
"""The longest worker_name or worker_contact (characters)."""
LEAD_YES = ("yes", "y", "true")
LEAD_NO = ("no", "n", "false")
TEXT_FIELDS = ("worker_name", "worker_contact")
LEAD = "lead_professional"


class Warn(Protocol):
    def __call__(self, column: str, message: str, fix: str, raw: object = None) -> None: ...


def is_lead(value: Any) -> bool:
    """Does ``lead_professional`` as stored say yes?"""
    return str(value).strip().lower() in LEAD_YES


def checked(extra: dict[str, Any], warn: Warn) -> dict[str, Any]:
    """``extra`` without the worker fields that break the rule, each with a warning."""
    kept = dict(extra)
    for column in TEXT_FIELDS:
        value = kept.get(column)
        if value is not None and len(str(value)) > MAX_WORKER_TEXT:
            warn(column, f"{column} is longer than {MAX_WORKER_TEXT} characters",
                 f"Send the practitioner's name or one contact (a telephone number or an "
                 f"email address) of at most {MAX_WORKER_TEXT} characters. The row loads "
                 "without it.", value)
            del kept[column]
    value = kept.get(LEAD)
    if value is not None and str(value).strip().lower() not in ("", *LEAD_YES, *LEAD_NO):
        warn(LEAD, f"{LEAD} {str(value)!r} is not yes or no",
             "Write yes when the event's practitioner is the child's lead professional, no "
             "when not, or leave it empty. The row loads without it.", value)
        del kept[LEAD]
    return kept


def bulk_condition(name: str, column: str) -> str:
    """The SQL condition (DuckDB) that the extra column ``name`` (``column``, quoted) holds
    a value :func:`checked` keeps; true for any other column."""
    value = f"coalesce({column}, '')"
    if name in TEXT_FIELDS:
        return f"length({value}) <= {MAX_WORKER_TEXT}"
    if name == LEAD:
        words = ", ".join(quoted_text(w) for w in ("", *LEAD_YES, *LEAD_NO))
        return f"lower(trim({value})) IN ({words})"
    return "true"
