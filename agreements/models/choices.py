from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_SIGNATURE = "in_signature", _("In signature")
    SIGNED = "signed", _("Signed")


class Team(models.TextChoices):
    MARKETING = "marketing", _("Marketing")
    SALES = "sales", _("Sales")


class OwnerTeam(models.TextChoices):
    MARKETING = "marketing", _("Marketing")
    SALES = "sales", _("Sales")
    SHARED = "shared", _("Shared")


class ReviewCadence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Every six months")


class DefinitionKey(models.TextChoices):
    CONTACT = "contact", _("Contact")
    LEAD = "lead", _("Lead")
    ICP = "icp", _("Ideal customer profile")
    BUYER_PERSONA = "buyer_persona", _("Buyer persona")
    MQL = "mql", _("Marketing-qualified lead (MQL)")
    SAL = "sal", _("Sales-accepted lead (SAL)")
    SQL = "sql", _("Sales-qualified lead (SQL)")
    OPPORTUNITY = "opportunity", _("Opportunity")


class QualificationAxis(models.TextChoices):
    FIT = "fit", _("Fit")
    INTEREST = "interest", _("Interest")


class ReasonKind(models.TextChoices):
    REJECTION = "rejection", _("Rejection (sales declines a hand-off)")
    DISPOSITION = "disposition", _("Disposition (why a lead did not progress)")


class BuyerStage(models.TextChoices):
    AWARENESS = "awareness", _("Awareness")
    CONSIDERATION = "consideration", _("Consideration")
    DECISION = "decision", _("Decision")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    VIDEO = "video", _("Video call")
    SOCIAL = "social", _("Social / LinkedIn")
    OTHER = "other", _("Other")


class KpiUnit(models.TextChoices):
    COUNT = "count", _("count")
    PERCENT = "percent", _("%")
    CURRENCY = "currency", _("currency")
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")
    RATIO = "ratio", _("ratio")


class KpiDirection(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")
    ON_TARGET = "on_target", _("On target (within the band)")


class KpiPeriod(models.TextChoices):
    MONTH = "month", _("per month")
    QUARTER = "quarter", _("per quarter")
    TERM = "term", _("over the term")


class CommitmentUnit(models.TextChoices):
    BUSINESS_HOURS = "business_hours", _("business hours")
    BUSINESS_DAYS = "business_days", _("business days")
    PERCENT = "percent", _("%")
    COUNT = "count", _("count")


class CommitmentMetric(models.TextChoices):
    """What a commitment measures in the CRM's lead events (the compliance page): the clock it
    runs on, or the share or count it counts. Blank: judged in the reviews, not from events."""

    HANDOFF_TIME = "handoff_time", _("Time from MQL to hand-off")
    RESPONSE_TIME = "response_time", _("Time from hand-off to first contact")
    ACCEPTANCE = "acceptance", _("Time from hand-off to accepted or rejected")
    ATTEMPTS = "attempts", _("Contact attempts within the follow-up cadence")
    REJECTION_RATE = "rejection_rate", _("Share of hand-offs rejected, at most")
    MQL_VOLUME = "mql_volume", _("MQLs against the plan's monthly target")


# The unit each metric's threshold is in: a clock in business time, a count or a percentage.
METRIC_UNITS = {
    CommitmentMetric.HANDOFF_TIME: ("business_hours", "business_days"),
    CommitmentMetric.RESPONSE_TIME: ("business_hours", "business_days"),
    CommitmentMetric.ACCEPTANCE: ("business_hours", "business_days"),
    CommitmentMetric.ATTEMPTS: ("count",),
    CommitmentMetric.REJECTION_RATE: ("percent",),
    CommitmentMetric.MQL_VOLUME: ("percent",),
}


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class SigningOrder(models.TextChoices):
    ANY = "any", _("In any order")
    SEQUENTIAL = "sequential", _("In order: marketing lead, sales lead, then the others")
