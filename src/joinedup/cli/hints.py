"""A refusal's next step as the command line words it: the command to run.

Domain errors carry what to do next as a :class:`joinedup.errors.Hint` and name no
command; this is the one place that turns each next step into the command (or the option)
that does it. A test checks that every :class:`joinedup.errors.NextStep` is here.
"""

from __future__ import annotations

from joinedup.errors import Hint, NextStep

COMMANDS: dict[NextStep, str] = {
    NextStep.SET_UP_DATABASE: "`joinedup init` sets it up and brings it up to date.",
    NextStep.REGISTER_AGENCY: "Register it with `joinedup agency add {agency} --name ... "
                              "--kind ... --area ...`.",
    NextStep.LIST_AGENCIES: "`joinedup agency list` shows them.",
    NextStep.LINK_RECORDS: "Run `joinedup link` first.",
    NextStep.FIND_PERSON: "Person ids and record numbers come from `joinedup link`; "
                          "`joinedup export persons` lists them.",
    NextStep.LIST_USERS: "`joinedup users list` shows them.",
    NextStep.ADD_TEAM: "`joinedup users add ... --team NAME` creates one.",
    NextStep.LIST_ALERTS: "`joinedup alerts list` shows them.",
    NextStep.LIST_REQUESTS: "`joinedup requests list` shows them.",
    NextStep.LIST_MEETINGS: "`joinedup meetings list` shows them.",
    NextStep.LIST_MEETING_ACTIONS: "`joinedup meetings show MEETING` lists a meeting's "
                                   "actions.",
    NextStep.LIST_REVIEWS: "`joinedup review list` shows the reviews and their numbers.",
    NextStep.LIST_REVIEW_ACTIONS: "`joinedup review status REVIEW` lists each review's "
                                  "actions and their numbers.",
    NextStep.SHOW_REVIEW_CHRONOLOGY: "`joinedup review chronology {review} --format json` "
                                     "shows them.",
    NextStep.DECIDE_REVIEW: "Record the decision with `joinedup review decide {review} "
                            "--decision local_cspr ...`.",
    NextStep.ADD_THEME: "Add one with `joinedup review theme add CODE LABEL`.",
    NextStep.LIST_BRIEFINGS: "`joinedup briefing reach` lists the published ones; "
                             "`joinedup briefing compose REVIEW` drafts one.",
    NextStep.COMPOSE_BRIEFING: "Draft one with `joinedup briefing compose {review}`.",
    NextStep.EDIT_BRIEFING: "Change it with `joinedup briefing edit {briefing}`.",
    NextStep.PUBLISH_BRIEFING: "Publish it with `joinedup briefing publish {briefing}`, or "
                               "render the draft with `--draft`.",
    NextStep.CONFIRM_RESTORE: "Run again with `--force` to do so.",
    NextStep.LIST_API_KEYS: "`joinedup api-key list` shows them.",
    NextStep.GIVE_DETAIL: "Give it with {option}.",
}
"""Each next step as a sentence naming the command; ``{name}`` is the hint's argument."""

OPTIONS: dict[str, str] = {
    "agency": "`--agency CODE`",
    "attending": "`--attending CODE,CODE`",
    "criterion": "`--criterion LETTER=\"the reason it is met\"`",
    "decisions": "`--decisions`",
    "description": "`--description`",
    "format": "`--format`",
    "name": "`--name`",
    "narrative": "`--narrative`",
    "note": "`--note`",
    "override_reason": "`--override-reason TEXT`",
    "owner": "`--owner`",
    "part_change": "`--text`, `--from-file` or `--label`",
    "invited": "`--invite AGENCY,AGENCY`",
    "purpose": "`--purpose`",
    "date": "`--on`",
    "reason": "`--reason`",
    "reasons": "`--reasons`",
    "recipient": "`--to AGENCY` or `--to-area AREA`",
    "role": "`--role`",
    "title": "`--title`",
    "what_happened": "`--what`",
    "why": "`--why`",
}
"""The option that gives each detail a ``give_detail`` hint names."""


def command(hint: Hint) -> str:
    """The hint as the command line words it."""
    arguments = dict(hint.arguments)
    if hint.step is NextStep.GIVE_DETAIL:
        detail = arguments.get("detail", "")
        arguments["option"] = OPTIONS.get(detail, f"`--{detail.replace('_', '-')}`")
    return COMMANDS[hint.step].format(**arguments)
