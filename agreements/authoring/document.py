"""The agreement as one document: the agreement row with every row of every section loaded."""

from dataclasses import dataclass, field

from django.core.cache import caches
from django.utils import translation

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
    # Set by load_document(..., cached=True): derived facts are kept per draft state under it.
    state_key: str = ""

    def _derived(self, name: str, compute):
        """`compute()`, or its value for this exact draft state from the per-process cache."""
        if not self.state_key:
            return compute()
        key = f"{name}:{self.state_key}"
        cache = caches["documents"]
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, DERIVED_CACHE_SECONDS)
        return value

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
        return self._derived("plan-warnings", self._plan_warnings)

    def _plan_warnings(self) -> list[str]:
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
            self._problems = self._derived(
                "problems",
                lambda: {section.key: section.problems(self) for section in SECTIONS},
            )
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


DERIVED_CACHE_SECONDS = 600


def draft_state_key(agreement: Agreement) -> str:
    """A key that changes whenever the agreement or any of its rows does, in the active language.

    Every change to an agreement goes through a service that writes an audit entry in the same
    transaction (agreements/audit.py), and each entry moves the trail's head stored on the
    agreement, so the head names the state exactly.
    """
    return ":".join(
        str(part)
        for part in (
            agreement.pk,
            agreement.status,
            agreement.audit_head_sequence,
            agreement.audit_head_hash,
            agreement.updated_at.isoformat() if agreement.updated_at else "",
            translation.get_language(),
        )
    )


class _RowsOnDemand(dict):
    """Row lists loaded the first time a section asks for them (one query per kind)."""

    def __init__(self, agreement):
        super().__init__()
        self.agreement = agreement

    def __missing__(self, key):
        if key not in ROW_KINDS:
            raise KeyError(key)
        rows = self[key] = list(rows_of(self.agreement, key))
        return rows


def load_document(agreement: Agreement, *, cached: bool = False) -> AgreementDocument:
    """Every row of every section. With `cached`, for pages that show one section: rows load as
    they are asked for, and the sidebar's problems and the plan warnings come from the cache for
    this draft state when a page of the same state computed them (they need every row)."""
    if cached:
        return AgreementDocument(
            agreement=agreement,
            rows=_RowsOnDemand(agreement),
            state_key=draft_state_key(agreement),
        )
    return AgreementDocument(
        agreement=agreement, rows={key: list(rows_of(agreement, key)) for key in ROW_KINDS}
    )
