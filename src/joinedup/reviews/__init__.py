"""Statutory practice reviews: the rapid review and its clocks, the decision, the review's
chronology, findings, themes and actions, and how long the panel keeps access to the
child's record (``panel_access.py``).

Its public face: what the interfaces (cli, web, api) may use, loaded on first use
(``joinedup.public_face``).
"""

from typing import TYPE_CHECKING

from joinedup import public_face

__all__ = [
    "ActionStatus",
    "Decision",
    "Review",
    "ReviewAction",
    "ReviewChronology",
    "ReviewStatus",
    "STEP_LABELS",
    "Step",
    "StepStatus",
    "Theme",
    "access_until",
    "add_action",
    "add_finding",
    "add_theme",
    "clocks",
    "close_review",
    "complete_action",
    "decide",
    "ensure_default_themes",
    "findings",
    "get_review",
    "list_reviews",
    "open_review",
    "panel_grace_days",
    "panel_still_open",
    "record_step",
    "review_chronology",
    "review_dict",
    "review_row",
    "step_dict",
    "theme_analytics",
    "to_dict",
    "today",
    "workflow",
    "working_days_overdue",
    "write_docx",
    "write_pdf",
]

if TYPE_CHECKING:
    from joinedup.reviews import clocks, findings, workflow
    from joinedup.reviews.chronology import ReviewChronology, review_chronology, to_dict
    from joinedup.reviews.clocks import STEP_LABELS, working_days_overdue
    from joinedup.reviews.findings import add_action, add_finding, complete_action
    from joinedup.reviews.listing import review_dict, review_row, step_dict
    from joinedup.reviews.models import (
        ActionStatus,
        Decision,
        Review,
        ReviewAction,
        ReviewStatus,
        Step,
        StepStatus,
        Theme,
    )
    from joinedup.reviews.panel_access import access_until, panel_grace_days, panel_still_open
    from joinedup.reviews.render import write_docx, write_pdf
    from joinedup.reviews.themes import add_theme, ensure_default_themes, theme_analytics
    from joinedup.reviews.workflow import (
        close_review,
        decide,
        get_review,
        list_reviews,
        open_review,
        record_step,
        today,
    )

__getattr__ = public_face.lazy(__name__, __file__)
