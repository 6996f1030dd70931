"""Read paths and access helpers. Every view reaches an organisation through these."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Invitation, Membership


def memberships_for_user(user):
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organization")


def get_membership_for_user(user, slug: str, *, write=False, manage=False) -> Membership:
    """The user's membership of the organisation `slug`.

    404 when the user is not a member (outsiders cannot learn the organisation exists),
    403 when they are a member without the needed role.
    """
    membership = get_object_or_404(memberships_for_user(user), organization__slug=slug)
    if manage and not membership.can_manage:
        raise PermissionDenied("Only owners can manage members.")
    if write and not membership.can_edit:
        raise PermissionDenied("Viewers cannot change anything.")
    return membership


def get_member_in_org(membership: Membership, member_id: int) -> Membership:
    """Another membership of the same organisation, 404 if it belongs elsewhere."""
    return get_object_or_404(
        Membership.objects.select_related("user", "organization"),
        pk=member_id,
        organization_id=membership.organization_id,
    )


def get_invitation_in_org(membership: Membership, invitation_id: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("organization"),
        pk=invitation_id,
        organization_id=membership.organization_id,
    )


def members_of(organization):
    return organization.memberships.select_related("user").order_by("user__email")


def pending_invitations_of(organization):
    return organization.invitations.pending().select_related("invited_by").order_by("email")
