"""Events stored through the service are measured by a real Celery worker on Redis, and events
stored while the broker is down wait for the hourly sweep instead of being lost."""

import pytest

from compliance.models import EventBatch, LeadRecord, Measurement
from compliance.services import receive_events
from compliance.tasks import refresh_due
from tests.services import wait_for

from . import scenario as s


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_measures_the_events(real_worker, berlin_agreement, marketing_lead):
    result = receive_events(
        berlin_agreement, s.EVENTS, channel=EventBatch.Channel.API, actor=marketing_lead
    )
    assert result.stored == len(s.EVENTS)

    def measured():
        found = Measurement.objects.filter(agreement=berlin_agreement, stale=False).first()
        return found is not None and found.measured_at is not None

    assert wait_for(measured, timeout=60), "the worker did not measure the events in 60 s"
    assert LeadRecord.objects.filter(agreement=berlin_agreement, dirty=False).count() == 7


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_events_are_kept_and_swept(
    broker_down, berlin_agreement, marketing_lead, settings
):
    result = receive_events(
        berlin_agreement, s.EVENTS, channel=EventBatch.Channel.API, actor=marketing_lead
    )
    assert result.stored == len(s.EVENTS)  # the request succeeds; the refresh could not queue
    measurement = Measurement.objects.get(agreement=berlin_agreement)
    assert measurement.stale

    from slaportal.celery import app

    app.conf.update(task_always_eager=True)  # the broker is back: the hourly sweep runs
    try:
        assert refresh_due() == 1
    finally:
        app.conf.update(task_always_eager=False)
    measurement.refresh_from_db()
    assert not measurement.stale and measurement.events == len(s.EVENTS)


def test_uploads_never_confirmed_are_deleted_a_day_later(settings, tmp_path):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from compliance.tasks import delete_abandoned_uploads

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    path = default_storage.save("event-uploads/abandoned.csv", ContentFile(b"lead_id;event\n"))
    assert (tmp_path / path).exists()  # the test's own storage, not the media folder
    assert delete_abandoned_uploads() == 0  # still usable by its preview
    later = timezone.now() + timedelta(hours=25)
    assert delete_abandoned_uploads(now=later) == 1
    assert not default_storage.exists(path)
    assert delete_abandoned_uploads(now=later) == 0
