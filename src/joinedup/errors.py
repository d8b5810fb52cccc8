"""The one error tree of joinedup.

    JoinedUpError                 anything joinedup refuses to do, with a message for a person
    ├── ConfigurationError        settings or environment are wrong (database URL, data folder)
    ├── AgencyError               an agency is unknown, or registered twice with other details
    ├── IngestError               a return cannot be read at all (not one row of it)
    │   ├── UnreadableFileError   missing, empty, wrong encoding, not the format it claims
    │   └── UnknownFormatError    the format cannot be worked out from the path
    ├── LinkageError              linkage cannot run, or a record or decision is wrong
    ├── NotFoundError             a person, alert, request or meeting asked for does not exist
    ├── RuleError                 a rule in the catalogue is invalid (names the rule and the field)
    └── ActionError               an action is not allowed in the current state (e.g. dismissing
        │                         an alert without a reason, answering a withdrawn request)
        ├── AccessDenied          the user has no legitimate relationship with the child
        │                         (joinedup.access.policy)
        └── IdentifiableError     the de-identification guard found identifiers in a briefing
                                  (joinedup.briefings.services)

Row-level problems in a return are not exceptions: they are collected as
:class:`joinedup.ingest.problems.RowProblem` values and reported all at once, and the
rows they make unusable are kept in quarantine.

The CLI turns any ``JoinedUpError`` into its message and exit code 1 (the input or the
state is wrong); usage mistakes exit with 2.
"""

from __future__ import annotations


class JoinedUpError(Exception):
    """Base of every error joinedup raises on purpose. ``str()`` is the message for a person."""


class ConfigurationError(JoinedUpError):
    """Settings or the environment are wrong."""


class AgencyError(JoinedUpError):
    """An agency is unknown or inconsistent."""


class IngestError(JoinedUpError):
    """A return cannot be read at all."""


class UnreadableFileError(IngestError):
    """The file is missing, empty, in the wrong encoding, or not the format it claims."""


class UnknownFormatError(IngestError):
    """The format of the return cannot be worked out."""


class LinkageError(JoinedUpError):
    """Linkage cannot run as asked: no records, an unknown record, a contradictory decision."""


class NotFoundError(JoinedUpError):
    """Something asked for by id does not exist (a person, an alert, a request, a meeting)."""


class RuleError(JoinedUpError):
    """A rule in the catalogue is invalid; the message names the rule and the field."""


class ActionError(JoinedUpError):
    """An action is not allowed: a required reason is missing or the state forbids it."""
