"""Each event, caused through the app's own services, reaches a real receiver exactly once after
two refused attempts, signed, with the same body every time; a rolled-back change sends nothing."""

from collections import Counter
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection, transaction

from agreements.models import Agreement, AgreementStatus
from agreements.reviews import services as review_services
from agreements.signing import services as signing_services
from agreements.versions import services as version_services
from tests.agreements.conftest import agreement, submitted  # noqa: F401 (fixtures)
from tests.agreements.test_signing import evidence_for
from webhooks import events
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.tasks import deliver_due

SIX_EVENTS = {
    "version.pdf_ready",
    "signature.signed",
    "signature.declined",
    "version.signed",
    "review.due",
    "review.recorded",
}


def _by_event(receiver) -> dict[str, list[dict]]:
    found = {}
    for delivery in sorted(receiver.accepted, key=lambda d: receiver.payloads[d]["created_at"]):
        payload = receiver.payloads[delivery]
        found.setdefault(payload["event"], []).append(payload)
    return found


def _live_through_an_agreement(agreement, marketing_lead, sales_lead, capture):  # noqa: F811
    """Submit, sign by both leads (sealed PDF), get reminded of the review, hold and close it
    deciding to revise, submit the revision and have it declined."""
    with capture(execute=True):
        version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    version.refresh_from_db()
    with capture(execute=True):
        for lead in (marketing_lead, sales_lead):
            signing_services.signature_sign(
                version=version, signer=lead, evidence=evidence_for(version)
            )
    with capture(execute=True):
        assert review_services.send_review_reminders() == 1
    review = review_services.review_start(agreement=agreement, actor=marketing_lead)
    review_services.review_save(
        review=review,
        actor=marketing_lead,
        held_on=date(2027, 4, 1),
        attendees="Maria, Sam",
        notes="",
        actuals={("deals", date(2027, 1, 1)): 7},
    )
    with capture(execute=True):
        review_services.review_close(review=review, actor=marketing_lead, decision="revise")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT
    with capture(execute=True):
        revision = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    with capture(execute=True):
        signing_services.signature_decline(
            version=revision, signer=sales_lead, reason="The Q2 targets are too high."
        )
    return version, revision, review


