"""The organisation's sealing certificate: see it, or replace it with an uploaded PKCS#12."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from organizations.models import OrganizationEvent
from organizations.selectors import get_membership_for_user

from ..models import OrganizationSealKey
from .forms import Pkcs12Form
from .sealing import SealError, seal_key_from_pkcs12


@login_required
def seal_settings(request, slug):
    membership = get_membership_for_user(request.user, slug, manage=True)
    organization = membership.organization
    form = Pkcs12Form(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            key = seal_key_from_pkcs12(
                organization, form.cleaned_data["bundle"].read(), form.cleaned_data["password"]
            )
        except SealError as exc:
            form.add_error("bundle", str(exc))
        else:
            OrganizationEvent.objects.create(
                organization=organization,
                actor=request.user,
                action="seal.replaced",
                detail={"fingerprint_sha256": key.fingerprint_sha256},
            )
            messages.success(
                request, _("From now on, signed PDFs are sealed with this certificate.")
            )
            return redirect("seal_settings", slug=slug)
    key = OrganizationSealKey.objects.filter(organization=organization).first()
    return render(
        request,
        "agreements/seal_settings.html",
        {"organization": organization, "membership": membership, "form": form, "key": key},
        status=400 if form.errors else 200,
    )
