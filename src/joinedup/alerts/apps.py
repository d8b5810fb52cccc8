from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "joinedup.alerts"
    label = "alerts"
    verbose_name = "Early-warning alerts"
