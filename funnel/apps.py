from django.apps import AppConfig


class FunnelConfig(AppConfig):
    name = "funnel"
    verbose_name = "Funnel targets"

    def ready(self):
        # The engine is pure Python; give its messages Django's translations.
        from django.utils.translation import gettext

        from .engine import messages

        messages.translate = gettext
