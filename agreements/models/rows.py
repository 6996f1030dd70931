"""The repeated items of an agreement: each kind is a table of ordered rows.

Every row carries `position` (unique per agreement, so the order is well defined) and
`revision` (bumped on every save, so a stale edit from a second browser tab is detected).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .agreement import HOURS_VALIDATORS, MAX_HOURS, Agreement
from .choices import (
    BuyerStage,
    Channel,
    DefinitionKey,
    OwnerTeam,
    QualificationAxis,
    ReasonKind,
)


class AgreementRow(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="%(class)s_rows"
    )
    position = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "position"], name="%(app_label)s_%(class)s_unique_position"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        raise NotImplementedError


class Signatory(AgreementRow):
    """A further signer besides the two leads (an executive sponsor, RevOps...)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    capacity = models.CharField(_("signs as"), max_length=120)

    class Meta(AgreementRow.Meta):
        verbose_name = _("further signatory")
        verbose_name_plural = _("further signatories")
        constraints = [
            *AgreementRow.Meta.constraints,
            models.UniqueConstraint(
                fields=["agreement", "user"], name="signatory_once_per_agreement"
            ),
        ]

    @property
    def label(self):
        return f"{self.user} ({self.capacity})"


class Definition(AgreementRow):
    key = models.CharField(
        _("standard term"), max_length=20, choices=DefinitionKey, blank=True, default=""
    )
    term = models.CharField(_("term"), max_length=120)
    meaning = models.TextField(_("definition"))

    class Meta(AgreementRow.Meta):
        verbose_name = _("definition")
        constraints = [
            *AgreementRow.Meta.constraints,
            models.UniqueConstraint(
                fields=["agreement", "key"],
                condition=~Q(key=""),
                name="definition_standard_term_once",
            ),
        ]

    @property
    def label(self):
        return self.term


class LifecycleStage(AgreementRow):
    name = models.CharField(_("stage"), max_length=120)
    description = models.TextField(_("what it means, from the buyer's point of view"))
    owner_team = models.CharField(
        _("owned by"), max_length=10, choices=OwnerTeam, default=OwnerTeam.MARKETING
    )

    class Meta(AgreementRow.Meta):
        verbose_name = _("lifecycle stage")

    @property
    def label(self):
        return self.name


class QualificationCriterion(AgreementRow):
    axis = models.CharField(_("axis"), max_length=10, choices=QualificationAxis)
    criterion = models.CharField(_("criterion"), max_length=200)
    points = models.SmallIntegerField(
        _("points"), validators=[MinValueValidator(-100), MaxValueValidator(100)]
    )

    class Meta(AgreementRow.Meta):
        verbose_name = _("qualification criterion")
        verbose_name_plural = _("qualification criteria")
        constraints = [
            *AgreementRow.Meta.constraints,
            models.CheckConstraint(
                condition=Q(points__gte=-100, points__lte=100), name="criterion_points_range"
            ),
            models.CheckConstraint(
                condition=Q(axis__in=QualificationAxis.values), name="criterion_axis_valid"
            ),
        ]

    @property
    def label(self):
        return self.criterion


class HandoffTrigger(AgreementRow):
    trigger = models.CharField(_("trigger"), max_length=200)
    response_hours = models.PositiveSmallIntegerField(
        _("sales responds within (business hours)"), validators=HOURS_VALIDATORS
    )

    class Meta(AgreementRow.Meta):
        verbose_name = _("hand-off trigger")
        constraints = [
            *AgreementRow.Meta.constraints,
            models.CheckConstraint(
                condition=Q(response_hours__gte=1, response_hours__lte=MAX_HOURS),
                name="handofftrigger_response_hours_range",
            ),
        ]

    @property
    def label(self):
        return self.trigger


class LeadReason(AgreementRow):
    kind = models.CharField(_("kind"), max_length=12, choices=ReasonKind)
    code = models.SlugField(_("code"), max_length=40)
    description = models.CharField(_("description"), max_length=200)

    class Meta(AgreementRow.Meta):
        verbose_name = _("reason code")
        constraints = [
            *AgreementRow.Meta.constraints,
            models.UniqueConstraint(
                fields=["agreement", "kind", "code"], name="leadreason_code_once"
            ),
        ]

    @property
    def label(self):
        return self.code


