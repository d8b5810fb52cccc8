"""My work, alerts, information requests and professionals meetings."""

from django.urls import path

from joinedup.web.work import (
    alert_list,
    alert_page,
    meeting_pages,
    meeting_plan_pages,
    my_work,
    request_pages,
)

urlpatterns = [
    path("work/", my_work.my_work, name="my-work"),
    path("alerts/", alert_list.alert_list, name="alerts"),
    path("alerts/<id:alert_id>/", alert_page.alert_detail, name="alert"),
    path("requests/", request_pages.request_list, name="requests"),
    path("requests/new/", request_pages.request_new, name="request-new"),
    path("requests/<id:request_id>/", request_pages.request_detail, name="request"),
    path("meetings/", meeting_pages.meeting_list, name="meetings"),
    path("meetings/new/", meeting_pages.meeting_new, name="meeting-new"),
    path("meetings/plan/", meeting_plan_pages.meeting_plan, name="meeting-plan"),
    path("meetings/<id:meeting_id>/", meeting_pages.meeting_detail, name="meeting"),
]
