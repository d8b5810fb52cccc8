"""The people around the Baby S case, as users of joinedup."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

ON = dt.date(2025, 5, 21)
"""The day the local authority became aware of Baby S's injuries."""


@pytest.fixture
def staff(baby_s: dict[str, Any], db: None) -> SimpleNamespace:
    """A health visitor, a probation officer, a police officer, a CSC safeguarding lead, a
    school's practitioner (no involvement with the family) and a panel member."""
    from joinedup.access.users import add_user
    from joinedup.agencies.registry import register_agency

    register_agency("SCHOOL", "Heaton Primary School", "EDUCATION", "E08000007")
    register_agency("SSCP", "Safeguarding Partnership business unit", "OTHER", "E08000007")
    made = {
        "hv": add_user("hv.practitioner", "HV", ["practitioner"],
                       teams=["Stockport South health visiting"])[0],
        "probation": add_user("probation.officer", "PROBATION", ["practitioner"])[0],
        "police": add_user("police.officer", "POLICE", ["practitioner"])[0],
        "lead": add_user("csc.lead", "CSC", ["safeguarding_lead", "team_manager"])[0],
        "outsider": add_user("school.teacher", "SCHOOL", ["practitioner"])[0],
        "teammate": add_user("school.colleague", "SCHOOL", ["practitioner"],
                             teams=["Pastoral team"])[0],
        "panel": add_user("panel.member", "SSCP", ["review_panel_member"])[0],
        "school_lead": add_user("school.lead", "SCHOOL", ["safeguarding_lead"])[0],
    }
    return SimpleNamespace(**made, **baby_s)
