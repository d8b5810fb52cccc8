"""The one error tree of joinedup.

    class                         code              what it means
    JoinedUpError                 error             anything joinedup refuses to do
    ├── ConfigurationError        configuration     settings or environment are wrong
    │                                               (database URL, data folder)
    ├── AgencyError               agency            an agency is unknown, or registered twice
    │                                               with other details
    ├── IngestError               ingest            a return cannot be read at all (not one
    │   │                                           row of it)
    │   ├── UnreadableFileError   unreadable_file   missing, empty, wrong encoding, not the
    │   │                                           format it claims
    │   └── UnknownFormatError    unknown_format    the format cannot be worked out from the path
    ├── LinkageError              linkage           linkage cannot run, or a record or decision
    │                                               is wrong
    ├── NotFoundError             not_found         a person, alert, request or meeting asked
    │                                               for does not exist
    ├── RuleError                 rule              a rule in the catalogue is invalid (names
    │                                               the rule and the field)
    └── ActionError               action            an action is not allowed in the current state
        │                                           (e.g. dismissing an alert without a reason,
        │                                           answering a withdrawn request)
        ├── AccessDenied          access_denied     the user has no legitimate relationship
        │                                           with the child (joinedup.access.policy)
        └── IdentifiableError     identifiable      the de-identification guard found
                                                    identifiers in a briefing
                                                    (joinedup.briefings.services)

Every class has a stable ``code``: short, snake_case, never renamed once released, so a
script can tell one refusal from another without reading the message (docs/cli.md lists
them). A subclass always has a code of its own.

Row-level problems in a return are not exceptions: they are collected as
:class:`joinedup.ingest.problems.RowProblem` values and reported all at once, and the
rows they make unusable are kept in quarantine.

The CLI turns any ``JoinedUpError`` into its message and exit code 1 (the input or the
state is wrong), or into ``{"error": {"code": ..., "message": ...}}`` on stdout when the
command was asked for JSON; usage mistakes exit with 2.
"""

from __future__ import annotations


class JoinedUpError(Exception):
    """Base of every error joinedup raises on purpose. ``str()`` is the message for a person."""

    code = "error"


class ConfigurationError(JoinedUpError):
    """Settings or the environment are wrong."""

    code = "configuration"


class AgencyError(JoinedUpError):
    """An agency is unknown or inconsistent."""

    code = "agency"


class IngestError(JoinedUpError):
    """A return cannot be read at all."""

    code = "ingest"


class UnreadableFileError(IngestError):
    """The file is missing, empty, in the wrong encoding, or not the format it claims."""

    code = "unreadable_file"


class UnknownFormatError(IngestError):
    """The format of the return cannot be worked out."""

    code = "unknown_format"


class LinkageError(JoinedUpError):
    """Linkage cannot run as asked: no records, an unknown record, a contradictory decision."""

    code = "linkage"


class NotFoundError(JoinedUpError):
    """Something asked for by id does not exist (a person, an alert, a request, a meeting)."""

    code = "not_found"


class RuleError(JoinedUpError):
    """A rule in the catalogue is invalid; the message names the rule and the field."""

    code = "rule"


class ActionError(JoinedUpError):
    """An action is not allowed: a required reason is missing or the state forbids it."""

    code = "action"
