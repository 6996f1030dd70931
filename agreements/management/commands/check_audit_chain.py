from django.core.management.base import BaseCommand, CommandError

from agreements.audit import check_all_chains


class Command(BaseCommand):
    help = (
        "Verify every agreement's keyed, hash-chained audit trail against the heads recorded on "
        "the agreement and its signed versions; exits 1 when a chain is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument("agreement_ids", nargs="*", type=int, help="only these agreements")

    def handle(self, *args, agreement_ids, **options):
        breaks = check_all_chains(agreement_ids)
        for item in breaks:
            self.stderr.write(
                f"agreement {item.agreement_id}, entry #{item.sequence}: {item.problem}"
            )
        if breaks:
            raise CommandError(f"{len(breaks)} break(s) in the audit trail.")
        self.stdout.write(self.style.SUCCESS("Every audit trail is intact."))
