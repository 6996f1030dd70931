from django.core.management.base import BaseCommand

from agreements.tasks import sweep_stuck_documents


class Command(BaseCommand):
    help = "Re-send PDFs whose worker died or whose queue message was lost (beat: every minute)."

    def handle(self, *args, **options):
        count = sweep_stuck_documents()
        self.stdout.write(f"Requeued {count} document(s).")
