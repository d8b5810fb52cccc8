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

The message is for a person and names no interface: no command, no ``--option``, no
address. What to do next, when there is something to do, travels beside it as a
:class:`NextStep` (a stable name, e.g. ``set_up_database``) bound to its arguments (e.g.
the agency's code) in a :class:`Hint`::

    raise ConfigurationError("There is no database yet at /x.",
                             next_step=NextStep.SET_UP_DATABASE)
    raise AgencyError("There is no agency with code 'HV'.",
                      next_step=NextStep.REGISTER_AGENCY(agency="HV"))

Each interface words the hint its own way: the CLI as the command to run
(joinedup.cli.hints), the web as a link to the page where it is done or, where only a data
steward's command does it, in plain words (joinedup.web.hints); the API adds the step's
name to its error object (joinedup.api.errors). A test checks that every next step has a
CLI and a web wording, and that no domain message names a command or an option.

The CLI turns any ``JoinedUpError`` into its message, its hint and exit code 1 (the input
or the state is wrong), or into ``{"error": {"code": ..., "message": ..., "hint": ...}}``
on stdout when the command was asked for JSON; usage mistakes exit with 2.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class NextStep(enum.Enum):
    """What a person can do next about a refusal. The value is the stable name (never
    renamed once released); calling a step binds its arguments: ``FIND_PERSON()``,
    ``EDIT_BRIEFING(briefing=3)``. The arguments each step takes are noted beside it."""

    SET_UP_DATABASE = "set_up_database"
    REGISTER_AGENCY = "register_agency"  # agency: its code
    LIST_AGENCIES = "list_agencies"
    LINK_RECORDS = "link_records"
    FIND_PERSON = "find_person"
    LIST_USERS = "list_users"
    ADD_TEAM = "add_team"
    LIST_ALERTS = "list_alerts"
    LIST_REQUESTS = "list_requests"
    LIST_MEETINGS = "list_meetings"
    LIST_MEETING_ACTIONS = "list_meeting_actions"
    LIST_REVIEWS = "list_reviews"
    LIST_REVIEW_ACTIONS = "list_review_actions"
    SHOW_REVIEW_CHRONOLOGY = "show_review_chronology"  # review: its number
    DECIDE_REVIEW = "decide_review"  # review: its number
    ADD_THEME = "add_theme"
    LIST_BRIEFINGS = "list_briefings"
    COMPOSE_BRIEFING = "compose_briefing"  # review: its number
    EDIT_BRIEFING = "edit_briefing"  # briefing: its number
    PUBLISH_BRIEFING = "publish_briefing"  # briefing: its number
    CONFIRM_RESTORE = "confirm_restore"
    LIST_API_KEYS = "list_api_keys"
    GIVE_DETAIL = "give_detail"  # detail: which one (e.g. "reason", "due_date")

    def __call__(self, **arguments: str | int) -> Hint:
        return Hint(self, tuple(sorted((name, str(value)) for name, value in arguments.items())))


@dataclass(frozen=True)
class Hint:
    """A next step with its arguments, as a refusal carries it."""

    step: NextStep
    arguments: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        """The step's stable name."""
        return self.step.value

    def argument(self, name: str, default: str = "") -> str:
        return dict(self.arguments).get(name, default)


class JoinedUpError(Exception):
    """Base of every error joinedup raises on purpose. ``str()`` is the message for a person;
    ``hint`` is what they can do next, if anything (:class:`Hint`)."""

    code = "error"

    def __init__(self, *args: object, next_step: NextStep | Hint | None = None) -> None:
        super().__init__(*args)
        self.hint: Hint | None = (next_step() if isinstance(next_step, NextStep)
                                  else next_step)


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
