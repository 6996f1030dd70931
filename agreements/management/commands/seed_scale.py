from time import perf_counter

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from agreements.scale import seed_scale
from organizations.models import Organization


class Command(BaseCommand):
    help = (
        "Add a large, realistic data set for scale tests and page benchmarks: N agreements in the "
        "demo organisation (or --org), copied in bulk from the demo agreement, and M other "
        "organisations with a handful each. Not idempotent: every run adds more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agreements", type=int, default=10_000, help="in the organisation")
        parser.add_argument("--orgs", type=int, default=50, help="other organisations to add")
        parser.add_argument("--org", help="the organisation's slug (default: the demo one)")
        parser.add_argument("--seed", type=int, default=1, help="the same seed, the same data")

    def handle(self, *args, agreements, orgs, org, seed, **options):
        started = perf_counter()
        # The people are not real: seeding sends them no email.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            try:
                counts = seed_scale(
                    agreements=agreements, other_orgs=orgs, organization_slug=org, seed=seed
                )
            except Organization.DoesNotExist:
                raise CommandError(f"No organisation has the slug {org!r}.") from None
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        seconds = perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {counts['agreements']:,} agreements in {seconds:.1f} s.")
        )
        self.stdout.write(
            f"Organisation {counts['organization']}: {counts['target_agreements']} agreements, "
            f"{counts['draft']} drafts, {counts['in_signature']} in signature, "
            f"{counts['signed']} signed"
        )
        self.stdout.write(
            f"Other organisations: {counts['other_organizations']} "
            f"({counts['users']} users, two each)"
        )
        for name in ("agreements", "versions", "signatures", "reviews", "rows"):
            self.stdout.write(f"  {name:11} {counts[name]:>9,}")
        if not counts["signed_pdf_shared"]:
            self.stdout.write(
                self.style.WARNING("The signed PDF failed to build: signed versions have none.")
            )
