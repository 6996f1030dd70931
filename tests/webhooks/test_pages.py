"""The webhook pages: owners register, edit, test, rotate and delete endpoints and read the
delivery log; editors and viewers get 403, other organisations 404."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organizations.models import OrganizationEvent
from webhooks import services
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

from .conftest import ALL_EVENTS


@pytest.fixture
def endpoint(organization, marketing_lead, webhook_settings):
    endpoint, _secret = services.endpoint_create(
        organization=organization,
        actor=marketing_lead,
        url="http://127.0.0.1:9/hooks",
        events=["review.due"],
        description="CRM",
    )
    return endpoint


def _pages(endpoint, delivery_id=1):
    slug, pk = endpoint.organization.slug, endpoint.pk
    return [
        ("get", reverse("webhook_endpoints", args=[slug])),
        ("get", reverse("webhook_endpoint_create", args=[slug])),
        ("get", reverse("webhook_endpoint", args=[slug, pk])),
        ("get", reverse("webhook_endpoint_edit", args=[slug, pk])),
        ("get", reverse("webhook_endpoint_delete", args=[slug, pk])),
        ("post", reverse("webhook_endpoint_rotate", args=[slug, pk])),
        ("post", reverse("webhook_endpoint_ping", args=[slug, pk])),
        ("post", reverse("webhook_delivery_resend", args=[slug, pk, delivery_id])),
    ]


def test_the_organisation_settings_page_links_owners_to_webhooks(client_for, marketing_lead):
    response = client_for(marketing_lead).get("/o/acme/settings/")
    assert 'data-testid="webhooks-link"' in response.content.decode()
    assert 'href="/o/acme/webhooks/"' in response.content.decode()


def test_an_owner_registers_an_endpoint_and_sees_its_secret_once(
    client_for, marketing_lead, webhook_settings
):
    client = client_for(marketing_lead)
    assert client.get("/o/acme/webhooks/").status_code == 200
    form_page = client.get("/o/acme/webhooks/new/")
    assert 'for="id_url"' in form_page.content.decode()  # labelled fields

    response = client.post(
        "/o/acme/webhooks/new/",
        {
            "url": "http://127.0.0.1:9000/slaportal",
            "events": ["version.signed", "signature.declined"],
            "description": "HubSpot workflow",
            "active": "on",
        },
    )

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")  # never cached
    endpoint = WebhookEndpoint.objects.get()
    secret = response.context["secret"]
    assert len(secret) >= 43 and secret == endpoint.signing_secret()
    assert secret in response.content.decode()
    assert secret not in endpoint.secret_encrypted  # stored encrypted
    assert endpoint.events == ["signature.declined", "version.signed"]  # in the events' order
    assert (endpoint.created_by, endpoint.active) == (marketing_lead, True)
    page = client.get(f"/o/acme/webhooks/{endpoint.pk}/").content.decode()
    assert secret not in page and f"…{secret[-4:]}" in page
    assert client.get("/o/acme/webhooks/").content.decode().count('data-testid="endpoint-row"') == 1
    assert OrganizationEvent.objects.filter(action="webhook.created").count() == 1


def test_an_endpoint_needs_an_event(client_for, marketing_lead, webhook_settings):
    response = client_for(marketing_lead).post(
        "/o/acme/webhooks/new/", {"url": "http://127.0.0.1:9000/", "active": "on"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"events": ["Choose at least one event."]}


def test_an_owner_edits_rotates_and_deletes(client_for, marketing_lead, endpoint):
    client = client_for(marketing_lead)
    old_secret = endpoint.signing_secret()

    response = client.post(
        f"/o/acme/webhooks/{endpoint.pk}/edit/",
        {"url": "http://127.0.0.1:9001/new", "events": ALL_EVENTS, "description": "Slack"},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.active, endpoint.description) == (
        "http://127.0.0.1:9001/new",
        False,  # unticked
        "Slack",
    )
    assert endpoint.events == ALL_EVENTS

    response = client.post(f"/o/acme/webhooks/{endpoint.pk}/secret/")
    endpoint.refresh_from_db()
    new_secret = response.context["secret"]
    assert new_secret != old_secret and new_secret == endpoint.signing_secret()
    assert endpoint.secret_rotated_at is not None

    assert client.get(f"/o/acme/webhooks/{endpoint.pk}/delete/").status_code == 200
    assert client.post(f"/o/acme/webhooks/{endpoint.pk}/delete/").status_code == 302
    assert not WebhookEndpoint.objects.exists()
    actions = set(OrganizationEvent.objects.values_list("action", flat=True))
    assert {"webhook.changed", "webhook.secret_rotated", "webhook.deleted"} <= actions


def test_a_test_event_is_sent_from_the_endpoint_page(
    client_for, marketing_lead, receiver, endpoint_for, committed
):
    hook = receiver(script=())
    endpoint = endpoint_for(hook, events=["review.due"])
    client = client_for(marketing_lead)

    with committed():
        response = client.post(f"/o/acme/webhooks/{endpoint.pk}/ping/", follow=True)
    assert "Test event queued" in response.content.decode()

    row = WebhookDelivery.objects.get()
    assert (row.event, row.status) == ("ping", DeliveryStatus.DELIVERED)
    assert hook.accepted_events() == {"ping": 1}
    html = client.get(f"/o/acme/webhooks/{endpoint.pk}/").content.decode()
    assert f'data-delivery="{row.delivery_id}"' in html and 'data-status="delivered"' in html


@pytest.mark.parametrize("who", ["sales_lead", "viewer"])
def test_editors_and_viewers_are_refused(who, request, client_for, endpoint):
    client = client_for(request.getfixturevalue(who))
    for method, url in _pages(endpoint):
        assert getattr(client, method)(url).status_code == 403, url


def test_another_organisations_endpoint_is_not_found(client_for, outsider, endpoint):
    client = client_for(outsider)
    for method, url in _pages(endpoint):
        assert getattr(client, method)(url).status_code == 404, url
    # Under the outsider's own organisation, our endpoint's id is unknown too.
    globex = outsider.memberships.get().organization
    own_urls = [(m, u.replace("/o/acme/", f"/o/{globex.slug}/")) for m, u in _pages(endpoint)[2:]]
    for method, url in own_urls:
        assert getattr(client, method)(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_log_in(client, endpoint):
    response = client.get(f"/o/acme/webhooks/{endpoint.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_resend_needs_the_csrf_token(marketing_lead, endpoint):
    row = WebhookDelivery.objects.create(
        endpoint=endpoint, event="review.due", event_id="0" * 32, body="{}", status="failed"
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(marketing_lead)
    response = client.post(f"/o/acme/webhooks/{endpoint.pk}/deliveries/{row.pk}/resend/")
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED


def test_the_delivery_log_runs_a_bounded_number_of_queries(
    client_for, marketing_lead, endpoint, django_assert_max_num_queries
):
    now = timezone.now()
    statuses = [DeliveryStatus.DELIVERED, DeliveryStatus.FAILED, DeliveryStatus.PENDING]
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            event="review.due",
            event_id=f"{n:032x}",
            body="{}" * 5000,
            status=statuses[n % 3],
            attempts=n % 7,
            last_status_code=500 if n % 3 else 200,
            last_error="HTTP 500" if n % 3 else "",
            delivered_at=now if n % 3 == 0 else None,
            created_at=now - timedelta(minutes=n),
        )
        for n in range(200)
    )
    client = client_for(marketing_lead)
    client.get(f"/o/acme/webhooks/{endpoint.pk}/")  # warm the session and caches

    with django_assert_max_num_queries(7):
        first = client.get(f"/o/acme/webhooks/{endpoint.pk}/")
    with django_assert_max_num_queries(7):
        last = client.get(f"/o/acme/webhooks/{endpoint.pk}/?page=4")
    with django_assert_max_num_queries(7):
        listing = client.get("/o/acme/webhooks/")

    assert first.content.decode().count('data-testid="delivery-row"') == 50
    assert last.content.decode().count('data-testid="delivery-row"') == 50
    assert first.content.decode().count('data-testid="resend"') == 34  # failed and delivered
    assert "Page 1 of 4" in first.content.decode()
    assert listing.status_code == 200
