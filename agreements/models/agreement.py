from datetime import date, time
from decimal import Decimal
from functools import cache
from zoneinfo import available_timezones as _available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from slaportal.errors import DomainError

from .choices import AgreementStatus, Frequency, ReviewCadence, SigningOrder

MAX_HOURS = 720  # 30 days: any response window longer than that is not a service level
AUDIT_HEAD_FIELDS = ("audit_head_sequence", "audit_head_hash", "audit_legacy_seal")
# Kept by refresh_next_review_due alone, never by saving an instance that may be stale.
DERIVED_FIELDS = (*AUDIT_HEAD_FIELDS, "next_review_due")


@cache
def available_timezones() -> frozenset[str]:
    return frozenset(_available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone; use a name such as Europe/Berlin."),
            params={"value": value},
        )


def validate_working_days(value: str) -> None:
    """ISO weekdays as digits, Monday 1 to Sunday 7, each at most once: "12345"."""
    if not value or set(value) - set("1234567") or len(set(value)) != len(value):
        raise ValidationError(_("Choose at least one working day."))


# Agreements run between these dates: beyond them date arithmetic (review schedules, months of
# the plan) would overflow, and no real SLA is dated there.
EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(2100, 12, 31)
DATE_VALIDATORS = [
    MinValueValidator(EARLIEST_DATE, message=_("Choose a date in 2000 or later.")),
    MaxValueValidator(LATEST_DATE, message=_("Choose a date in 2100 or earlier.")),
]

HOURS_VALIDATORS = [MinValueValidator(1), MaxValueValidator(MAX_HOURS)]


class AgreementQuerySet(models.QuerySet):
    def for_user(self, user):
        """Agreements of every organisation the user belongs to."""
        return self.filter(organization__memberships__user=user)

    def for_organization(self, organization):
        return self.filter(organization=organization)

    def drafts(self):
        return self.filter(status=AgreementStatus.DRAFT)


