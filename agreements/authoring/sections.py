"""The thirteen sections of an SLA: what each holds, and when it counts as complete.

One registry drives the editor's sidebar, its forms, the completeness check and the contract.
"""

from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..models import (
    Agreement,
    Commitment,
    Definition,
    DefinitionKey,
    FollowUpStep,
    FunnelSource,
    FunnelStream,
    HandoffTrigger,
    Kpi,
    LeadReason,
    LifecycleStage,
    Meeting,
    NurtureTrack,
    OwnerTeam,
    QualificationAxis,
    QualificationCriterion,
    ReasonKind,
    Signatory,
    Team,
)
from .plan_checks import commitment_problems, kpi_contradictions


@dataclass(frozen=True)
class RowKind:
    key: str
    model: type
    title: str
    columns: tuple[str, ...]  # shown in the row list, in order

    @property
    def related_name(self) -> str:
        return f"{self.model._meta.model_name}_rows"


ROW_KINDS = {
    kind.key: kind
    for kind in [
        RowKind(
            "signatories",
            Signatory,
            _("Further signatories"),
            ("user", "capacity"),
        ),
        RowKind("definitions", Definition, _("Definitions"), ("term", "meaning")),
        RowKind(
            "stages",
            LifecycleStage,
            _("Lifecycle stages"),
            ("name", "description", "owner_team"),
        ),
        RowKind(
            "criteria",
            QualificationCriterion,
            _("Scoring criteria"),
            ("axis", "criterion", "points"),
        ),
        RowKind(
            "triggers",
            HandoffTrigger,
            _("Hand-off triggers"),
            ("trigger", "response_hours"),
        ),
        RowKind(
            "reasons",
            LeadReason,
            _("Rejection and disposition reasons"),
            ("kind", "code", "description"),
        ),
        RowKind(
            "tracks",
            NurtureTrack,
            _("Nurture tracks"),
            ("name", "stage", "content", "cadence_days"),
        ),
        RowKind(
            "steps",
            FollowUpStep,
            _("Contact attempts"),
            ("day", "channel", "note"),
        ),
        RowKind(
            "streams",
            FunnelStream,
            _("Revenue streams"),
            ("name", "share", "average_deal_size", "win_rate", "sales_cycle_days"),
        ),
        RowKind(
            "sources",
            FunnelSource,
            _("Lead sources"),
            ("name", "share", "cost_per_lead", "lead_to_mql_rate"),
        ),
        RowKind(
            "kpis",
            Kpi,
            _("KPIs"),
            ("name", "owner_team", "target", "unit", "period", "direction", "frequency"),
        ),
        RowKind(
            "commitments",
            Commitment,
            _("Commitments"),
            ("team", "commitment", "share", "threshold", "unit", "scope"),
        ),
        RowKind(
            "meetings",
            Meeting,
            _("Meetings"),
            ("name", "cadence", "duration_minutes", "attendees"),
        ),
    ]
}


@dataclass(frozen=True)
class Section:
    number: int
    key: str
    title: str
    intro: str
    fields: tuple[str, ...] = ()
    row_kinds: tuple[str, ...] = ()
    checks: tuple = field(default=(), repr=False)

    def rows(self):
        return [ROW_KINDS[key] for key in self.row_kinds]

    def missing(self, doc) -> list[str]:
        """What the section still needs before the agreement can be submitted."""
        problems = []
        labels = {f.name: f.verbose_name for f in Agreement._meta.fields}
        for name in self.fields:
            value = getattr(doc.agreement, name)
            if value in (None, "") and name not in OPTIONAL_FIELDS:
                problems.append(_("%(field)s is missing") % {"field": capfirst(str(labels[name]))})
        for check in self.checks:
            problem = check(doc)
            if problem:
                problems.append(problem)
        return [str(problem) for problem in problems]


OPTIONAL_FIELDS = {"recycle_track", "nurture_requests"}


def _needs_rows(kind, message):
    return lambda doc: None if doc.rows[kind] else message


def _definitions_cover_mql_and_sql(doc):
    keys = {row.key for row in doc.rows["definitions"]}
    missing = [
        label
        for key, label in [(DefinitionKey.MQL, "MQL"), (DefinitionKey.SQL, "SQL")]
        if key not in keys
    ]
    if missing:
        return _("Define %(terms)s") % {"terms": ", ".join(missing)}
    return None


def _both_axes_scored(doc):
    axes = {row.axis for row in doc.rows["criteria"]}
    if not {QualificationAxis.FIT, QualificationAxis.INTEREST} <= axes:
        return _("Add at least one fit and one interest criterion")
    return None


def _threshold_reachable(doc):
    threshold = doc.agreement.mql_threshold
    best = sum(max(row.points, 0) for row in doc.rows["criteria"])
    if threshold is not None and doc.rows["criteria"] and threshold > best:
        return _(
            "The MQL threshold (%(threshold)s) is above the highest possible score (%(best)s)"
        ) % {"threshold": threshold, "best": best}
    return None


def _has_rejection_reason(doc):
    if not any(row.kind == ReasonKind.REJECTION for row in doc.rows["reasons"]):
        return _("Add at least one rejection reason code")
    return None


def _kpis_for_both_teams(doc):
    owners = {row.owner_team for row in doc.rows["kpis"]}
    if not (
        {OwnerTeam.MARKETING, OwnerTeam.SHARED} & owners
        and {OwnerTeam.SALES, OwnerTeam.SHARED} & owners
    ):
        return _("Give both marketing and sales at least one KPI")
    return None


