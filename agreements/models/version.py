"""Frozen, numbered versions of an agreement and the PDF rendered from each."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .agreement import Agreement


class PdfStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ImmutableError(ValueError):
    """Raised when code tries to change what a version froze."""


# What a version freezes at creation, and what its PDF freezes once rendered.
FROZEN_FIELDS = (
    "agreement_id",
    "number",
    "snapshot",
    "snapshot_sha256",
    "created_by_id",
    "created_at",
)
FROZEN_ONCE_RENDERED = ("pdf", "pdf_sha256", "page_count")


class AgreementVersion(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("snapshot"))
    snapshot_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    pdf_status = models.CharField(
        _("PDF"), max_length=10, choices=PdfStatus, default=PdfStatus.QUEUED
    )
    pdf = models.FileField(upload_to="contracts/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    pdf_error = models.TextField(blank=True)
    pdf_attempts = models.PositiveIntegerField(default=0)
    pdf_started_at = models.DateTimeField(null=True, blank=True)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
            models.CheckConstraint(
                condition=Q(pdf_status__in=PdfStatus.values), name="version_pdf_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(pdf_status=PdfStatus.READY) | ~Q(pdf_sha256=""),
                name="version_ready_pdf_has_hash",
            ),
        ]

    def __str__(self):
        return f"{self.agreement} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk:
            self._refuse_changes_to_frozen_fields()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Versions are never deleted.")

    @property
    def document_id(self) -> str:
        """Stable identifier printed on every page: the same snapshot always gets the same ID."""
        return f"SLA-{self.agreement_id}-V{self.number}-{self.snapshot_sha256[:12].upper()}"

    def _refuse_changes_to_frozen_fields(self):
        stored = type(self).objects.filter(pk=self.pk).values(*FROZEN_FIELDS, *FROZEN_ONCE_RENDERED)
        stored = stored.first()
        if stored is None:
            return
        for name in FROZEN_FIELDS:
            if stored[name] != getattr(self, name):
                raise ImmutableError(f"A version's {name} never changes.")
        if stored["pdf_sha256"]:
            for name in FROZEN_ONCE_RENDERED:
                current = getattr(self, name)
                if (current.name if name == "pdf" else current) != stored[name]:
                    raise ImmutableError(f"A rendered version's {name} never changes.")
