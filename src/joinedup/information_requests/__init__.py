"""Information requests between agencies and multi-agency professionals meetings.

Both are things practitioners do *about* a child rather than things an agency sends in a
return, so joinedup records them itself and puts them on the chronology (INFO_REQUEST_SENT,
INFO_RECEIVED, PROFESSIONALS_MEETING) where the early-warning rules can see them. The API
other code calls is in :mod:`joinedup.information_requests.services`.
"""
