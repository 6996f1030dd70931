"""The owners' API token page: create (the token is shown once), see use, revoke."""

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations.selectors import get_membership_for_user

from .forms import TokenForm
from .models import ApiToken
from .tokens import TokenError, create_token, revoke_token

SHOWN_ONCE = "api_token_shown_once"


@login_required
def api_tokens(request, slug):
    membership = get_membership_for_user(request.user, slug, manage=True)
    organization = membership.organization
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        expires_at = (
            timezone.make_aware(datetime.combine(expires_on, time.min)) if expires_on else None
        )
        try:
            row, token = create_token(
                organization=organization,
                created_by=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=expires_at,
            )
        except TokenError as error:
            form.add_error("name", str(error))
        else:
            # Shown on the next page load only (Post/Redirect/Get), then never again.
            request.session[SHOWN_ONCE] = {"id": row.pk, "token": token}
            return redirect("api_tokens", slug=slug)
    shown = request.session.pop(SHOWN_ONCE, None)
    tokens = ApiToken.objects.filter(organization=organization).select_related(
        "created_by", "revoked_by"
    )
    return render(
        request,
        "api/tokens.html",
        {
            "organization": organization,
            "membership": membership,
            "form": form,
            "tokens": tokens,
            "new_token": shown,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def api_token_revoke(request, slug, token_id):
    membership = get_membership_for_user(request.user, slug, manage=True)
    token = get_object_or_404(ApiToken, pk=token_id, organization=membership.organization)
    revoke_token(token, by=request.user)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api_tokens", slug=slug)