class Agreement(models.Model):
    """The SLA between one organisation's marketing and sales teams.

    Scalar parts of each section live here; repeated items (definitions, criteria, KPIs...) are
    rows in their own tables. Only drafts can change.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="agreements"
    )
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language of the agreement"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The preview, the PDF and the emails about this agreement use it."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus, default=AgreementStatus.DRAFT
    )

    # 1. Parties
    marketing_team_name = models.CharField(_("marketing team"), max_length=120, blank=True)
    marketing_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marketing lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sales_team_name = models.CharField(_("sales team"), max_length=120, blank=True)
    sales_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sales lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    signing_order = models.CharField(
        _("signing order"), max_length=12, choices=SigningOrder, default=SigningOrder.ANY
    )

    # 2. Term
    effective_date = models.DateField(
        _("effective date"), null=True, blank=True, validators=DATE_VALIDATORS
    )
    end_date = models.DateField(_("end date"), null=True, blank=True, validators=DATE_VALIDATORS)
    review_cadence = models.CharField(
        _("review cadence"), max_length=20, choices=ReviewCadence, default=ReviewCadence.QUARTERLY
    )
    # The working calendar every "business hours" deadline of the agreement runs on.
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    working_days = models.CharField(
        _("working days"), max_length=7, default="12345", validators=[validate_working_days]
    )
    workday_start = models.TimeField(_("working day starts"), default=time(9))
    workday_end = models.TimeField(_("working day ends"), default=time(17))

    # 3. Shared goal
    goal_statement = models.TextField(_("shared goal"), blank=True)
    revenue_target = models.DecimalField(
        _("revenue target"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")

    # 5. Lead qualification
    mql_threshold = models.PositiveSmallIntegerField(
        _("MQL score threshold"), null=True, blank=True, validators=[MaxValueValidator(1000)]
    )

    # 6. Hand-offs
    handoff_information = models.TextField(_("information passed with each lead"), blank=True)
    handoff_response_hours = models.PositiveSmallIntegerField(
        _("sales response time (business hours)"),
        null=True,
        blank=True,
        validators=HOURS_VALIDATORS,
    )
    sal_acceptance_hours = models.PositiveSmallIntegerField(
        _("accept or reject within (business hours)"),
        null=True,
        blank=True,
        validators=HOURS_VALIDATORS,
    )
    recycle_after_attempts = models.PositiveSmallIntegerField(
        _("recycle after unsuccessful attempts"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    recycle_after_days = models.PositiveSmallIntegerField(
        _("recycle after days without progress"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    recycle_track = models.ForeignKey(
        "agreements.NurtureTrack",
        verbose_name=_("recycled leads go to nurture track"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    nurture_requests = models.TextField(_("how sales requests a nurture workflow"), blank=True)

    # 8. Sales follow-up
    first_contact_hours = models.PositiveSmallIntegerField(
        _("first contact within (business hours)"),
        null=True,
        blank=True,
        validators=HOURS_VALIDATORS,
    )
    # How many MQLs sales can follow up: checked against the plan (plan_checks.py).
    sales_reps = models.PositiveSmallIntegerField(
        _("sales reps working the leads"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
    )
    rep_daily_attempts = models.PositiveSmallIntegerField(
        _("contact attempts one rep makes per working day"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    disposition_policy = models.TextField(_("recording why a lead did not progress"), blank=True)

    # 10. Commitments and escalation
    escalation_path = models.TextField(_("escalation path"), blank=True)
    missed_commitment_policy = models.TextField(_("when a commitment is missed"), blank=True)

    # 11. Communication
    feedback_channels = models.TextField(_("feedback channels"), blank=True)
    dispute_process = models.TextField(_("how disputes are raised"), blank=True)

    # 12. Reporting
    crm_system = models.CharField(_("CRM (single source of truth)"), max_length=120, blank=True)
    reporting_frequency = models.CharField(
        _("reporting frequency"), max_length=20, choices=Frequency, default=Frequency.MONTHLY
    )
    report_contents = models.TextField(_("what the reports show"), blank=True)
    data_access = models.TextField(_("who has access to the data"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The audit trail's head, written by audit_log with each entry (agreements/audit.py): its
    # last entries deleted, the trail no longer ends here. The seal covers the entries written
    # before the trail was keyed.
    audit_head_sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    audit_head_hash = models.CharField(max_length=64, blank=True, editable=False)
    audit_legacy_seal = models.CharField(max_length=100, blank=True, editable=False)

    # The first review date not yet closed while a signed version is in force (None when
    # none is): stored so lists can filter and sort on it in SQL. Kept by
    # lifecycle.refresh_next_review_due when the term, cadence, signed version or reviews change.
    next_review_due = models.DateField(null=True, blank=True, editable=False, db_index=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            # The dashboard's page: an organisation's agreements, latest change first, read
            # 25 at a time without sorting the whole organisation.
            models.Index(
                "organization", F("updated_at").desc(), F("id").desc(), name="agreement_org_recent"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values), name="agreement_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(effective_date__isnull=True)
                | Q(end_date__gt=models.F("effective_date")),
                name="agreement_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(revenue_target__isnull=True) | Q(revenue_target__gt=0),
                name="agreement_revenue_target_positive",
            ),
            models.CheckConstraint(
                condition=Q(mql_threshold__isnull=True) | Q(mql_threshold__lte=1000),
                name="agreement_mql_threshold_range",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True})
                    | Q(**{f"{field}__gte": 1, f"{field}__lte": upper}),
                    name=f"agreement_{field}_range",
                )
                for field, upper in [
                    ("handoff_response_hours", MAX_HOURS),
                    ("sal_acceptance_hours", MAX_HOURS),
                    ("first_contact_hours", MAX_HOURS),
                    ("recycle_after_attempts", 50),
                    ("recycle_after_days", 365),
                ]
            ],
            models.CheckConstraint(
                condition=Q(marketing_lead__isnull=True)
                | Q(sales_lead__isnull=True)
                | ~Q(marketing_lead=models.F("sales_lead")),
                name="agreement_leads_are_two_people",
            ),
            models.CheckConstraint(
                condition=Q(Exact(Length("currency"), 3), Exact(Upper("currency"), F("currency"))),
                name="agreement_currency_iso",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True})
                    | Q(**{f"{field}__gte": EARLIEST_DATE, f"{field}__lte": LATEST_DATE}),
                    name=f"agreement_{field}_in_range",
                )
                for field in ("effective_date", "end_date")
            ],
            models.CheckConstraint(
                condition=Q(workday_start__lt=F("workday_end")),
                name="agreement_working_day_has_hours",
            ),
            models.CheckConstraint(
                condition=Q(sales_reps__isnull=True) | Q(sales_reps__gte=1),
                name="agreement_sales_reps_positive",
            ),
            models.CheckConstraint(
                condition=Q(rep_daily_attempts__gte=1), name="agreement_rep_attempts_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Only audit_log moves the trail's head: saving an instance loaded before its last
        # entries must not roll the head back.
        adding = self._state.adding or self.pk is None or kwargs.get("force_insert")
        if not adding and not args and kwargs.get("update_fields") is None:
            skipped = {*DERIVED_FIELDS, *self.get_deferred_fields()}
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.attname not in skipped
            ]
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.effective_date and self.end_date and self.end_date <= self.effective_date:
            errors["end_date"] = _("The end date must be after the effective date.")
        if self.marketing_lead_id and self.marketing_lead_id == self.sales_lead_id:
            errors["sales_lead"] = _(
                "The sales lead must be someone other than the marketing lead."
            )
        if self.workday_start and self.workday_end and self.workday_start >= self.workday_end:
            errors["workday_end"] = _("The working day must end after it starts.")
        if len(self.currency or "") != 3 or not (self.currency or "").isalpha():
            errors["currency"] = _("Use a three-letter currency code such as EUR or USD.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_editable(self) -> bool:
        return self.status == AgreementStatus.DRAFT

    def ensure_editable(self) -> None:
        if not self.is_editable:
            raise DomainError(
                gettext(
                    "This agreement is %(status)s; only drafts can be changed. "
                    "Start a revision to change it."
                )
                % {"status": self.get_status_display().lower()}
            )
