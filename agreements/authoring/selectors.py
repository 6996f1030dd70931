"""The access helper every agreement page starts from."""

from django.shortcuts import get_object_or_404

from organizations.models import Membership
from organizations.selectors import get_membership_for_user

from ..models import Agreement


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
