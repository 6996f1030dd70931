from django.shortcuts import get_object_or_404

from organizations.selectors import get_membership_for_user

from .models import Agreement


def agreements_for_dashboard(organization):
    return (
        Agreement.objects.for_organization(organization)
        .select_related("created_by")
        .order_by("-updated_at", "-id")
    )


def get_agreement_for_user(user, pk: int, *, write=False) -> tuple[Agreement, object]:
    """The agreement and the user's membership of its organisation.

    404 for anyone outside the organisation, 403 for viewers when `write` is asked.
    """
    agreement = get_object_or_404(
        Agreement.objects.select_related("organization").for_user(user), pk=pk
    )
    membership = get_membership_for_user(user, agreement.organization.slug, write=write)
    return agreement, membership
