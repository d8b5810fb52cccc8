"""Pages of a child's case: search, the case, chronology, swimlane, replay, break-glass,
and the auditors' "who looked"."""
