from django.core.management.base import BaseCommand

from agreements.tasks import sweep_stuck_documents


class Command(BaseCommand):
    help = "Requeue contract and signed PDFs stuck in progress (what beat runs every 5 minutes)."

    def handle(self, *args, **options):
        count = sweep_stuck_documents()
        self.stdout.write(f"Requeued {count} document(s).")
