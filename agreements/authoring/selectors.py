"""The access helper every agreement page starts from, and the agreements one may copy."""

from django.shortcuts import get_object_or_404

from organizations.models import Membership
from organizations.selectors import get_membership_for_user

from ..models import Agreement, AgreementStatus, Review


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


COPY_CHOICES_SHOWN = 20


def copy_choices(organization, query: str = "", *, include=None) -> list[Agreement]:
    """The organisation's agreements a new one may copy: the latest changed first, at most
    COPY_CHOICES_SHOWN, narrowed by a title search; `include` (a pk) is kept in the list, so a
    choice already made stays selectable. One query, whatever the organisation's size."""
    agreements = Agreement.objects.for_organization(organization).only("id", "title")
    if query:
        agreements = agreements.filter(title__icontains=query)
    shown = list(agreements.order_by("-updated_at", "-id")[:COPY_CHOICES_SHOWN])
    if include and str(include).isdigit() and all(a.pk != int(include) for a in shown):
        chosen = Agreement.objects.for_organization(organization).filter(pk=include).first()
        shown = [chosen, *shown] if chosen else shown
    return shown


def review_with_actuals(agreement) -> Review | None:
    """The latest closed review that recorded actual results, while the agreement is a draft (a
    revision of its signed version; only signed versions are reviewed): the funnel section
    offers its actual conversion rates (reviews.rate_views). One query, drafts only."""
    if agreement.status != AgreementStatus.DRAFT:
        return None
    return (
        Review.objects.filter(agreement=agreement, closed_at__isnull=False, actuals__isnull=False)
        .order_by("-due_on")
        .first()
    )
