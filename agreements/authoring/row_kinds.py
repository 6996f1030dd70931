"""The kinds of repeated rows an agreement holds (definitions, KPIs, meetings...): each with its
model, its list's title and the columns its list shows. Sections group them (sections.py)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..models import (
    Commitment,
    Definition,
    FollowUpStep,
    FunnelSource,
    FunnelStream,
    HandoffTrigger,
    Kpi,
    LeadReason,
    LifecycleStage,
    Meeting,
    NurtureTrack,
    QualificationCriterion,
    Signatory,
)


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
            ("team", "commitment", "metric", "share", "threshold", "unit", "scope"),
        ),
        RowKind(
            "meetings",
            Meeting,
            _("Meetings"),
            ("name", "cadence", "duration_minutes", "attendees"),
        ),
    ]
}
