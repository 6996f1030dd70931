from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.signing.verification import verify_document


class Command(BaseCommand):
    help = "Check a PDF against the signed versions this portal issued; exits 0 only when intact."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        verdict = verify_document(data)
        self.stdout.write(f"{verdict.status.upper()}: {verdict.message}")
        if verdict.seal_message:
            self.stdout.write(f"Seal: {verdict.seal_message}")
        if verdict.version:
            version = verdict.version
            self.stdout.write(
                f"Agreement: {version.agreement.title} ({version.agreement.organization.name})"
            )
            self.stdout.write(
                f"Version: {version.number} {version.document_id}, "
                f"completed {version.completed_at:%Y-%m-%d %H:%M} UTC"
            )
            for signature in verdict.signatures:
                self.stdout.write(
                    f"Signed by {signature.signed_as_name} <{signature.signed_as_email}> "
                    f"as {signature.capacity_display} "
                    f"at {signature.signed_at:%Y-%m-%d %H:%M:%S} UTC"
                )
        self.stdout.write(f"SHA-256: {verdict.document_sha256}")
        if not verdict.is_intact:
            raise CommandError("The document is not an intact signed version.", returncode=1)
