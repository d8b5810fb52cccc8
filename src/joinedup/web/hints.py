"""A refusal's next step as a page words it: a link to the page where it is done.

Domain errors carry what to do next as a :class:`joinedup.errors.Hint` and name no page;
this is the one place that turns each next step into a link (``reverse`` of the page's
name) or, where only a data steward or an administrator can do it from the command line,
into plain words saying who to ask. A test checks that every
:class:`joinedup.errors.NextStep` is here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from markupsafe import Markup

from joinedup.errors import Hint, JoinedUpError, NextStep


@dataclass(frozen=True)
class Link:
    """Words, and the page they link to (a URL name and the hint's arguments for it)."""

    words: str
    page: str
    arguments: tuple[str, ...] = ()


WORDINGS: dict[NextStep, str | Link] = {
    NextStep.SET_UP_DATABASE: "Ask a data steward to set up the database.",
    NextStep.REGISTER_AGENCY: "Ask a data steward to register agency {agency}.",
    NextStep.LIST_AGENCIES: "Ask a data steward which agencies are registered.",
    NextStep.LINK_RECORDS: "Ask a data steward to link the agencies' records first.",
    NextStep.FIND_PERSON: Link("Find the child", "children"),
    NextStep.LIST_USERS: "Ask the joinedup administrator for the user's name.",
    NextStep.ADD_TEAM: "Ask the joinedup administrator to add the team.",
    NextStep.LIST_ALERTS: Link("See the alerts", "alerts"),
    NextStep.LIST_REQUESTS: Link("See the information requests", "requests"),
    NextStep.LIST_MEETINGS: Link("See the professionals meetings", "meetings"),
    NextStep.LIST_MEETING_ACTIONS: Link("See the professionals meetings and their actions",
                                        "meetings"),
    NextStep.LIST_REVIEWS: Link("See the reviews", "reviews"),
    NextStep.LIST_REVIEW_ACTIONS: Link("See the reviews and their actions", "reviews"),
    NextStep.SHOW_REVIEW_CHRONOLOGY: Link("See the review's chronology", "review-chronology",
                                          ("review",)),
    NextStep.DECIDE_REVIEW: Link("Record the decision", "review-decision", ("review",)),
    NextStep.ADD_THEME: "Ask the partnership business unit to add the theme.",
    NextStep.LIST_BRIEFINGS: Link("See the briefings", "briefings"),
    NextStep.COMPOSE_BRIEFING: Link("Draft one from the review", "review", ("review",)),
    NextStep.EDIT_BRIEFING: Link("Edit the briefing", "briefing-edit", ("briefing",)),
    NextStep.PUBLISH_BRIEFING: Link("Publish it from the briefing's page", "briefing-edit",
                                    ("briefing",)),
    NextStep.CONFIRM_RESTORE: "Ask the joinedup administrator to restore it.",
    NextStep.LIST_API_KEYS: "Ask a data steward which API keys there are.",
    NextStep.GIVE_DETAIL: "Fill it in and send the form again.",
}
"""Each next step as a page words it; ``{name}`` in plain words is the hint's argument."""


def wording(hint: Hint) -> Markup:
    """The hint as a page shows it: a link where a page does it, plain words otherwise."""
    found = WORDINGS[hint.step]
    arguments = dict(hint.arguments)
    if isinstance(found, Link):
        url = reverse(found.page, args=[arguments[name] for name in found.arguments])
        return Markup('<a class="govuk-link" href="{}">{}</a>.').format(url, found.words)
    return Markup("{}").format(found.format(**arguments))


def refusal(exc: JoinedUpError) -> Markup:
    """The refusal's message followed by its next step, escaped, ready for a page."""
    message = Markup("{}").format(str(exc))
    if exc.hint is None:
        return message
    return message + Markup(" ") + wording(exc.hint)
