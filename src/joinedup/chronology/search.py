"""Keyword search over a chronology as one reader sees it.

An entry matches when every word asked for appears (in any case) in the words the reader is
shown of it: its kind of event in plain words and its summary, or, for an entry shown as a
headline, the policy's replacement text. The agency's own summary of a held-back entry and
the details of any entry are never searched, so a search cannot reveal what the visibility
gate hides (a match would say the hidden words are there).
"""

from __future__ import annotations

from joinedup.chronology.sharing import HEADLINE_SHARE, Shown
from joinedup.chronology.versions import EventVersion
from joinedup.vocabulary import event_label


def shown_text(version: EventVersion, shown: Shown | None) -> str:
    """The words of ``version`` its reader is shown (``shown``: how the gate shows it)."""
    summary = (shown.replacement if shown is not None and shown.shared_as == HEADLINE_SHARE
               else version.summary)
    return f"{event_label(version.event_type)} {summary}"


def matches(words: str, version: EventVersion, shown: Shown | None) -> bool:
    """Whether every one of ``words`` is in what the reader is shown of ``version``."""
    text = shown_text(version, shown).casefold()
    return all(word in text for word in words.casefold().split())
