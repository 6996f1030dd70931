"""Work handed to Celery survives a dead worker and an unreachable broker: claims expire, the
sweep re-sends lost work and gives up after PDF_MAX_ATTEMPTS, and the person's action succeeds."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.lifecycle import claim_pdf
from agreements.models import AgreementVersion, PdfStatus
from agreements.tasks import sweep_stuck_documents
from agreements.versions import services as version_services
from slaportal.queueing import enqueue
from tests.conftest import running_worker


def rendering_since(version, seconds_ago, attempts=1):
    """The state a worker killed mid-render leaves: claimed, no file yet."""
    AgreementVersion.objects.filter(pk=version.pk).update(
        pdf="",
        pdf_sha256="",
        pdf_status=PdfStatus.RENDERING,
        pdf_started_at=timezone.now() - timedelta(seconds=seconds_ago),
        pdf_attempts=attempts,
    )


def test_a_live_claim_is_kept_and_an_expired_one_taken_over(submitted, settings):
    settings.PDF_CLAIM_EXPIRES_AFTER_SECONDS = 60
    rendering_since(submitted, seconds_ago=10)
    assert claim_pdf(submitted.pk, "pdf") == 0  # its worker may still be rendering

    rendering_since(submitted, seconds_ago=61)
    assert claim_pdf(submitted.pk, "pdf") == 1
    submitted.refresh_from_db()
    assert submitted.pdf_attempts == 2
    assert submitted.pdf_started_at > timezone.now() - timedelta(seconds=5)


def test_the_sweep_finishes_a_dead_workers_render(submitted, settings):
    settings.PDF_CLAIM_EXPIRES_AFTER_SECONDS = 60
    rendering_since(submitted, seconds_ago=120)

    assert sweep_stuck_documents() == 1  # eager here: requeued and rendered at once

    submitted.refresh_from_db()
    assert submitted.pdf_status == PdfStatus.READY
    assert submitted.pdf_sha256


def test_after_the_last_attempt_the_pdf_fails_with_the_reason_and_is_not_retried(
    submitted, settings
):
    settings.PDF_CLAIM_EXPIRES_AFTER_SECONDS = 60
    settings.PDF_MAX_ATTEMPTS = 3
    rendering_since(submitted, seconds_ago=120, attempts=3)

    sweep_stuck_documents()
    sweep_stuck_documents()

    submitted.refresh_from_db()
    assert submitted.pdf_status == PdfStatus.FAILED
    assert submitted.pdf_error.startswith("Gave up after 3 attempts")
    failures = submitted.agreement.audit_entries.filter(action="render_failed")
    assert failures.count() == 1


def test_trying_again_starts_the_attempts_over(
    submitted, marketing_lead, django_capture_on_commit_callbacks
):
    AgreementVersion.objects.filter(pk=submitted.pk).update(
        pdf="", pdf_sha256="", pdf_status=PdfStatus.FAILED, pdf_attempts=3
    )

    with django_capture_on_commit_callbacks(execute=True):
        version_services.version_retry_render(version=submitted, actor=marketing_lead)
    version = AgreementVersion.objects.get(pk=submitted.pk)

    assert version.pdf_status == PdfStatus.READY  # eager: rendered again at once
    assert version.pdf_attempts == 1


def test_with_the_broker_down_publishing_gives_up_fast(submitted, broker_down):
    from agreements.versions.tasks import render_version_pdf

    started = time.monotonic()
    assert enqueue(render_version_pdf, submitted.pk) is False
    assert time.monotonic() - started < 5


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_submitting_still_succeeds_and_the_sweep_sends_it_later(
    agreement, marketing_lead, client_for, broker_down, settings
):
    response = client_for(marketing_lead).post(
        reverse("agreement_submit", args=[agreement.pk]), follow=False
    )

    assert response.status_code == 302  # committed and answered, not 500
    version = agreement.versions.get()
    assert version.pdf_status == PdfStatus.QUEUED

    settings.SWEEP_STUCK_AFTER_SECONDS = 0
    with running_worker(settings):  # the broker is back
        assert sweep_stuck_documents() >= 1
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            version.refresh_from_db()
            if version.pdf_status == PdfStatus.READY:
                break
            time.sleep(0.2)
    assert version.pdf_status == PdfStatus.READY
