"""The recommended template: every section prefilled with the defaults from DOMAIN.md.

Texts are marked for translation here (data, not per-language code branches); an agreement
created in another language gets them in that language by rendering under its locale.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ..models import (
    BuyerStage,
    Channel,
    CommitmentMetric,
    CommitmentUnit,
    DefinitionKey,
    Frequency,
    KpiDirection,
    KpiPeriod,
    KpiUnit,
    OwnerTeam,
    QualificationAxis,
    ReasonKind,
    ReviewCadence,
    Team,
)

AGREEMENT_FIELDS = {
    "marketing_team_name": _("Marketing"),
    "sales_team_name": _("Sales"),
    "review_cadence": ReviewCadence.QUARTERLY,
    # Six reps, 50 attempts a day each, 7 attempts per lead: up to 42 new MQLs a working day.
    "sales_reps": 6,
    "rep_daily_attempts": 50,
    "goal_statement": _(
        "Marketing and sales together win the revenue target below in new business from "
        "inbound and outbound leads within the term of this agreement. Both teams own it."
    ),
    "currency": "EUR",
    "mql_threshold": 60,
    "handoff_information": _(
        "Contact details, company and role, lead source and campaign, score with its fit and "
        "interest breakdown, pages and content consumed, form answers, and any stated need or "
        "timeline."
    ),
    "handoff_response_hours": 24,
    "sal_acceptance_hours": 48,
    "recycle_after_attempts": 7,
    "recycle_after_days": 56,
    "nurture_requests": _(
        "Sales can ask marketing for a specific nurture workflow in the weekly stand-up or "
        "through the CRM's recycle form, naming the lead's need and the content that would help."
    ),
    "first_contact_hours": 24,
    "disposition_policy": _(
        "Every lead that does not progress gets a disposition reason in the CRM before it is "
        "closed or recycled."
    ),
    "escalation_path": _(
        "A missed service level is raised first between the two leads within one week; if it is "
        "not resolved, it goes to the revenue leadership at the next monthly review."
    ),
    "missed_commitment_policy": _(
        "Two consecutive misses of the same commitment put it on the agenda of the next monthly "
        "review with a written recovery plan from the owning team."
    ),
    "feedback_channels": _(
        "A shared channel for day-to-day questions about leads; feedback on lead quality through "
        "the rejection reason codes in the CRM."
    ),
    "dispute_process": _(
        "Either lead raises a dispute in writing with the data behind it; both leads settle it "
        "within five working days or escalate it."
    ),
    "crm_system": "CRM",
    "reporting_frequency": Frequency.MONTHLY,
    "report_contents": _(
        "Leads, MQLs, SQLs, opportunities and deals per lead source against target; conversion "
        "per stage; response times; marketing-sourced revenue and marketing ROI."
    ),
    "data_access": _("Both leads and their teams have read access to every report and dashboard."),
}

DEFINITIONS = [
    (DefinitionKey.CONTACT, _("Contact"), _("Any person whose details are in the CRM.")),
    (
        DefinitionKey.LEAD,
        _("Lead"),
        _("A contact who has shown interest in our offer, e.g. by filling in a form."),
    ),
    (
        DefinitionKey.ICP,
        _("Ideal customer profile (ICP)"),
        _(
            "Companies of 50 to 1,000 employees in our target industries and regions with the "
            "problem our product solves and the budget to solve it."
        ),
    ),
    (
        DefinitionKey.BUYER_PERSONA,
        _("Buyer persona"),
        _("A decision maker or influencer in sales, marketing or operations at an ICP company."),
    ),
    (
        DefinitionKey.MQL,
        _("Marketing-qualified lead (MQL)"),
        _("A lead whose fit and interest score reaches the MQL threshold of this agreement."),
    ),
    (
        DefinitionKey.SAL,
        _("Sales-accepted lead (SAL)"),
        _("An MQL that sales has reviewed and accepted for follow-up."),
    ),
    (
        DefinitionKey.SQL,
        _("Sales-qualified lead (SQL)"),
        _(
            "A lead that sales has spoken to and confirmed has a need, authority, budget and a "
            "timeline to buy."
        ),
    ),
    (
        DefinitionKey.OPPORTUNITY,
        _("Opportunity"),
        _("An SQL with a qualified deal in the pipeline, a value and an expected close date."),
    ),
]

LIFECYCLE_STAGES = [
    (_("Subscriber"), _("Knows us and wants to hear from us."), OwnerTeam.MARKETING),
    (_("Lead"), _("Is looking into a problem we solve."), OwnerTeam.MARKETING),
    (_("MQL"), _("Shows fit and intent: is ready to talk to us."), OwnerTeam.MARKETING),
    (_("SQL"), _("Has confirmed a need and is evaluating a solution."), OwnerTeam.SALES),
    (_("Opportunity"), _("Is deciding between us and alternatives."), OwnerTeam.SALES),
    (_("Customer"), _("Has bought from us."), OwnerTeam.SHARED),
]

CRITERIA = [
    (QualificationAxis.FIT, _("Company size matches the ICP"), 15),
    (QualificationAxis.FIT, _("Industry matches the ICP"), 10),
    (QualificationAxis.FIT, _("Decision maker"), 20),
    (QualificationAxis.FIT, _("Influencer"), 10),
    (QualificationAxis.FIT, _("Student, competitor or personal email address"), -30),
    (QualificationAxis.INTEREST, _("Requested a demo or consultation"), 40),
    (QualificationAxis.INTEREST, _("Visited the pricing page"), 15),
    (QualificationAxis.INTEREST, _("Downloaded a decision-stage asset"), 10),
    (QualificationAxis.INTEREST, _("Opened three or more emails in 30 days"), 5),
    (QualificationAxis.INTEREST, _("No activity for 60 days"), -15),
]

HANDOFF_TRIGGERS = [
    (_("Score reaches the MQL threshold"), 24),
    (_("Demo request"), 4),
    (_("Assessment or consultation request"), 8),
]

REASONS = [
    (ReasonKind.REJECTION, "bad-fit", _("Outside the ideal customer profile")),
    (ReasonKind.REJECTION, "no-interest", _("No current interest or need")),
    (ReasonKind.REJECTION, "duplicate", _("Duplicate of an existing lead or account")),
    (ReasonKind.REJECTION, "wrong-contact", _("Wrong or invalid contact details")),
    (ReasonKind.DISPOSITION, "no-response", _("No response after all attempts")),
    (ReasonKind.DISPOSITION, "timing", _("Interested, but not in the next six months")),
    (ReasonKind.DISPOSITION, "competitor", _("Chose a competitor")),
    (ReasonKind.DISPOSITION, "no-budget", _("No budget")),
]

NURTURE_TRACKS = [
    (
        _("Awareness"),
        BuyerStage.AWARENESS,
        _("Educational articles, guides and webinars about the problem."),
        14,
    ),
    (
        _("Consideration"),
        BuyerStage.CONSIDERATION,
        _("Case studies, comparisons and product videos."),
        10,
    ),
    (
        _("Decision"),
        BuyerStage.DECISION,
        _("Customer references, ROI calculator, offer of a demo or trial."),
        7,
    ),
    (
        _("Recycled leads"),
        BuyerStage.CONSIDERATION,
        _("Re-engagement sequence for leads sales has returned; back to sales at the threshold."),
        21,
    ),
]
RECYCLE_TRACK_INDEX = 3

# 3 attempts in the first 2 weeks, 5 within 4 weeks, 7 within 8 weeks.
FOLLOW_UP_STEPS = [
    (1, Channel.PHONE, _("Call and email on the first day")),
    (4, Channel.EMAIL, ""),
    (10, Channel.PHONE, ""),
    (17, Channel.VIDEO, _("Offer a short video call")),
    (24, Channel.EMAIL, ""),
    (38, Channel.PHONE, ""),
    (52, Channel.EMAIL, _("Last attempt before recycling")),
]

# The funnel plan: one revenue stream, three lead sources (seed 002's rates; seed 004's point
# that sources differ in cost and conversion). Leads/MQLs/SQLs... per month follow from it.
FUNNEL_STREAMS = [
    {
        "name": _("New business"),
        "share": Decimal("1"),
        "average_deal_size": Decimal("2000"),
        "win_rate": Decimal("0.23"),
        "sql_to_opportunity_rate": Decimal("0.82"),
        "mql_to_sql_rate": Decimal("0.33333333"),  # one in three
        "lead_to_mql_rate": Decimal("0.25"),
        "sales_cycle_days": 30,
    }
]
# Costs per lead a $2,000 deal can carry: about a fifth of the revenue goes to leads.
FUNNEL_SOURCES = [
    {"name": _("Website forms"), "share": Decimal("0.5"), "cost_per_lead": Decimal("4")},
    {
        "name": _("Outbound prospecting"),
        "share": Decimal("0.3"),
        "cost_per_lead": Decimal("10"),
        "lead_to_mql_rate": Decimal("0.4"),
    },
    {"name": _("Events"), "share": Decimal("0.2"), "cost_per_lead": Decimal("15")},
]

# A KPI with a plan key restates a figure of the funnel plan: its name and target follow the plan
# (funnel_targets.py); the target here only stands until the plan can be computed.
KPIS = [
    dict(
        name=_("Lead to MQL conversion"),
        owner_team=OwnerTeam.MARKETING,
        target=Decimal(25),
        unit=KpiUnit.PERCENT,
        frequency=Frequency.MONTHLY,
        direction=KpiDirection.HIGHER,
        period=KpiPeriod.MONTH,
        funnel_stage="lead_to_mql_rate",
    ),
    dict(
        name=_("Cost per lead"),
        owner_team=OwnerTeam.MARKETING,
        target=Decimal(8),
        unit=KpiUnit.CURRENCY,
        frequency=Frequency.MONTHLY,
        direction=KpiDirection.LOWER,
        period=KpiPeriod.MONTH,
        funnel_stage="cost_per_lead",
    ),
    dict(
        name=_("Response time to MQLs"),
        owner_team=OwnerTeam.SALES,
        target=Decimal(24),
        unit=KpiUnit.HOURS,
        frequency=Frequency.WEEKLY,
        direction=KpiDirection.LOWER,
        period=KpiPeriod.MONTH,
        funnel_stage="",
    ),
    dict(
        name=_("Contact attempts per lead"),
        owner_team=OwnerTeam.SALES,
        target=Decimal(7),
        unit=KpiUnit.COUNT,
        frequency=Frequency.MONTHLY,
        direction=KpiDirection.HIGHER,
        period=KpiPeriod.MONTH,
        funnel_stage="",
    ),
    dict(
        name=_("MQL to SQL conversion"),
        owner_team=OwnerTeam.SALES,
        target=Decimal("33.33"),
        unit=KpiUnit.PERCENT,
        frequency=Frequency.MONTHLY,
        direction=KpiDirection.HIGHER,
        period=KpiPeriod.MONTH,
        funnel_stage="mql_to_sql_rate",
    ),
    dict(
        name=_("Win rate"),
        owner_team=OwnerTeam.SALES,
        target=Decimal(23),
        unit=KpiUnit.PERCENT,
        frequency=Frequency.QUARTERLY,
        direction=KpiDirection.HIGHER,
        period=KpiPeriod.QUARTER,
        funnel_stage="win_rate",
    ),
    dict(
        name=_("Sales cycle length"),
        owner_team=OwnerTeam.SALES,
        target=Decimal(30),
        unit=KpiUnit.DAYS,
        frequency=Frequency.QUARTERLY,
        direction=KpiDirection.LOWER,
        period=KpiPeriod.QUARTER,
        funnel_stage="sales_cycle_days",
    ),
    dict(
        name=_("Marketing-sourced revenue over the term"),
        owner_team=OwnerTeam.SHARED,
        target=Decimal(0),
        unit=KpiUnit.CURRENCY,
        frequency=Frequency.QUARTERLY,
        direction=KpiDirection.HIGHER,
        period=KpiPeriod.TERM,
        funnel_stage="revenue",
    ),
]

# Every commitment is measurable: a share of cases, a threshold and a unit, on the agreement's
# working calendar. The response times match the hand-off and follow-up sections (24 business
# hours for MQLs; demo requests have their own 4-hour trigger).
COMMITMENTS = [
    dict(
        team=Team.MARKETING,
        commitment=_("Deliver the monthly MQL target per lead source"),
        measure=_("MQLs per month, within the target's band"),
        threshold=Decimal(10),
        unit=CommitmentUnit.PERCENT,
        share=Decimal(100),
        scope=_("each lead source, each month"),
        metric=CommitmentMetric.MQL_VOLUME,
    ),
    dict(
        team=Team.MARKETING,
        commitment=_("Notify sales of every new MQL immediately"),
        measure=_("Hand-off notification"),
        threshold=Decimal(1),
        unit=CommitmentUnit.BUSINESS_HOURS,
        share=Decimal(100),
        scope=_("all MQLs"),
        metric=CommitmentMetric.HANDOFF_TIME,
    ),
    dict(
        team=Team.MARKETING,
        commitment=_("Keep MQLs within the ICP"),
        measure=_("Hand-offs rejected as a bad fit, at most"),
        threshold=Decimal(15),
        unit=CommitmentUnit.PERCENT,
        share=Decimal(100),
        scope=_("all MQLs"),
        metric=CommitmentMetric.REJECTION_RATE,
    ),
    dict(
        team=Team.SALES,
        commitment=_("Contact every MQL within the response time"),
        measure=_("First contact after the hand-off"),
        threshold=Decimal(24),
        unit=CommitmentUnit.BUSINESS_HOURS,
        share=Decimal(95),
        scope=_("all MQLs"),
        metric=CommitmentMetric.RESPONSE_TIME,
    ),
    dict(
        team=Team.SALES,
        commitment=_("Work each lead through the full follow-up cadence"),
        measure=_("Contact attempts per lead before recycling"),
        threshold=Decimal(7),
        unit=CommitmentUnit.COUNT,
        share=Decimal(90),
        scope=_("all MQLs"),
        metric=CommitmentMetric.ATTEMPTS,
    ),
    dict(
        team=Team.SALES,
        commitment=_("Accept or reject each hand-off with a reason code"),
        measure=_("Accepted or rejected after the hand-off"),
        threshold=Decimal(48),
        unit=CommitmentUnit.BUSINESS_HOURS,
        share=Decimal(100),
        scope=_("all MQLs"),
        metric=CommitmentMetric.ACCEPTANCE,
    ),
]

MEETINGS = [
    (
        _("Lead stand-up"),
        Frequency.WEEKLY,
        15,
        _("Marketing and sales leads"),
        _("Last week's hand-offs, rejections and blockers."),
    ),
    (
        _("KPI review"),
        Frequency.MONTHLY,
        60,
        _("Both teams"),
        _("KPIs against targets, lead quality, campaign plan for next month."),
    ),
    (
        _("SLA review"),
        Frequency.QUARTERLY,
        90,
        _("Both leads and revenue leadership"),
        _("Actual results against the agreement, conversion rates, revision of targets."),
    ),
]
