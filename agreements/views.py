from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from organizations.selectors import get_membership_for_user
from organizations.views import remember_current_org

from .selectors import agreements_for_dashboard


@login_required
def dashboard(request, slug):
    membership = get_membership_for_user(request.user, slug)
    organization = membership.organization
    remember_current_org(request, organization)
    return render(
        request,
        "agreements/dashboard.html",
        {
            "membership": membership,
            "organization": organization,
            "agreements": agreements_for_dashboard(organization),
        },
    )
