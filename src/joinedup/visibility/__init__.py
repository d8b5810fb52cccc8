"""The one visibility gate: how much of an entry on a child's record a reader sees
(``gate.py``), and the sharing policy for adult services' entries (``sharing.py``).

Pure functions and values, below every app that shows an entry: the chronology applies the
gate to each event, and the access app (``access/readers.py``) works out who the reader is.
docs/security.md describes the gate.
"""

from joinedup.visibility.gate import (
    CHILDRENS_SOCIAL_CARE,
    FULL,
    HEADLINE,
    NAME_WITHHELD,
    PROTECTED_REPLACEMENT,
    SEALED_NAME,
    VICTIM_SUPPORT_KINDS,
    VICTIM_SUPPORT_REPLACEMENT,
    WITHHELD,
    Reader,
    Sight,
    sight,
)
from joinedup.visibility.headlines import OFFENCE_GROUPS, Held
from joinedup.visibility.sharing import POLICY, Share, shareable

__all__ = [
    "CHILDRENS_SOCIAL_CARE",
    "FULL",
    "HEADLINE",
    "NAME_WITHHELD",
    "OFFENCE_GROUPS",
    "POLICY",
    "PROTECTED_REPLACEMENT",
    "SEALED_NAME",
    "VICTIM_SUPPORT_KINDS",
    "VICTIM_SUPPORT_REPLACEMENT",
    "WITHHELD",
    "Held",
    "Reader",
    "Share",
    "Sight",
    "shareable",
    "sight",
]