@time_machine.travel(datetime(2027, 3, 25, 9, tzinfo=UTC), tick=True)
def test_each_event_is_delivered_exactly_once_after_two_failed_attempts(
    receiver,
    endpoint_for,
    agreement,  # noqa: F811
    marketing_lead,
    sales_lead,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.SITE_URL = "https://sla.example.com"
    hook = receiver(script=(500, 500))
    endpoint = endpoint_for(hook)

    version, revision, review = _live_through_an_agreement(
        agreement, marketing_lead, sales_lead, django_capture_on_commit_callbacks
    )

    rows = WebhookDelivery.objects.filter(endpoint=endpoint)
    expected = Counter(
        {
            "version.pdf_ready": 2,
            "signature.signed": 2,
            "version.signed": 1,
            "review.due": 1,
            "review.recorded": 1,
            "signature.declined": 1,
        }
    )
    assert Counter(rows.values_list("event", flat=True)) == expected
    # The first attempt ran right after each commit and was refused.
    assert set(rows.values_list("status", "attempts")) == {(DeliveryStatus.PENDING, 1)}
    assert not hook.accepted and not hook.rejected

    assert deliver_due() == 8  # the second attempt: refused again
    assert deliver_due() == 8  # the third: accepted
    assert deliver_due() == 0  # nothing left

    assert set(rows.values_list("status", "attempts", "last_status_code")) == {
        (DeliveryStatus.DELIVERED, 3, 200)
    }
    assert hook.rejected == []  # every request was signed, fresh and well-formed
    assert hook.accepted == Counter({str(d): 1 for d in rows.values_list("delivery_id", flat=True)})
    assert all(tries == 3 for tries in hook.tries.values())
    assert all(len(bodies) == 1 for bodies in hook.bodies.values())  # the same bytes each time
    assert hook.accepted_events() == expected
    assert set(expected) == SIX_EVENTS

    payloads = _by_event(hook)
    _check_payloads(payloads, agreement, version, revision, review)


def _check_payloads(payloads, agreement, version, revision, review):  # noqa: F811
    base = f"https://sla.example.com/agreements/{agreement.pk}"
    for event, items in payloads.items():
        for payload in items:
            assert set(payload) == {"id", "event", "created_at", "organization", "data"}
            assert payload["organization"] == "acme" and payload["event"] == event
            assert payload["created_at"].endswith("Z")
            assert payload["data"]["agreement"]["id"] == agreement.pk

    ready = payloads["version.pdf_ready"][0]["data"]["version"]
    assert ready["number"] == version.number and ready["pdf"]["status"] == "ready"
    assert ready["url"] == f"{base}/versions/1/"
    assert ready["pdf"]["url"] == f"{base}/versions/1/pdf/"
    assert ready["pdf"]["api"] == (
        f"https://sla.example.com/api/v1/agreements/{agreement.pk}/versions/1/pdf"
    )
    assert ready["signed_pdf"]["url"] is None

    first, last = payloads["signature.signed"]
    assert first["data"]["signature"]["signer"] == {
        "name": "Maria Marketing",
        "role": "marketing_lead",
        "capacity": "Marketing lead",
    }
    assert (first["data"]["pending_signatures"], last["data"]["pending_signatures"]) == (1, 0)
    assert last["data"]["signature"]["signer"]["name"] == "Sam Sales"

    signed = payloads["version.signed"][0]["data"]["version"]
    assert signed["state"] == "signed" and signed["signed_pdf"]["status"] == "ready"
    assert signed["signed_pdf"]["sha256"]
    assert signed["signed_pdf"]["api"] == (
        f"https://sla.example.com/api/v1/agreements/{agreement.pk}/versions/1/signed-pdf"
    )
    assert signed["signed_pdf"]["url"] == f"{base}/versions/1/signed.pdf"

    declined = payloads["signature.declined"][0]["data"]
    assert declined["version"]["number"] == revision.number == 2
    assert declined["signature"]["decline_reason"] == "The Q2 targets are too high."
    assert declined["signature"]["signer"]["role"] == "sales_lead"

    due = payloads["review.due"][0]["data"]["review"]
    assert due == {
        "id": None,  # reminded before anyone started the review
        "due_on": "2027-04-01",
        "reminder": "upcoming",
        "cadence": "quarterly",
        "period_end": "2027-03-31",
        "quarter": "2027-Q1",
        "url": f"{base}/reviews/",
    }

    recorded = payloads["review.recorded"][0]["data"]["review"]
    assert recorded["id"] == review.pk and recorded["quarter"] == "2027-Q1"
    assert recorded["decision"] == "revise" and recorded["held_on"] == "2027-04-01"
    assert recorded["actuals"] == [
        {
            "metric": "deals",
            "label": recorded["actuals"][0]["label"],
            "month": "2027-01-01",
            "target": recorded["actuals"][0]["target"],
            "actual": 7,
        }
    ]
    assert recorded["url"] == f"{base}/reviews/{review.pk}/"


def test_a_rolled_back_change_sends_nothing(
    receiver,
    endpoint_for,
    submitted,  # noqa: F811
    sales_lead,
    django_capture_on_commit_callbacks,
):
    hook = receiver(script=())
    endpoint_for(hook)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        signing_services.signature_decline(
            version=submitted, signer=sales_lead, reason="Not like this."
        )
        assert WebhookDelivery.objects.filter(event="signature.declined").count() == 1
        raise RuntimeError("the request failed after the decline")

    assert not WebhookDelivery.objects.exists()
    assert callbacks == [] and not hook.tries
    assert Agreement.objects.get(pk=submitted.agreement_id).status == AgreementStatus.IN_SIGNATURE


def test_only_active_endpoints_that_asked_for_the_event_get_it(
    receiver, endpoint_for, organization, outsider, committed
):
    hook = receiver(script=())
    wants = endpoint_for(hook, "/a", events=["review.due", "signature.signed"])
    also_wants = endpoint_for(hook, "/b", events=["signature.signed"])
    endpoint_for(hook, "/c", events=["review.due"])  # another event
    inactive = endpoint_for(hook, "/d", events=["signature.signed"])
    inactive.active = False
    inactive.save()
    globex = outsider.memberships.get().organization
    endpoint_for(hook, "/e", events=["signature.signed"], organization=globex)

    with committed():
        created = events.emit(organization, "signature.signed", {"n": 1})

    assert {row.endpoint for row in created} == {wants, also_wants}
    assert len({row.event_id for row in created}) == 1  # one event...
    assert len({row.delivery_id for row in created}) == 2  # ...delivered twice, told apart
    assert created[0].body == created[1].body
    assert hook.paths == Counter({"/a": 1, "/b": 1})


def test_an_organisation_without_endpoints_pays_one_query(organization, django_assert_num_queries):
    def never_called():
        raise AssertionError("the payload is built only when someone wants it")

    with django_assert_num_queries(1):
        assert events.emit(organization.pk, "review.due", never_called) == []


def test_a_failing_payload_never_undoes_the_change_it_reports(
    receiver, endpoint_for, organization, caplog
):
    endpoint_for(receiver(script=()))

    def broken_payload():
        with connection.cursor() as cursor:  # a query that fails, as a bug's might
            cursor.execute("SELECT no_such_column FROM webhooks_webhookendpoint")

    with transaction.atomic():
        assert events.emit(organization, "review.due", broken_payload) == []
        assert Agreement.objects.count() == 0  # the transaction is still usable (PostgreSQL)

    assert not WebhookDelivery.objects.exists()
    assert "Webhook event review.due could not be queued" in caplog.text
