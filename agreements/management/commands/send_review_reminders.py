from django.core.management.base import BaseCommand

from agreements.reviews.services import send_review_reminders


class Command(BaseCommand):
    help = (
        "Email review reminders that are due (what beat runs daily); run it from cron without beat."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Sent {send_review_reminders()} reminder(s).")
