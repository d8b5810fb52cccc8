"""Break-glass and the audit trail (views in web/case/access_views.py)."""

from django.urls import path

from joinedup.web.case import access_views

urlpatterns = [
    path("children/<id:child_id>/break-glass/", access_views.break_glass,
         name="break-glass"),
    path("audit/", access_views.audit_trail, name="audit"),
    path("audit/children/<id:child_id>/", access_views.audit_child, name="audit-child"),
    path("audit/break-glass/", access_views.break_glass_reviews, name="break-glass-reviews"),
]
