from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from agreements.demo import review_and_revise_demo, seed_demo_agreement, sign_demo_version
from compliance.demo import seed_demo_events
from organizations.demo import DEMO_PASSWORD, MARKETING_LEAD, SALES_LEAD, seed_demo


class Command(BaseCommand):
    help = (
        "Create (or complete) the Acme Corp demo organisation, its leads and its SLA. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-lead-events",
            action="store_true",
            help="Skip the demo's year of CRM lead events (tests that do not look at them).",
        )

    def handle(self, *args, **options):
        # The demo people are not real: seeding sends them no email.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self.seed(lead_events=not options["without_lead_events"])

    def seed(self, *, lead_events=True):
        data = seed_demo()
        agreement = seed_demo_agreement(
            organization=data.organization,
            marketing_lead=data.marketing_lead,
            sales_lead=data.sales_lead,
        )
        version = sign_demo_version(
            agreement, marketing_lead=data.marketing_lead, sales_lead=data.sales_lead
        )
        review_and_revise_demo(
            agreement, marketing_lead=data.marketing_lead, sales_lead=data.sales_lead
        )
        agreement.refresh_from_db()
        if lead_events:
            seed_demo_events(agreement)  # a year of CRM lead events, measured against version 1
        self.stdout.write(self.style.SUCCESS(f"Demo organisation ready: {data.organization.name}"))
        self.stdout.write(
            f"Demo agreement: {agreement.title}, version {version.number} "
            f"({version.get_state_display().lower()}); now {agreement.get_status_display().lower()}"
        )
        self.stdout.write(f"Log in at {settings.SITE_URL}/accounts/login/ as:")
        for label, person in (("marketing lead", MARKETING_LEAD), ("sales lead", SALES_LEAD)):
            self.stdout.write(f"  {label:15} {person.email:22} password: {DEMO_PASSWORD}")
