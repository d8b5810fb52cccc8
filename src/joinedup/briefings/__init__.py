"""7-minute briefings: the learning from a practice review, told in seven numbered parts.

``compose`` drafts a briefing from a review; ``deidentify`` is the guard that keeps the
family's names, dates of birth, NHS numbers and addresses (``family_identifiers``) out of
anything published; ``render`` writes it as a web page, a tagged A4 PDF and a Word
document; ``activities`` records each time a team uses it and reports how far it has
reached (docs/briefings.md).

Its public face: what the interfaces (cli, web, api) may use, loaded on first use
(``joinedup.public_face``).
"""

from typing import TYPE_CHECKING

from joinedup import public_face

__all__ = [
    "Block",
    "Briefing",
    "BriefingStatus",
    "FORMATS",
    "Problem",
    "activities",
    "blocks",
    "check",
    "compose_briefing",
    "conf",
    "find_briefing",
    "identifiers_for_child",
    "length",
    "publish",
    "record_activity",
    "render_briefing",
    "services",
    "summary",
]

if TYPE_CHECKING:
    from joinedup.briefings import activities, conf, services
    from joinedup.briefings.activities import record_activity
    from joinedup.briefings.compose import compose_briefing
    from joinedup.briefings.deidentify import Problem
    from joinedup.briefings.family_identifiers import identifiers_for_child
    from joinedup.briefings.models import Briefing, BriefingStatus
    from joinedup.briefings.render import FORMATS, Block, blocks
    from joinedup.briefings.services import check, find_briefing, length, publish, summary
    from joinedup.briefings.services import render as render_briefing

__getattr__ = public_face.lazy(__name__, __file__)
