"""The thirteen sections of an SLA: what each holds, and when it counts as complete.

One registry drives the editor's sidebar, its forms, the completeness check and the contract.
"""

import re
from contextlib import suppress
from dataclasses import dataclass, field, replace

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from ..models import (
    Agreement,
    DefinitionKey,
    OwnerTeam,
    QualificationAxis,
    ReasonKind,
    Team,
)
from ..typography import mark
from .plan_checks import commitment_problems, kpi_contradictions
from .problems import Problem, field_anchor, field_label, located
from .row_kinds import ROW_KINDS


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

    def problems(self, doc) -> list[Problem]:
        """What the section still needs before the agreement can be submitted, each with the
        field, row or list it is about."""
        found = [
            _missing_field(doc, name)
            for name in self.fields
            if getattr(doc.agreement, name) in (None, "") and name not in OPTIONAL_FIELDS
        ]
        for check in self.checks:
            found += check(doc)
        return found

    def missing(self, doc) -> list[str]:
        """The problems as sentences (the submission refusal lists them)."""
        return [problem.message for problem in self.problems(doc)]


OPTIONAL_FIELDS = {"recycle_track", "nurture_requests"}


def section_label(section_key) -> str:
    """ "3. Shared goal": how a problem names a section other than the one it is listed under."""
    section = SECTIONS_BY_KEY[section_key]
    return f"{section.number}. {section.title}"


def _field_problem(doc, name, message) -> Problem:
    return Problem(str(message), doc.agreement.pk, FIELD_SECTIONS[name], field_anchor(name))


def _missing_field(doc, name) -> Problem:
    return _field_problem(
        doc, name, _("%(field)s is missing") % {"field": field_label(Agreement, name)}
    )


def _list_problem(doc, kind_key, message) -> Problem:
    return Problem(str(message), doc.agreement.pk, KIND_SECTIONS[kind_key], f"rows-{kind_key}")


def _row_problem(doc, kind_key, row, message) -> Problem:
    if row.pk is None:  # a row not saved yet (the funnel preview): its list
        return _list_problem(doc, kind_key, message)
    # Rows that follow the funnel plan are not edited; the link only shows them.
    editable = not getattr(row, "funnel_stage", "")
    return Problem(
        str(message),
        doc.agreement.pk,
        KIND_SECTIONS[kind_key],
        f"row-{kind_key}-{row.pk}",
        f"{kind_key}-{row.pk}" if editable else "",
    )


# Where the plan-level figures the funnel engine reads are typed: the engine's path -> field.
PLAN_FIELDS = {
    "revenue_target": "revenue_target",
    "term_months": "end_date",
    "start": "effective_date",
}
_ROW_PATH = re.compile(r"(streams|sources)(?:\[(\d+)\])?(?:\.(\w+))?")


def funnel_error_problems(doc, errors: dict[str, list[str]]) -> list[Problem]:
    """The funnel engine's errors (keyed by paths such as "revenue_target" or
    "streams[0].share") named and located: the section and field, or the list, row and field,
    where each is fixed."""
    return [
        _plan_error(doc, path, str(message))
        for path, messages in errors.items()
        for message in messages
    ]


def _plan_error(doc, path, message) -> Problem:
    if path in PLAN_FIELDS:
        name = PLAN_FIELDS[path]
        where = [section_label(FIELD_SECTIONS[name]), field_label(Agreement, name)]
        return _field_problem(doc, name, located(where, message))
    match = _ROW_PATH.fullmatch(path)
    if not match:  # the plan as a whole
        return Problem(message, doc.agreement.pk, "kpis", "funnel-results")
    kind_key, index, name = match.groups()
    kind = ROW_KINDS[kind_key]
    rows = doc.rows[kind_key]
    row = rows[int(index)] if index is not None and int(index) < len(rows) else None
    where = [kind.title, *([row.name] if row is not None else [])]
    if name:
        with suppress(FieldDoesNotExist):  # a path the engine names but the row lacks
            where.append(field_label(kind.model, name))
    if row is None:
        return _list_problem(doc, kind_key, located(where, message))
    return _row_problem(doc, kind_key, row, located(where, message))


