"""Registering the agencies that send returns."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from joinedup.agencies.models import Agency
from joinedup.errors import AgencyError
from joinedup.vocabulary import AGENCY_KINDS


def register_agency(code: str, name: str, kind: str, area_code: str) -> tuple[Agency, bool]:
    """Register an agency; registering it again with the same details changes nothing.

    Returns the agency and whether it was created.
    """
    code, kind, area_code = code.strip().upper(), kind.strip().upper(), area_code.strip().upper()
    if kind not in AGENCY_KINDS:
        raise AgencyError(
            f"{kind!r} is not an agency kind; use one of {', '.join(AGENCY_KINDS)}."
        )
    agency = Agency(code=code, name=name.strip(), kind=kind, area_code=area_code)
    try:
        agency.full_clean(validate_unique=False)
    except ValidationError as exc:
        messages = "; ".join(
            f"{field}: {' '.join(errs)}" for field, errs in exc.message_dict.items()
        )
        raise AgencyError(f"Agency {code!r} cannot be registered: {messages}") from None
    existing = Agency.objects.filter(code=code).first()
    if existing is not None:
        same = (existing.name, existing.kind, existing.area_code) == (agency.name, kind, area_code)
        if not same:
            raise AgencyError(
                f"Agency {code} is already registered as {existing.name!r} "
                f"({existing.kind}, area {existing.area_code}); the details given differ."
            )
        return existing, False
    agency.save()
    return agency, True
