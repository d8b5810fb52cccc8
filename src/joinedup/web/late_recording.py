"""When an entry counts as recorded late, for every page that says so (the overview's
recording delay, the late recording page, the note on a child's chronology): the threshold of
the rule catalogue's "Recorded late" rule, defined in the domain
(``joinedup.alerts.agency_measures.late_after``), which also says when late recording held
back an alert."""

from __future__ import annotations

from joinedup.alerts import late_after

__all__ = ["late_after"]
