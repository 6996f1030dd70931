"""What an owner does with webhooks: register, change, rotate, delete, test and resend. Each
change to an endpoint is written to the organisation's event log, as membership changes are."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import OrganizationEvent
from slaportal.errors import DomainError
from slaportal.queueing import enqueue_on_commit

from . import events
from .models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, new_secret
from .tasks import deliver


def _log(endpoint, actor, action: str, **detail) -> None:
    OrganizationEvent.objects.create(
        organization_id=endpoint.organization_id,
        actor=actor,
        action=f"webhook.{action}",
        detail={"endpoint": endpoint.pk, "url": endpoint.url, **detail},
    )


@transaction.atomic
def endpoint_create(
    *, organization, actor, url: str, events: list[str], description: str = "", active=True
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret: the secret is returned this once, to show the owner."""
    secret = new_secret()
    endpoint = WebhookEndpoint(
        organization=organization,
        url=url,
        events=list(events),
        description=description.strip(),
        active=active,
        created_by=actor,
    )
    endpoint.set_secret(secret)
    endpoint.save()
    _log(endpoint, actor, "created", events=endpoint.events)
    return endpoint, secret


@transaction.atomic
def endpoint_update(*, endpoint, actor, url: str, events: list[str], description: str, active):
    endpoint.url, endpoint.events = url, list(events)
    endpoint.description, endpoint.active = description.strip(), active
    endpoint.save(update_fields=["url", "events", "description", "active", "updated_at"])
    _log(endpoint, actor, "changed", events=endpoint.events, active=active)
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint, actor) -> str:
    """A new secret, in force for every attempt from now on (pending retries included)."""
    secret = new_secret()
    endpoint.set_secret(secret)
    endpoint.secret_rotated_at = timezone.now()
    endpoint.save(
        update_fields=["secret_encrypted", "secret_hint", "secret_rotated_at", "updated_at"]
    )
    _log(endpoint, actor, "secret_rotated")
    return secret


@transaction.atomic
def endpoint_delete(*, endpoint, actor) -> None:
    """Gone with its delivery log; a delivery being sent right now finishes unrecorded."""
    _log(endpoint, actor, "deleted")
    endpoint.delete()


@transaction.atomic
def send_test_event(*, endpoint, actor) -> WebhookDelivery:
    if not endpoint.active:
        raise DomainError(_("Activate the endpoint to send it a test event."))
    return events.ping(endpoint)


@transaction.atomic
def delivery_resend(*, delivery, actor) -> bool:
    """Send the same delivery (same body, same X-SLAPortal-Delivery) again now, with a fresh
    retry window. False when it is being sent at this moment."""
    now = timezone.now()
    moved = (
        WebhookDelivery.objects.filter(pk=delivery.pk)
        .exclude(status=DeliveryStatus.SENDING)
        .update(
            status=DeliveryStatus.PENDING,
            attempts=0,
            window_started_at=now,
            next_attempt_at=now,
        )
    )
    if moved:
        _log(delivery.endpoint, actor, "resent", delivery=str(delivery.delivery_id))
        enqueue_on_commit(deliver, delivery.pk)
    return bool(moved)
