"""The agreement as one document: the agreement row with every row of every section loaded."""

from dataclasses import dataclass, field

from ..models import Agreement
from .funnel_plan import compute_for
from .plan_checks import follow_up_warning, plan_warnings
from .sections import ROW_KINDS, SECTIONS, funnel_error_problems


def rows_of(agreement, kind_key: str):
    kind = ROW_KINDS[kind_key]
    queryset = kind.model.objects.filter(agreement=agreement).order_by("position", "id")
    if kind_key == "signatories":
        queryset = queryset.select_related("user")
    return queryset


@dataclass
class AgreementDocument:
    """An agreement with every row of every section loaded: one query per row kind.

    A document rebuilt from a version's snapshot carries the funnel targets frozen with it
    (`frozen_funnel`); a live one computes them on first use.
    """

    agreement: Agreement
    rows: dict[str, list] = field(default_factory=dict)
    frozen_funnel: dict | None = None

    def funnel(self):
        if not hasattr(self, "_funnel"):
            self._funnel = compute_for(self)
        return self._funnel

    def funnel_problems(self) -> list:
        """Why the plan does not compute, each naming and locating its field (sections.Problem)."""
        return funnel_error_problems(self, self.funnel().errors)

    def funnel_targets(self) -> dict | None:
        """The computed targets as JSON (the engine's `to_dict()`), frozen or live."""
        if self.frozen_funnel is not None:
            return self.frozen_funnel
        outcome = self.funnel()
        return outcome.result.to_dict() if outcome.ok else None

    def plan_warnings(self) -> list[str]:
        """What a RevOps lead would question in the plan (see plan_checks); not blocking."""
        funnel = self.funnel_targets()
        warnings = plan_warnings(funnel, self.agreement.currency)
        capacity = follow_up_warning(funnel, self.agreement, len(self.rows["steps"]))
        return [*warnings, capacity] if capacity else warnings

    @property
    def sections(self):
        return SECTIONS

    def problems_by_section(self) -> dict[str, list]:
        """Each section's problems (sections.Problem), worked out once per document."""
        if not hasattr(self, "_problems"):
            self._problems = {section.key: section.problems(self) for section in SECTIONS}
        return self._problems

    def missing_by_section(self) -> dict[str, list[str]]:
        return {
            key: [problem.message for problem in problems]
            for key, problems in self.problems_by_section().items()
        }

    @property
    def is_complete(self) -> bool:
        return not any(self.problems_by_section().values())

    def signatories(self):
        """Everyone who signs, leads first."""
        people = []
        agreement = self.agreement
        if agreement.marketing_lead:
            people.append((agreement.marketing_lead, agreement.marketing_team_name, "marketing"))
        if agreement.sales_lead:
            people.append((agreement.sales_lead, agreement.sales_team_name, "sales"))
        people += [(row.user, row.capacity, "further") for row in self.rows["signatories"]]
        return people


def load_document(agreement: Agreement) -> AgreementDocument:
    return AgreementDocument(
        agreement=agreement, rows={key: list(rows_of(agreement, key)) for key in ROW_KINDS}
    )
