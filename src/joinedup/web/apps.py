from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "joinedup.web"
    label = "web"
    verbose_name = "joinedup web application"

    def ready(self) -> None:
        from joinedup.web import signals  # noqa: F401  (connects the audit receivers)
