from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Agreements"

    def ready(self):
        from .signing import receivers  # noqa: F401 (connects signing to the versions' signals)
