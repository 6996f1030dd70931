from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_SIGNATURE = "in_signature", _("In signature")
    SIGNED = "signed", _("Signed")
    SUPERSEDED = "superseded", _("Superseded")
    ARCHIVED = "archived", _("Archived")


class AgreementQuerySet(models.QuerySet):
    def for_user(self, user):
        """Agreements of every organisation the user belongs to."""
        return self.filter(organization__memberships__user=user)

    def for_organization(self, organization):
        return self.filter(organization=organization)


class Agreement(models.Model):
    """The SLA between one organisation's marketing and sales teams, across all its versions."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="agreements"
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus, default=AgreementStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=AgreementStatus.values),
                name="agreement_status_valid",
            ),
        ]

    def __str__(self):
        return self.title
