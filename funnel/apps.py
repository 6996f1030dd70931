from django.apps import AppConfig


class FunnelConfig(AppConfig):
    name = "funnel"
    verbose_name = "Funnel targets"

    def ready(self):
        # The engine is pure Python; give its messages Django's translations.
        from django.utils.translation import gettext

        from slaportal.l10n import format_number, format_percent

        from .engine import messages

        messages.translate = gettext
        # ...and numbers written the reader's way: "10.000.000", "%23".
        messages.show_number = format_number
        messages.show_percent = lambda points: format_percent(points / 100)
