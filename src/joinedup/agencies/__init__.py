"""Agencies and the returns they send: who sent what, which every record cites (docs/cli.md
"agency").

Its public face: what the interfaces (cli, web, api) may use, loaded on first use
(``joinedup.public_face``).
"""

from typing import TYPE_CHECKING

from joinedup import public_face

__all__ = [
    "AREAS",
    "Agency",
    "Area",
    "Submission",
    "area_for",
    "area_label",
    "area_name",
    "is_area_code",
    "is_english_area",
    "register_agency",
]

if TYPE_CHECKING:
    from joinedup.agencies.areas import (
        AREAS,
        Area,
        area_for,
        area_label,
        area_name,
        is_area_code,
        is_english_area,
    )
    from joinedup.agencies.models import Agency, Submission
    from joinedup.agencies.registry import register_agency

__getattr__ = public_face.lazy(__name__, __file__)
