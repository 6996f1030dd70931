"""Signature slots on a version, with the evidence each signature records."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .version import AgreementVersion, PdfStatus, VersionState


class SignerRole(models.TextChoices):
    MARKETING_LEAD = "marketing_lead", _("Marketing lead")
    SALES_LEAD = "sales_lead", _("Sales lead")
    FURTHER = "further", _("Further signatory")


class SignatureStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting signature")
    SIGNED = "signed", _("Signed")
    DECLINED = "declined", _("Declined")


class SignatureMethod(models.TextChoices):
    DRAWN = "drawn", _("Drawn")
    TYPED = "typed", _("Typed")


class SignatureQuerySet(models.QuerySet):
    def awaiting(self, user):
        """Slots where `user` can sign now: PDF ready, version still in signature, their turn."""
        return self.filter(
            signer=user,
            status=SignatureStatus.PENDING,
            version__state=VersionState.IN_SIGNATURE,
            version__pdf_status=PdfStatus.READY,
        )


class Signature(models.Model):
    """One signatory's slot on one version: pending, then signed (with evidence) or declined."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures"
    )
    role = models.CharField(max_length=20, choices=SignerRole)
    capacity = models.CharField(_("signs as"), max_length=160)
    order = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=SignatureStatus, default=SignatureStatus.PENDING
    )
    notified_at = models.DateTimeField(null=True, blank=True)

    # Evidence, recorded once when the slot is signed or declined.
    signed_at = models.DateTimeField(null=True, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    auth_method = models.CharField(max_length=300, blank=True)
    # Who signed, as their account read at the moment of signing (names and addresses change).
    signer_name = models.CharField(max_length=160, blank=True)
    signer_email = models.EmailField(max_length=254, blank=True)
    signer_job_title = models.CharField(max_length=160, blank=True)
    consent_version = models.CharField(max_length=20, blank=True)
    consent_sha256 = models.CharField(max_length=64, blank=True)
    intent_text = models.CharField(max_length=300, blank=True)
    method = models.CharField(max_length=10, choices=SignatureMethod, blank=True)
    typed_name = models.CharField(max_length=160, blank=True)
    image_png = models.BinaryField(blank=True, editable=False)
    image_sha256 = models.CharField(max_length=64, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        ordering = ["version", "order", "id"]
        indexes = [
            # "Awaiting my signature": a person's open slots, oldest first, read in index order so
            # the dashboard stops after the few it shows however many are open.
            models.Index(
                fields=["signer", "id"],
                condition=Q(status=SignatureStatus.PENDING),
                name="signature_pending_by_signer",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "signer"], name="signature_one_slot_per_signer"
            ),
            models.UniqueConstraint(
                fields=["version", "role"],
                condition=~Q(role=SignerRole.FURTHER),
                name="signature_one_slot_per_lead_role",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SignatureStatus.values), name="signature_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=SignatureStatus.SIGNED)
                | (
                    Q(signed_at__isnull=False)
                    & ~Q(pdf_sha256="")
                    & ~Q(image_sha256="")
                    & ~Q(consent_sha256="")
                    & Q(method__in=SignatureMethod.values)
                ),
                name="signature_signed_has_evidence",
            ),
            models.CheckConstraint(
                condition=~Q(status=SignatureStatus.DECLINED)
                | (Q(declined_at__isnull=False) & ~Q(decline_reason="")),
                name="signature_declined_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.signer} on {self.version} ({self.status})"

    @property
    def capacity_display(self) -> str:
        """The capacity the signatory signs in, in the language being rendered: a lead's role
        is translated; a further signatory's capacity is the text the editors typed."""
        return self.get_role_display() if self.role != SignerRole.FURTHER else self.capacity

    @property
    def signed_as_name(self) -> str:
        return self.signer_name or self.signer.display_name

    @property
    def signed_as_email(self) -> str:
        return self.signer_email or self.signer.email
