"""Write paths for organisations, memberships and invitations. Each is atomic and logged."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.verification import verified_email
from slaportal.errors import DomainError

from .emails import queue_invitation_email
from .models import Invitation, Membership, Organization, OrganizationEvent, Role


def _log(organization, actor, action, **detail):
    OrganizationEvent.objects.create(
        organization=organization, actor=actor, action=action, detail=detail
    )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "org"
    slug, n = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organization_create(*, name: str, owner) -> Organization:
    name = name.strip()
    if not name:
        raise DomainError(_("An organisation needs a name."))
    organization = Organization.objects.create(name=name, slug=_unique_slug(name))
    Membership.objects.create(organization=organization, user=owner, role=Role.OWNER)
    _log(organization, owner, "organization.created", name=name)
    return organization


@transaction.atomic
def invitation_create(*, organization, email: str, role: str, invited_by) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise DomainError(
            _("%(email)s is already a member of this organisation.") % {"email": email}
        )
    if role not in Role.values:
        raise DomainError(_("Choose a role: owner, editor or viewer."))
    # An expired invitation still blocks the partial unique index; retire it first.
    organization.invitations.pending().filter(
        email__iexact=email, expires_at__lte=timezone.now()
    ).update(revoked_at=timezone.now())
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                organization=organization, email=email, role=role, invited_by=invited_by
            )
    except IntegrityError:
        raise DomainError(
            _("%(email)s already has an open invitation. Revoke it to send a new one.")
            % {"email": email}
        ) from None
    _log(organization, invited_by, "invitation.created", email=email, role=role)
    queue_invitation_email(invitation)  # in the outbox with the invitation; sent after commit
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> None:
    if not invitation.is_pending:
        raise DomainError(_("This invitation is no longer open."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _log(invitation.organization, actor, "invitation.revoked", email=invitation.email)


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise DomainError(_("This invitation has already been used or was withdrawn."))
    if invitation.is_expired:
        raise DomainError(_("This invitation has expired. Ask for a new one."))
    if user.email.lower() != invitation.email.lower():
        raise DomainError(
            _("This invitation is for %(invited)s, but you are signed in as %(current)s.")
            % {"invited": invitation.email, "current": user.email}
        )
    if verified_email(user).lower() != invitation.email.lower():
        raise DomainError(
            _("Verify your email address %(email)s before accepting this invitation.")
            % {"email": invitation.email}
        )
    membership, created = Membership.objects.get_or_create(
        organization=invitation.organization, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if created:
        _log(invitation.organization, user, "member.joined", email=user.email, role=membership.role)
    return membership


def _ensure_another_owner_remains(membership: Membership) -> None:
    # Lock every owner row so two owners demoting each other at once cannot leave none.
    owner_ids = list(
        Membership.objects.owners()
        .select_for_update()
        .filter(organization_id=membership.organization_id)
        .values_list("pk", flat=True)
    )
    if not set(owner_ids) - {membership.pk}:
        raise DomainError(
            _("An organisation needs at least one owner. Make someone else an owner first.")
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor) -> Membership:
    if role not in Role.values:
        raise DomainError(_("Choose a role: owner, editor or viewer."))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == role:
        return membership
    if membership.role == Role.OWNER:
        _ensure_another_owner_remains(membership)
    old_role, membership.role = membership.role, role
    membership.save(update_fields=["role"])
    _log(
        membership.organization,
        actor,
        "member.role_changed",
        email=membership.user.email,
        old=old_role,
        new=role,
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.OWNER:
        _ensure_another_owner_remains(membership)
    email = membership.user.email
    membership.delete()
    _log(membership.organization, actor, "member.removed", email=email)


@transaction.atomic
def organization_update(*, organization, actor, name: str, paper_size: str) -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    changes = {
        field: {"old": getattr(organization, field), "new": value}
        for field, value in (("name", name.strip()), ("paper_size", paper_size))
        if getattr(organization, field) != value
    }
    if changes:
        for field, change in changes.items():
            setattr(organization, field, change["new"])
        organization.save(update_fields=list(changes))
        _log(organization, actor, "organization.updated", **changes)
    return organization
