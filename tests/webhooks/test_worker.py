"""Webhooks through a real Celery worker on Redis: the first attempt is queued on commit, the
retry is handed to the worker by the sweep."""

import pytest

from tests.services import wait_for
from webhooks import services
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.tasks import deliver_due


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_refused_test_event_is_retried_and_delivered_by_a_real_worker(
    real_worker, receiver, endpoint_for, marketing_lead
):
    hook = receiver(script=(500,))
    endpoint = endpoint_for(hook, events=["review.due"])

    row = services.send_test_event(endpoint=endpoint, actor=marketing_lead)  # commits

    def status():
        return WebhookDelivery.objects.values_list("status", "attempts").get(pk=row.pk)

    assert wait_for(lambda: status() == (DeliveryStatus.PENDING, 1)), status()
    assert deliver_due() == 1  # queued on Redis, sent by the worker
    assert wait_for(lambda: status()[0] == DeliveryStatus.DELIVERED), status()
    assert status() == (DeliveryStatus.DELIVERED, 2)
    assert hook.accepted_events() == {"ping": 1}
    assert dict(hook.tries) == {str(row.delivery_id): 2}
