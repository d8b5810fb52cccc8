"""Addresses of the case pages (the names are fixed: other areas link to them).

Every page here holds a child's record (or a list of children), so none is kept in a
browser's or a proxy's cache (``never_cache``): a shared laptop's back button or history
must not bring a record back after signing out."""

from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache

from joinedup.web.case import case_page, children, chronology_pages, replay_page, swimlane_page

urlpatterns: list[URLPattern] = [
    path("children/", never_cache(children.children), name="children"),
    path("children/<id:child_id>/", never_cache(case_page.child), name="child"),
    path("children/<id:child_id>/chronology/", never_cache(chronology_pages.chronology),
         name="chronology"),
    path("children/<id:child_id>/chronology.<str:fmt>",
         never_cache(chronology_pages.chronology_export), name="chronology-export"),
    path("children/<id:child_id>/swimlane/", never_cache(swimlane_page.swimlane),
         name="swimlane"),
    path("children/<id:child_id>/replay/", never_cache(replay_page.replay_page),
         name="replay"),
]
