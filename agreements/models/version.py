"""Frozen, numbered versions of an agreement and the PDF rendered from each."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .agreement import Agreement
from .choices import SigningOrder


class PdfStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class VersionState(models.TextChoices):
    IN_SIGNATURE = "in_signature", _("In signature")
    SIGNED = "signed", _("Signed")
    DECLINED = "declined", _("Declined")
    SUPERSEDED = "superseded", _("Superseded")


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
    "signing_order",
)
# Each group freezes once its hash field is set.
FROZEN_ONCE_SET = {
    "pdf_sha256": ("pdf", "pdf_sha256", "page_count"),
    "signed_pdf_sha256": ("signed_pdf", "signed_pdf_sha256"),
    "audit_head_hash": ("audit_head_sequence", "audit_head_hash"),
}


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
    # Where the rendered contract left room for each signature (versions/layout.py): the signed
    # PDF is stamped there. Empty for versions rendered before it was recorded.
    signature_boxes = models.JSONField(default=dict, blank=True)
    pdf_error = models.TextField(blank=True)
    # The render ran out of time or memory: trying again would fail the same way.
    pdf_too_large = models.BooleanField(default=False)
    pdf_attempts = models.PositiveIntegerField(default=0)
    pdf_started_at = models.DateTimeField(null=True, blank=True)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)

    state = models.CharField(
        _("state"), max_length=15, choices=VersionState, default=VersionState.IN_SIGNATURE
    )
    signing_order = models.CharField(max_length=12, choices=SigningOrder, default=SigningOrder.ANY)
    completed_at = models.DateTimeField(null=True, blank=True)
    signed_pdf_status = models.CharField(max_length=10, choices=PdfStatus, blank=True)
    signed_pdf = models.FileField(upload_to="signed/", blank=True)
    signed_pdf_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    signed_pdf_error = models.TextField(blank=True)
    signed_pdf_attempts = models.PositiveIntegerField(default=0)
    signed_pdf_started_at = models.DateTimeField(null=True, blank=True)
    # The audit trail's head when the last signature completed the version (its certificate
    # prints it): check_audit_chain finds that entry unchanged, or reports the trail cut.
    audit_head_sequence = models.PositiveIntegerField(null=True, blank=True)
    audit_head_hash = models.CharField(max_length=64, blank=True)

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
            models.CheckConstraint(
                condition=Q(state__in=VersionState.values), name="version_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(signed_pdf_status=PdfStatus.READY) | ~Q(signed_pdf_sha256=""),
                name="version_ready_signed_pdf_has_hash",
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
        once = [name for group in FROZEN_ONCE_SET.values() for name in group]
        stored = type(self).objects.filter(pk=self.pk).values(*FROZEN_FIELDS, *once).first()
        if stored is None:
            return
        for name in FROZEN_FIELDS:
            if stored[name] != getattr(self, name):
                raise ImmutableError(f"A version's {name} never changes.")
        for key, group in FROZEN_ONCE_SET.items():
            if not stored[key]:
                continue
            for name in group:
                current = getattr(self, name)
                if getattr(current, "name", current) != stored[name]:
                    raise ImmutableError(f"A version's {name} never changes once set.")
