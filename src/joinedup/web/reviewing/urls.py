"""Practice reviews, 7-minute briefings, presentation mode and learning activities."""
from django.urls import URLPattern, path

from joinedup.web.reviewing import (
    activity_views,
    briefing_edit,
    briefing_views,
    presentation,
    review_changes,
    review_chronology,
    review_views,
)

urlpatterns: list[URLPattern] = [
    path("reviews/", review_views.review_list, name="reviews"),
    path("reviews/<id:review_id>/", review_views.review_page, name="review"),
    path("reviews/<id:review_id>/chronology/", review_chronology.review_chronology_page,
         name="review-chronology"),
    path("reviews/<id:review_id>/agency-summaries/record/", review_changes.record_summary,
         name="review-summary"),
    path("reviews/<id:review_id>/steps/record/", review_changes.record_step,
         name="review-step"),
    path("reviews/<id:review_id>/decision/", review_changes.record_decision,
         name="review-decision"),
    path("reviews/<id:review_id>/close/", review_changes.close_review, name="review-close"),
    path("reviews/<id:review_id>/findings/add/", review_changes.add_finding,
         name="review-finding-add"),
    path("reviews/<id:review_id>/actions/add/", review_changes.add_action,
         name="review-action-add"),
    path("reviews/<id:review_id>/actions/<id:action_id>/done/", review_changes.action_done,
         name="review-action-done"),
    path("briefings/", briefing_views.briefing_list, name="briefings"),
    path("briefings/<id:briefing_id>/", briefing_views.briefing_page, name="briefing"),
    path("briefings/<id:briefing_id>/briefing.<str:fmt>", briefing_views.briefing_download,
         name="briefing-download"),
    path("briefings/<id:briefing_id>/edit/", briefing_edit.briefing_edit,
         name="briefing-edit"),
    path("briefings/<id:briefing_id>/publish/", briefing_edit.briefing_publish,
         name="briefing-publish"),
    path("briefings/<id:briefing_id>/present/", presentation.briefing_present,
         name="briefing-present"),
    path("briefings/<id:briefing_id>/activities/record/",
         activity_views.record_activity_page, name="briefing-activity"),
]
