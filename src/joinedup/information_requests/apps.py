from django.apps import AppConfig


class InformationRequestsConfig(AppConfig):
    name = "joinedup.information_requests"
    label = "information_requests"
    verbose_name = "Information requests and professionals meetings"
