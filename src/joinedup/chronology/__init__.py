"""Events as each agency recorded them, bitemporal and versioned, and one multi-agency
chronology per child (``assembly.py``) with its renderings (``render/``: PDF, Word, CSV).

Its public face: what the interfaces (cli, web, api) may use, loaded on first use
(``joinedup.public_face``).
"""

from typing import TYPE_CHECKING

from joinedup import public_face

__all__ = [
    "Chronology",
    "Entry",
    "Event",
    "Gap",
    "MARKING",
    "RecordedAction",
    "Swimlane",
    "SwimlaneLink",
    "assemble",
    "draw",
    "long_date",
    "period_of",
    "print_table",
    "recorded_action",
    "to_csv",
    "to_dict",
    "to_json",
    "write_docx",
    "write_pdf",
]

if TYPE_CHECKING:
    from joinedup.chronology.actions import RecordedAction, recorded_action
    from joinedup.chronology.assembly import Chronology, Entry, assemble
    from joinedup.chronology.dates import long_date
    from joinedup.chronology.gaps import Gap
    from joinedup.chronology.models import Event
    from joinedup.chronology.render import print_table, to_csv, to_json, write_docx, write_pdf
    from joinedup.chronology.render.data import to_dict
    from joinedup.chronology.render.printable import MARKING
    from joinedup.chronology.render.swimlane import Link as SwimlaneLink
    from joinedup.chronology.render.swimlane import Swimlane, draw, period_of

__getattr__ = public_face.lazy(__name__, __file__)
