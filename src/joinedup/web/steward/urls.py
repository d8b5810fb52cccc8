"""The data steward's pages (returns, quarantine, upload, linkage review) and the
partnership overview."""

from django.urls import URLPattern, path

from joinedup.web.steward import (
    board_export,
    late_entries,
    linkage,
    nhs_numbers,
    overview,
    returns,
    sitting,
    upload,
)

urlpatterns: list[URLPattern] = [
    path("data/", returns.submission_list, name="steward"),
    path("data/submissions/<id:submission_id>/", returns.submission_page, name="submission"),
    path("data/quarantine/", returns.quarantine, name="quarantine"),
    path("data/upload/", upload.upload, name="upload"),
    path("data/reason/", sitting.steward_reason, name="steward-reason"),
    path("data/linkage/", linkage.linkage_queue, name="linkage"),
    path("data/linkage/nhs-numbers/", nhs_numbers.nhs_numbers, name="nhs-numbers"),
    path("data/linkage/<str:a>/<str:b>/", linkage.linkage_pair, name="linkage-pair"),
    path("data/people/<id:person_id>/split/", linkage.person_split, name="person-split"),
    path("overview/", overview.overview, name="overview"),
    path("overview/board.csv", board_export.overview_csv, name="overview-csv"),
    path("overview/board.pdf", board_export.overview_pdf, name="overview-pdf"),
    path("recording/", late_entries.late_entries, name="late-recording"),
]