def _needs_rows(kind, message):
    return lambda doc: [] if doc.rows[kind] else [_list_problem(doc, kind, message)]


def _definitions_cover_mql_and_sql(doc):
    keys = {row.key for row in doc.rows["definitions"]}
    missing = [
        label
        for key, label in [(DefinitionKey.MQL, "MQL"), (DefinitionKey.SQL, "SQL")]
        if key not in keys
    ]
    if missing:
        message = _("Define %(terms)s") % {"terms": ", ".join(missing)}
        return [_list_problem(doc, "definitions", message)]
    return []


def _both_axes_scored(doc):
    axes = {row.axis for row in doc.rows["criteria"]}
    if not {QualificationAxis.FIT, QualificationAxis.INTEREST} <= axes:
        message = _("Add at least one fit and one interest criterion")
        return [_list_problem(doc, "criteria", message)]
    return []


def _threshold_reachable(doc):
    threshold = doc.agreement.mql_threshold
    best = sum(max(row.points, 0) for row in doc.rows["criteria"])
    if threshold is not None and doc.rows["criteria"] and threshold > best:
        message = _(
            "The MQL threshold (%(threshold)s) is above the highest possible score (%(best)s)"
        ) % {"threshold": threshold, "best": best}
        return [_field_problem(doc, "mql_threshold", message)]
    return []


def _has_rejection_reason(doc):
    if not any(row.kind == ReasonKind.REJECTION for row in doc.rows["reasons"]):
        return [_list_problem(doc, "reasons", _("Add at least one rejection reason code"))]
    return []


def _kpis_for_both_teams(doc):
    owners = {row.owner_team for row in doc.rows["kpis"]}
    if not (
        {OwnerTeam.MARKETING, OwnerTeam.SHARED} & owners
        and {OwnerTeam.SALES, OwnerTeam.SHARED} & owners
    ):
        return [_list_problem(doc, "kpis", _("Give both marketing and sales at least one KPI"))]
    return []


def _leads_named(doc):
    """Each lead not named yet, in the section where leads are named."""
    return [
        _field_problem(
            doc,
            name,
            section_label(FIELD_SECTIONS[name])
            + mark(":")
            + _("%(field)s is missing") % {"field": field_label(Agreement, name)},
        )
        for name in ("marketing_lead", "sales_lead")
        if not getattr(doc.agreement, f"{name}_id")
    ]


def _funnel_computes(doc):
    if not doc.rows["streams"]:
        message = _("Add a revenue stream so the funnel targets can be computed")
        return [_list_problem(doc, "streams", message)]
    if doc.funnel().ok:
        return []
    return [
        replace(
            problem,
            message=_("The funnel plan cannot be computed yet: %(problems)s")
            % {"problems": problem.message},
        )
        for problem in doc.funnel_problems()
    ]


def _kpis_agree_with_plan(doc):
    contradictions = kpi_contradictions(
        doc.rows["kpis"], doc.funnel_targets(), doc.agreement.language
    )
    return [_row_problem(doc, "kpis", kpi, message) for kpi, message in contradictions]


def _commitments_measurable(doc):
    problems = commitment_problems(doc.rows["commitments"])
    return [_row_problem(doc, "commitments", row, message) for row, message in problems]


def _commitments_from_both_teams(doc):
    teams = {row.team for row in doc.rows["commitments"]}
    if not {Team.MARKETING, Team.SALES} <= teams:
        message = _("Add at least one commitment from each team")
        return [_list_problem(doc, "commitments", message)]
    return []


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
# The section whose page holds each field and each list of rows.
FIELD_SECTIONS = {name: section.key for section in SECTIONS for name in section.fields}
KIND_SECTIONS = {kind: section.key for section in SECTIONS for kind in section.row_kinds}