class NurtureTrack(AgreementRow):
    name = models.CharField(_("track"), max_length=120)
    stage = models.CharField(_("buyer stage"), max_length=15, choices=BuyerStage)
    content = models.TextField(_("content"))
    cadence_days = models.PositiveSmallIntegerField(
        _("one touch every (days)"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    class Meta(AgreementRow.Meta):
        verbose_name = _("nurture track")
        constraints = [
            *AgreementRow.Meta.constraints,
            models.CheckConstraint(
                condition=Q(cadence_days__gte=1, cadence_days__lte=365),
                name="nurturetrack_cadence_range",
            ),
            models.UniqueConstraint(fields=["agreement", "name"], name="nurturetrack_name_once"),
        ]

    @property
    def label(self):
        return self.name


class FollowUpStep(AgreementRow):
    """One contact attempt: on which day after the hand-off, through which channel."""

    day = models.PositiveSmallIntegerField(
        _("day after hand-off"), validators=[MaxValueValidator(365)]
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta(AgreementRow.Meta):
        verbose_name = _("follow-up attempt")
        constraints = [
            *AgreementRow.Meta.constraints,
            models.CheckConstraint(condition=Q(day__lte=365), name="followupstep_day_range"),
        ]

    @property
    def label(self):
        return f"{self.day}: {self.get_channel_display()}"


RATE_VALIDATORS = [MinValueValidator(Decimal("0.00000001")), MaxValueValidator(Decimal("1"))]


def _rate(verbose_name, *, optional=False):
    return models.DecimalField(
        verbose_name,
        max_digits=9,
        decimal_places=8,
        validators=RATE_VALIDATORS,
        null=optional,
        blank=optional,
    )


def _rate_constraints(prefix, names, *, optional=False):
    constraints = []
    for name in names:
        in_range = Q(**{f"{name}__gt": 0, f"{name}__lte": 1})
        condition = (Q(**{f"{name}__isnull": True}) | in_range) if optional else in_range
        constraints.append(
            models.CheckConstraint(condition=condition, name=f"{prefix}_{name}_in_0_1")
        )
    return constraints


FUNNEL_RATES = ("win_rate", "sql_to_opportunity_rate", "mql_to_sql_rate", "lead_to_mql_rate")


class FunnelStream(AgreementRow):
    """A revenue stream of the funnel plan: its share of the target and its own conversion."""

    name = models.CharField(_("revenue stream"), max_length=120)
    share = _rate(_("share of the revenue target"))
    average_deal_size = models.DecimalField(
        _("average deal size"),
        max_digits=15,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    win_rate = _rate(_("win rate (opportunity to deal)"))
    sql_to_opportunity_rate = _rate(_("SQL to opportunity"))
    mql_to_sql_rate = _rate(_("MQL to SQL"))
    lead_to_mql_rate = _rate(_("lead to MQL"))
    sales_cycle_days = models.PositiveSmallIntegerField(
        _("sales cycle (days)"), default=30, validators=[MaxValueValidator(1095)]
    )

    class Meta(AgreementRow.Meta):
        verbose_name = _("revenue stream")
        constraints = [
            *AgreementRow.Meta.constraints,
            *_rate_constraints("funnelstream", ("share", *FUNNEL_RATES)),
            models.CheckConstraint(
                condition=Q(average_deal_size__gt=0), name="funnelstream_deal_size_positive"
            ),
            models.CheckConstraint(
                condition=Q(sales_cycle_days__lte=1095), name="funnelstream_cycle_range"
            ),
            models.UniqueConstraint(fields=["agreement", "name"], name="funnelstream_name_once"),
        ]

    @property
    def label(self):
        return self.name


class FunnelSource(AgreementRow):
    """A lead source: its share of the target, rates where they differ, and cost per lead."""

    name = models.CharField(_("lead source"), max_length=120)
    share = _rate(_("share of the revenue target"))
    cost_per_lead = models.DecimalField(
        _("cost per lead"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    win_rate = _rate(_("own win rate"), optional=True)
    sql_to_opportunity_rate = _rate(_("own SQL to opportunity"), optional=True)
    mql_to_sql_rate = _rate(_("own MQL to SQL"), optional=True)
    lead_to_mql_rate = _rate(_("own lead to MQL"), optional=True)

    class Meta(AgreementRow.Meta):
        verbose_name = _("lead source")
        constraints = [
            *AgreementRow.Meta.constraints,
            *_rate_constraints("funnelsource", ("share",)),
            *_rate_constraints("funnelsource", FUNNEL_RATES, optional=True),
            models.CheckConstraint(
                condition=Q(cost_per_lead__isnull=True) | Q(cost_per_lead__gte=0),
                name="funnelsource_cost_not_negative",
            ),
            models.UniqueConstraint(fields=["agreement", "name"], name="funnelsource_name_once"),
        ]

    @property
    def label(self):
        return self.name
