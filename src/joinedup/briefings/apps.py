from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "joinedup.briefings"
    label = "briefings"
    verbose_name = "7-minute briefings"
