import json

from django.core.management.base import BaseCommand, CommandError

from slaportal.health import run_checks


class Command(BaseCommand):
    help = (
        "Run /healthz's checks (database, cache, static manifest, templates, broker) in this "
        "process; exit 1 naming the failing check. For containers that serve no HTTP."
    )

    def handle(self, *args, **options):
        checks, failed = run_checks()
        self.stdout.write(json.dumps(checks, sort_keys=True))
        if failed:
            raise CommandError(
                "unhealthy: " + ", ".join(f"{name}: {checks[name]}" for name in failed)
            )
