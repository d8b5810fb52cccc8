from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "joinedup.access"
    label = "access"
    verbose_name = "Access control and audit"
