"""The organisation's webhook pages: owners only (editors and viewers get 403, outsiders 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from organizations.selectors import get_membership_for_user
from slaportal.errors import DomainError

from . import services
from .forms import EndpointForm
from .models import WebhookEndpoint
from .selectors import (
    LOG_PAGE_SIZE,
    delivery_log,
    endpoints_of,
    get_delivery_of,
    get_endpoint_in_org,
)


def _owner(request, slug):
    return get_membership_for_user(request.user, slug, manage=True)


def _form_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "url": data["url"],
        "events": data["events"],
        "description": data["description"],
        "active": data["active"],
    }


def _show_secret(request, endpoint, secret, *, created):
    # The only response that ever holds the secret: never cached, never shown again.
    return render(
        request,
        "webhooks/endpoint_secret.html",
        {
            "organization": endpoint.organization,
            "endpoint": endpoint,
            "secret": secret,
            "created": created,
        },
    )


@login_required
def endpoint_list(request, slug):
    membership = _owner(request, slug)
    organization = membership.organization
    return render(
        request,
        "webhooks/endpoint_list.html",
        {"organization": organization, "endpoints": endpoints_of(organization)},
    )


@never_cache
@login_required
def endpoint_create(request, slug):
    membership = _owner(request, slug)
    organization = membership.organization
    form = EndpointForm(request.POST or None, instance=WebhookEndpoint(organization=organization))
    if request.method == "POST" and form.is_valid():
        endpoint, secret = services.endpoint_create(
            organization=organization, actor=request.user, **_form_fields(form)
        )
        return _show_secret(request, endpoint, secret, created=True)
    return render(
        request,
        "webhooks/endpoint_form.html",
        {"organization": organization, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def endpoint_edit(request, slug, endpoint_id):
    membership = _owner(request, slug)
    endpoint = get_endpoint_in_org(membership, endpoint_id)
    form = EndpointForm(request.POST or None, instance=endpoint)
    if request.method == "POST" and form.is_valid():
        services.endpoint_update(endpoint=endpoint, actor=request.user, **_form_fields(form))
        messages.success(request, _("Endpoint saved."))
        return redirect("webhook_endpoint", slug=slug, endpoint_id=endpoint.pk)
    if form.errors:
        endpoint.refresh_from_db()  # the form may hold invalid values on the instance
    return render(
        request,
        "webhooks/endpoint_form.html",
        {"organization": endpoint.organization, "form": form, "endpoint": endpoint},
        status=400 if form.errors else 200,
    )


@login_required
def endpoint_detail(request, slug, endpoint_id):
    """The endpoint and its delivery log, latest first."""
    membership = _owner(request, slug)
    endpoint = get_endpoint_in_org(membership, endpoint_id)
    page = Paginator(delivery_log(endpoint), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "webhooks/endpoint_detail.html",
        {"organization": endpoint.organization, "endpoint": endpoint, "page": page},
    )


@login_required
def endpoint_delete(request, slug, endpoint_id):
    membership = _owner(request, slug)
    endpoint = get_endpoint_in_org(membership, endpoint_id)
    if request.method == "POST":
        services.endpoint_delete(endpoint=endpoint, actor=request.user)
        messages.success(request, _("Endpoint deleted."))
        return redirect("webhook_endpoints", slug=slug)
    return render(
        request,
        "webhooks/endpoint_confirm_delete.html",
        {"organization": endpoint.organization, "endpoint": endpoint},
    )


@never_cache
@login_required
@require_POST
def endpoint_rotate_secret(request, slug, endpoint_id):
    membership = _owner(request, slug)
    endpoint = get_endpoint_in_org(membership, endpoint_id)
    secret = services.endpoint_rotate_secret(endpoint=endpoint, actor=request.user)
    return _show_secret(request, endpoint, secret, created=False)


@login_required
@require_POST
def endpoint_ping(request, slug, endpoint_id):
    membership = _owner(request, slug)
    endpoint = get_endpoint_in_org(membership, endpoint_id)
    try:
        services.send_test_event(endpoint=endpoint, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Test event queued; its delivery is listed below."))
    return redirect("webhook_endpoint", slug=slug, endpoint_id=endpoint.pk)


@login_required
@require_POST
def delivery_resend(request, slug, endpoint_id, delivery_id):
    membership = _owner(request, slug)
    endpoint = get_endpoint_in_org(membership, endpoint_id)
    delivery = get_delivery_of(endpoint, delivery_id)
    if services.delivery_resend(delivery=delivery, actor=request.user):
        messages.success(request, _("Delivery queued again."))
    else:
        messages.error(request, _("This delivery is being sent right now."))
    return redirect("webhook_endpoint", slug=slug, endpoint_id=endpoint.pk)
