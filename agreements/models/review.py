"""Quarterly reviews: actual results against the targets of a signed version, and the decision."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .agreement import Agreement
from .version import AgreementVersion


class ReviewDecision(models.TextChoices):
    KEEP = "keep", _("Keep the agreement as it is")
    REVISE = "revise", _("Revise the agreement")


class Review(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="reviews")
    due_on = models.DateField(_("review date due"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    attendees = models.CharField(_("attendees"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=ReviewDecision, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "-due_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="review_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True)
                | (Q(decision__in=ReviewDecision.values) & Q(held_on__isnull=False)),
                name="review_closed_has_decision",
            ),
            models.UniqueConstraint(
                fields=["agreement", "due_on"], name="review_once_per_due_date"
            ),
        ]

    def __str__(self):
        return f"Review of {self.agreement} due {self.due_on}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ActualOrigin(models.TextChoices):
    TYPED = "typed", _("typed")
    IMPORTED = "imported", _("imported from a CSV")
    MEASURED = "measured", _("measured from lead events")


class ReviewActual(models.Model):
    """One metric's actual figure for one month of the review period, beside its target, and
    where it came from (typed in the review, imported, or measured from the CRM's events)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actuals")
    metric = models.CharField(max_length=40)  # "leads"... for funnel stages, "kpi:<name>" else
    label = models.CharField(max_length=160)
    month = models.DateField()
    target = models.DecimalField(max_digits=15, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(max_digits=15, decimal_places=2)
    origin = models.CharField(max_length=10, choices=ActualOrigin, default=ActualOrigin.TYPED)

    class Meta:
        ordering = ["review", "metric", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "metric", "month"], name="review_actual_once_per_month"
            ),
            models.CheckConstraint(condition=Q(actual__gte=0), name="review_actual_not_negative"),
            models.CheckConstraint(
                condition=Q(origin__in=ActualOrigin.values), name="review_actual_origin_valid"
            ),
        ]

    def __str__(self):
        return f"{self.label} {self.month:%Y-%m}: {self.actual}"


class ReminderKind(models.TextChoices):
    UPCOMING = "upcoming", _("Review coming up")
    OVERDUE = "overdue", _("Review overdue")


class ReviewReminder(models.Model):
    """A reminder email sent, so each is sent once per due date and kind."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField()
    kind = models.CharField(max_length=10, choices=ReminderKind)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "due_on", "kind"], name="reminder_once_per_due_date"
            ),
        ]

    def __str__(self):
        return f"{self.kind} reminder for {self.agreement} due {self.due_on}"
