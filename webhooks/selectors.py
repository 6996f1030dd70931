"""Read paths of the webhook pages, each scoped to the owner's organisation."""

from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404

from .models import WebhookDelivery, WebhookEndpoint

LOG_PAGE_SIZE = 50


def endpoints_of(organization):
    """The organisation's endpoints, each with its latest delivery's status and time."""
    latest = WebhookDelivery.objects.filter(endpoint=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        WebhookEndpoint.objects.filter(organization=organization)
        .annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("created_at", "pk")
    )


def get_endpoint_in_org(membership, endpoint_id: int) -> WebhookEndpoint:
    """404 for another organisation's endpoint: outsiders cannot learn it exists."""
    return get_object_or_404(
        WebhookEndpoint.objects.select_related("organization"),
        pk=endpoint_id,
        organization_id=membership.organization_id,
    )


def get_delivery_of(endpoint, delivery_id: int) -> WebhookDelivery:
    return get_object_or_404(
        WebhookDelivery.objects.select_related("endpoint").defer("body"),
        pk=delivery_id,
        endpoint=endpoint,
    )


def delivery_log(endpoint):
    """Latest first, without the bodies (the log shows what happened, not what was sent)."""
    return (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .defer("body")
        .order_by("-created_at", "-pk")
    )