def _leads_named(doc):
    if not (doc.agreement.marketing_lead_id and doc.agreement.sales_lead_id):
        return _("Name both leads under Parties and signatories")
    return None


def _funnel_computes(doc):
    if not doc.rows["streams"]:
        return _("Add a revenue stream so the funnel targets can be computed")
    outcome = doc.funnel()
    if not outcome.ok:
        return _("The funnel plan cannot be computed yet: %(problems)s") % {
            "problems": "; ".join(doc.funnel_problems())
        }
    return None


def _kpis_agree_with_plan(doc):
    problems = kpi_contradictions(doc.rows["kpis"], doc.funnel_targets(), doc.agreement.language)
    return " ".join(problems) or None


def _commitments_measurable(doc):
    problems = commitment_problems(doc.rows["commitments"])
    return " ".join(problems) or None


def _commitments_from_both_teams(doc):
    teams = {row.team for row in doc.rows["commitments"]}
    if not {Team.MARKETING, Team.SALES} <= teams:
        return _("Add at least one commitment from each team")
    return None


SECTIONS = [
    Section(
        1,
        "parties",
        _("Parties and signatories"),
        _("The two teams and the leads who sign for them."),
        fields=(
            "title",
            "language",
            "marketing_team_name",
            "marketing_lead",
            "sales_team_name",
            "sales_lead",
            "signing_order",
        ),
        row_kinds=("signatories",),
    ),
    Section(
        2,
        "term",
        _("Term and review cadence"),
        _(
            "When the agreement applies and how often it is reviewed. Six or twelve months work "
            "best."
        ),
        fields=(
            "effective_date",
            "end_date",
            "review_cadence",
            "time_zone",
            "working_days",
            "workday_start",
            "workday_end",
        ),
    ),
    Section(
        3,
        "goal",
        _("Shared goal"),
        _("One SMART revenue goal that both teams own."),
        fields=("goal_statement", "revenue_target", "currency"),
    ),
    Section(
        4,
        "definitions",
        _("Definitions"),
        _(
            "Both teams mean the same thing by each term; stages are defined from the buyer's "
            "point of view."
        ),
        row_kinds=("definitions", "stages"),
        checks=(
            _needs_rows("definitions", _("Add the definitions")),
            _definitions_cover_mql_and_sql,
            _needs_rows("stages", _("Add the lifecycle stages")),
        ),
    ),
    Section(
        5,
        "qualification",
        _("Lead qualification"),
        _(
            "Fit (does the lead match the ICP?) and interest (engagement, urgency) earn points; "
            "at the threshold a lead becomes an MQL."
        ),
        fields=("mql_threshold",),
        row_kinds=("criteria",),
        checks=(_both_axes_scored, _threshold_reachable),
    ),
    Section(
        6,
        "handoffs",
        _("Hand-offs"),
        _(
            "What sends a lead from marketing to sales, what comes with it, how fast sales "
            "responds, and when sales recycles it."
        ),
        fields=(
            "handoff_information",
            "handoff_response_hours",
            "sal_acceptance_hours",
            "recycle_after_attempts",
            "recycle_after_days",
            "recycle_track",
            "nurture_requests",
        ),
        row_kinds=("triggers", "reasons"),
        checks=(
            _needs_rows("triggers", _("Add at least one hand-off trigger")),
            _has_rejection_reason,
        ),
    ),
    Section(
        7,
        "nurturing",
        _("Lead nurturing"),
        _("Marketing's workflows per buyer stage: what content, how often."),
        row_kinds=("tracks",),
        checks=(_needs_rows("tracks", _("Add at least one nurture track")),),
    ),
    Section(
        8,
        "follow_up",
        _("Lead management and sales follow-up"),
        _(
            "Time to first contact, the attempts and their spacing, and recording why a lead did "
            "not progress."
        ),
        fields=("first_contact_hours", "disposition_policy", "sales_reps", "rep_daily_attempts"),
        row_kinds=("steps",),
        checks=(_needs_rows("steps", _("Add the contact attempts")),),
    ),
    Section(
        9,
        "kpis",
        _("Funnel targets and KPIs"),
        _(
            "The funnel plan (revenue streams and lead sources) computes the monthly targets "
            "from the revenue goal; they join the KPIs, each with its owner team, target, unit "
            "and how often it is measured."
        ),
        row_kinds=("streams", "sources", "kpis"),
        checks=(
            _funnel_computes,
            _needs_rows("kpis", _("Add the KPIs")),
            _kpis_for_both_teams,
            _kpis_agree_with_plan,
        ),
    ),
    Section(
        10,
        "commitments",
        _("Commitments and escalation"),
        _("What each team commits to, what happens on a miss, and the escalation path."),
        fields=("escalation_path", "missed_commitment_policy"),
        row_kinds=("commitments",),
        checks=(_commitments_from_both_teams, _commitments_measurable),
    ),
    Section(
        11,
        "meetings",
        _("Communication and meetings"),
        _("Meeting cadence and format, feedback channels and how disputes are raised."),
        fields=("feedback_channels", "dispute_process"),
        row_kinds=("meetings",),
        checks=(_needs_rows("meetings", _("Add at least one meeting")),),
    ),
    Section(
        12,
        "reporting",
        _("Reporting and data"),
        _("The CRM is the single source of truth; closed-loop reporting both leads can see."),
        fields=("crm_system", "reporting_frequency", "report_contents", "data_access"),
    ),
    Section(
        13,
        "signatures",
        _("Signatures"),
        _("Everyone who signs: the two leads and any further signatories."),
        checks=(_leads_named,),
    ),
]
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}
