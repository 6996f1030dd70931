"""Read paths and the access helper for agreements."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from organizations.models import Membership
from organizations.selectors import get_membership_for_user

from .models import Agreement, AgreementVersion, Signature
from .sections import ROW_KINDS, SECTIONS


def agreements_for_dashboard(organization, today=None):
    """The organisation's agreements, each with `review_due` (a DueStatus or None)."""
    from django.conf import settings
    from django.utils import timezone

    from .reviews import due_status, next_review_due

    today = today or timezone.localdate()
    agreements = list(
        Agreement.objects.for_organization(organization)
        .select_related("created_by")
        .prefetch_related(
            "reviews",
            # Only the state is needed here, not each version's (large) snapshot.
            Prefetch(
                "versions", queryset=AgreementVersion.objects.only("id", "agreement_id", "state")
            ),
        )
        .order_by("-updated_at", "-id")
    )
    for agreement in agreements:
        signed = any(v.state == "signed" for v in agreement.versions.all())
        agreement.signed_version_in_force = signed
        closed = [r.due_on for r in agreement.reviews.all() if r.is_closed]
        due = next_review_due(agreement, closed) if signed else None
        agreement.review_due = due_status(due, today, settings.REVIEW_REMINDER_DAYS)
    return agreements


def get_agreement_for_user(user, pk: int, *, write=False) -> tuple[Agreement, Membership]:
    """The agreement and the user's membership of its organisation.

    404 for anyone outside the organisation, 403 for viewers when `write` is asked.
    """
    agreement = get_object_or_404(
        Agreement.objects.select_related(
            "organization", "marketing_lead", "sales_lead", "recycle_track"
        ).for_user(user),
        pk=pk,
    )
    membership = get_membership_for_user(user, agreement.organization.slug, write=write)
    return agreement, membership


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
        from .funnel_plan import compute_for

        if not hasattr(self, "_funnel"):
            self._funnel = compute_for(self)
        return self._funnel

    def funnel_problems(self) -> list[str]:
        from .funnel_plan import readable_errors

        return readable_errors(self.funnel().errors, self.rows["streams"], self.rows["sources"])

    def funnel_targets(self) -> dict | None:
        """The computed targets as JSON (the engine's `to_dict()`), frozen or live."""
        if self.frozen_funnel is not None:
            return self.frozen_funnel
        outcome = self.funnel()
        return outcome.result.to_dict() if outcome.ok else None

    @property
    def sections(self):
        return SECTIONS

    def missing_by_section(self) -> dict[str, list[str]]:
        return {section.key: section.missing(self) for section in SECTIONS}

    @property
    def is_complete(self) -> bool:
        return not any(self.missing_by_section().values())

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


def get_version_for_user(user, pk: int, number: int, *, write=False):
    """A version of an agreement the user may see; 404 otherwise (outsiders, wrong numbers)."""
    agreement, membership = get_agreement_for_user(user, pk, write=write)
    version = get_object_or_404(agreement.versions.select_related("created_by"), number=number)
    version.agreement = agreement  # already loaded with its organisation
    return version, membership


def versions_of(agreement):
    return (
        agreement.versions.defer("snapshot")
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "signatures",
                queryset=Signature.objects.defer("image_png").select_related("signer"),
            )
        )
        .order_by("-number")
    )


def awaiting_signature(user, organization):
    """The user's signature slots in this organisation that are open now, turn order included."""
    slots = (
        Signature.objects.awaiting(user)
        .filter(version__agreement__organization=organization)
        .select_related("version__agreement")
    )
    open_now = []
    for slot in slots:
        if (
            slot.version.signing_order == "sequential"
            and Signature.objects.filter(
                version=slot.version, status="pending", order__lt=slot.order
            ).exists()
        ):
            continue
        open_now.append(slot)
    return open_now
