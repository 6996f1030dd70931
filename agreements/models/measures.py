"""The rows that make the agreement measurable: KPIs, commitments and the meetings that
review them (sections 9 to 11)."""

import operator
from functools import reduce

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import (
    METRIC_UNITS,
    CommitmentMetric,
    CommitmentUnit,
    Frequency,
    KpiDirection,
    KpiPeriod,
    KpiUnit,
    OwnerTeam,
    Team,
)
from .rows import AgreementRow


class Kpi(AgreementRow):
    name = models.CharField(_("KPI"), max_length=160)
    owner_team = models.CharField(_("owner"), max_length=10, choices=OwnerTeam)
    target = models.DecimalField(
        _("target"), max_digits=15, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=10, choices=KpiUnit)
    frequency = models.CharField(
        _("measured"), max_length=10, choices=Frequency, default=Frequency.MONTHLY
    )
    # Which way is good, and the stretch of time the target covers: a review compares a
    # quarterly target with the quarter's actual, and judges "better" or "worse" by direction.
    direction = models.CharField(
        _("better when"), max_length=10, choices=KpiDirection, default=KpiDirection.ON_TARGET
    )
    period = models.CharField(
        _("period"), max_length=10, choices=KpiPeriod, default=KpiPeriod.MONTH
    )
    # The plan figure this KPI restates: a funnel stage ("leads", "mqls"...) or a plan input
    # ("win_rate", "cost_per_lead"...). Such KPIs follow the plan (authoring/funnel_targets.py).
    funnel_stage = models.CharField(max_length=30, blank=True, default="", editable=False)

    class Meta(AgreementRow.Meta):
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            *AgreementRow.Meta.constraints,
            models.CheckConstraint(condition=Q(target__gte=0), name="kpi_target_not_negative"),
            models.CheckConstraint(
                condition=~Q(unit=KpiUnit.PERCENT) | Q(target__lte=100),
                name="kpi_percent_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=KpiDirection.values), name="kpi_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(period__in=KpiPeriod.values), name="kpi_period_valid"
            ),
            models.UniqueConstraint(
                fields=["agreement", "funnel_stage"],
                condition=~Q(funnel_stage=""),
                name="kpi_one_per_funnel_stage",
            ),
        ]

    def clean(self):
        if self.unit == KpiUnit.PERCENT and self.target is not None and self.target > 100:
            raise ValidationError({"target": _("A percentage target cannot be above 100.")})

    @property
    def label(self):
        return self.name


class Commitment(AgreementRow):
    """What a team promises, made measurable: "95% of MQLs contacted within 4 business hours"
    is a share of cases (95), a threshold (4) and a unit whose clock is the agreement's working
    calendar, for a scope (which leads)."""

    team = models.CharField(_("team"), max_length=10, choices=Team)
    commitment = models.CharField(_("commitment"), max_length=300)
    measure = models.CharField(_("measured by"), max_length=200, blank=True)
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(_("unit"), max_length=16, choices=CommitmentUnit, blank=True)
    share = models.DecimalField(
        _("share of cases (%)"),
        max_digits=5,
        decimal_places=2,
        default=100,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    scope = models.CharField(_("applies to"), max_length=120, blank=True)
    # Which lead-event measure the compliance page judges it by (blank: reviews judge it).
    metric = models.CharField(
        _("measured from lead events as"),
        max_length=20,
        choices=CommitmentMetric,
        blank=True,
        default="",
    )

    class Meta(AgreementRow.Meta):
        verbose_name = _("commitment")
        constraints = [
            *AgreementRow.Meta.constraints,
            models.CheckConstraint(
                condition=Q(threshold__isnull=True) | Q(threshold__gte=0),
                name="commitment_threshold_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0, share__lte=100), name="commitment_share_is_a_percent"
            ),
            models.CheckConstraint(
                condition=Q(threshold__isnull=True) | ~Q(unit=""),
                name="commitment_threshold_has_a_unit",
            ),
            models.CheckConstraint(
                condition=Q(metric="")
                | Q(threshold__isnull=False)
                & reduce(
                    operator.or_,
                    (
                        Q(metric=str(metric), unit__in=units)
                        for metric, units in METRIC_UNITS.items()
                    ),
                ),
                name="commitment_metric_has_its_unit_and_threshold",
            ),
        ]

    def clean(self):
        if self.threshold is not None and not self.unit:
            raise ValidationError({"unit": _("Say what the threshold counts.")})
        if self.metric:
            if self.threshold is None:
                raise ValidationError(
                    {"threshold": _("A commitment measured from lead events needs a threshold.")}
                )
            units = METRIC_UNITS[CommitmentMetric(self.metric)]
            if self.unit not in units:
                labels = ", ".join(str(CommitmentUnit(unit).label) for unit in units)
                raise ValidationError(
                    {
                        "unit": _("This measure counts in %(units)s; choose that unit.")
                        % {"units": labels}
                    }
                )

    @property
    def label(self):
        return self.commitment


def inferred_metric(*, team: str, unit: str, threshold, acceptance_hours) -> str:
    """The measure of a commitment written before commitments named one (versions signed then
    keep their snapshot): the recommended template's commitments, recognised by team and unit.
    Sales' business-time commitment whose threshold is the acceptance window is acceptance, its
    other one response time; marketing's is the hand-off; sales' count is the cadence. Shares
    and percentages are left to the reviews: their wording alone does not say what they count."""
    if threshold is None:
        return ""
    if unit in (CommitmentUnit.BUSINESS_HOURS, CommitmentUnit.BUSINESS_DAYS):
        if team == Team.MARKETING:
            return CommitmentMetric.HANDOFF_TIME
        if team == Team.SALES:
            in_hours = unit == CommitmentUnit.BUSINESS_HOURS
            if in_hours and acceptance_hours is not None and threshold == acceptance_hours:
                return CommitmentMetric.ACCEPTANCE
            return CommitmentMetric.RESPONSE_TIME
    if unit == CommitmentUnit.COUNT and team == Team.SALES:
        return CommitmentMetric.ATTEMPTS
    return ""


class Meeting(AgreementRow):
    name = models.CharField(_("meeting"), max_length=120)
    cadence = models.CharField(_("cadence"), max_length=10, choices=Frequency)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    attendees = models.CharField(_("attendees"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)

    class Meta(AgreementRow.Meta):
        verbose_name = _("meeting")
        constraints = [
            *AgreementRow.Meta.constraints,
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=480),
                name="meeting_duration_range",
            ),
        ]

    @property
    def label(self):
        return self.name
