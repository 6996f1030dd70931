from django.apps import AppConfig


class SlaPortalConfig(AppConfig):
    name = "slaportal"
    verbose_name = "SLA Portal"

    def ready(self):
        from . import checks  # noqa: F401 (registers the system checks)
