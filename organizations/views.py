from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.verification import verified_email
from slaportal.errors import DomainError

from . import services
from .forms import InvitationForm, OrganizationForm, OrganizationSettingsForm, RoleForm
from .models import Invitation, Role
from .selectors import (
    get_invitation_in_org,
    get_member_in_org,
    get_membership_for_user,
    members_of,
    memberships_for_user,
    pending_invitations_of,
)

CURRENT_ORG_SESSION_KEY = "current_org"


def remember_current_org(request, organization) -> None:
    # Only on a change: assigning marks the session modified, and a modified session is written
    # back to the database at the end of every dashboard request.
    if request.session.get(CURRENT_ORG_SESSION_KEY) != organization.slug:
        request.session[CURRENT_ORG_SESSION_KEY] = organization.slug


@login_required
def home(request):
    """Send the user to the organisation they used last, or to creating their first one."""
    memberships = list(memberships_for_user(request.user))
    if not memberships:
        return redirect("organization_create")
    last = request.session.get(CURRENT_ORG_SESSION_KEY)
    chosen = next((m for m in memberships if m.organization.slug == last), memberships[0])
    return redirect("dashboard", slug=chosen.organization.slug)


@login_required
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization = services.organization_create(
            name=form.cleaned_data["name"], owner=request.user
        )
        if organization.paper_size != form.cleaned_data["paper_size"]:
            organization.paper_size = form.cleaned_data["paper_size"]
            organization.save(update_fields=["paper_size"])
        remember_current_org(request, organization)
        messages.success(request, _("Organisation “%(name)s” created.") % {"name": organization})
        return redirect("dashboard", slug=organization.slug)
    return render(request, "organizations/organization_form.html", {"form": form})


def _members_page(request, membership, invite_form=None, status=200):
    organization = membership.organization
    context = {
        "membership": membership,
        "organization": organization,
        "members": members_of(organization),
        "invitations": pending_invitations_of(organization) if membership.can_manage else [],
        "invite_form": invite_form or InvitationForm(organization=organization),
        "roles": Role.choices,
    }
    return render(request, "organizations/members.html", context, status=status)


@login_required
def members(request, slug):
    membership = get_membership_for_user(request.user, slug)
    return _members_page(request, membership)


@login_required
@require_POST
def invitation_create(request, slug):
    membership = get_membership_for_user(request.user, slug, manage=True)
    form = InvitationForm(request.POST, organization=membership.organization)
    if form.is_valid():
        try:
            services.invitation_create(
                organization=membership.organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except DomainError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("members", slug=slug)
    return _members_page(request, membership, invite_form=form, status=400)


@login_required
@require_POST
def invitation_revoke(request, slug, invitation_id):
    membership = get_membership_for_user(request.user, slug, manage=True)
    invitation = get_invitation_in_org(membership, invitation_id)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
        messages.success(
            request, _("Invitation to %(email)s revoked.") % {"email": invitation.email}
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("members", slug=slug)


@login_required
@require_POST
def member_change_role(request, slug, member_id):
    membership = get_membership_for_user(request.user, slug, manage=True)
    member = get_member_in_org(membership, member_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role: owner, editor or viewer."))
        return redirect("members", slug=slug)
    try:
        services.membership_change_role(
            membership=member, role=form.cleaned_data["role"], actor=request.user
        )
        messages.success(
            request,
            _("%(user)s is now %(role)s.")
            % {"user": member.user, "role": Role(form.cleaned_data["role"]).label.lower()},
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("members", slug=slug)


@login_required
@require_POST
def member_remove(request, slug, member_id):
    membership = get_membership_for_user(request.user, slug, manage=True)
    member = get_member_in_org(membership, member_id)
    try:
        services.membership_remove(membership=member, actor=request.user)
        messages.success(request, _("%(user)s was removed.") % {"user": member.user})
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("members", slug=slug)
    if member.user_id == request.user.id:
        return redirect("home")
    return redirect("members", slug=slug)


def invitation_accept(request, token):
    """Anyone with the link sees what they are invited to; accepting needs the invited account."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("organization", "invited_by"), token=token
    )
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            membership = services.invitation_accept(invitation=invitation, user=request.user)
        except DomainError as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            remember_current_org(request, membership.organization)
            messages.success(
                request,
                _("Welcome to %(org)s.") % {"org": membership.organization},
            )
            return redirect("dashboard", slug=membership.organization.slug)
    context = {"invitation": invitation, "email_verified": bool(verified_email(request.user))}
    if request.user.is_authenticated and not context["email_verified"]:
        context["verify_message"] = _(
            "Verify your email address %(email)s before accepting this invitation."
        ) % {"email": request.user.email}
    return render(request, "organizations/invitation_accept.html", context, status=status)


@login_required
def organization_settings(request, slug):
    """Owners rename the organisation and choose the contracts' paper size (A4 or Letter)."""
    membership = get_membership_for_user(request.user, slug, manage=True)
    organization = membership.organization
    form = OrganizationSettingsForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        services.organization_update(
            organization=organization,
            actor=request.user,
            name=form.cleaned_data["name"],
            paper_size=form.cleaned_data["paper_size"],
        )
        messages.success(request, _("Settings saved. New contract PDFs use them."))
        return redirect("organization_settings", slug=slug)
    organization.refresh_from_db()  # the form may hold invalid values on the instance
    return render(
        request,
        "organizations/settings.html",
        {"form": form, "organization": organization, "membership": membership},
        status=400 if form.errors else 200,
    )
