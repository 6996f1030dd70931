from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.dashboard import PAGE_SIZE, agreements_for_dashboard
from agreements.lifecycle import refresh_next_review_due
from agreements.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    PdfStatus,
    Signature,
    SignatureStatus,
    SigningOrder,
    VersionState,
)
from organizations.models import Role
from tests import factories


def test_dashboard_shows_an_empty_state_for_a_new_organisation(
    client_for, marketing_lead, organization
):
    response = client_for(marketing_lead).get(reverse("dashboard", args=[organization.slug]))

    assert response.status_code == 200
    assert "No agreements yet." in response.content.decode()


def test_dashboard_lists_only_this_organisations_agreements(
    client_for, marketing_lead, organization, outsider
):
    factories.AgreementFactory(organization=organization, title="Acme SLA 2027")
    factories.AgreementFactory(organization=outsider.memberships.get().organization, title="Secret")

    content = (
        client_for(marketing_lead)
        .get(reverse("dashboard", args=[organization.slug]))
        .content.decode()
    )

    assert "Acme SLA 2027" in content
    assert "Secret" not in content


def test_organisation_switcher_lists_every_organisation_of_the_user(
    client_for, marketing_lead, organization
):
    other = factories.OrganizationFactory(name="Beta Industries", slug="beta")
    factories.MembershipFactory(organization=other, user=marketing_lead, role=Role.VIEWER)

    content = (
        client_for(marketing_lead)
        .get(reverse("dashboard", args=[organization.slug]))
        .content.decode()
    )

    assert reverse("dashboard", args=["beta"]) in content
    assert "Beta Industries" in content


EVIDENCE = {
    "pdf_sha256": "a" * 64,
    "image_sha256": "b" * 64,
    "consent_sha256": "c" * 64,
    "method": "typed",
}


def build_agreements(organization, lead, other_signers, count, *, start=0):
    """`count` agreements in bulk: a third drafts, a third signed (a review due now), a third
    in sequential signature where `lead` signs after `other_signers` (every other one: the
    others have all signed, so it is the lead's turn)."""
    now = timezone.now()
    agreements = Agreement.objects.bulk_create(
        Agreement(
            organization=organization,
            title=f"Regional SLA {start + n:04d}",
            status=[AgreementStatus.DRAFT, AgreementStatus.SIGNED, AgreementStatus.IN_SIGNATURE][
                n % 3
            ],
            effective_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            created_by=lead,
        )
        for n in range(count)
    )
    versions = AgreementVersion.objects.bulk_create(
        AgreementVersion(
            agreement=agreement,
            number=1,
            snapshot={},
            snapshot_sha256=f"{agreement.pk:064x}",
            created_by=lead,
            created_at=now,
            state=VersionState.SIGNED
            if agreement.status == AgreementStatus.SIGNED
            else VersionState.IN_SIGNATURE,
            signing_order=SigningOrder.SEQUENTIAL,
            pdf_status=PdfStatus.READY,
            pdf_sha256="a" * 64,
        )
        for agreement in agreements
        if agreement.status != AgreementStatus.DRAFT
    )
    slots = []
    in_signature = 0
    for version in versions:
        if version.state == VersionState.IN_SIGNATURE:
            in_signature += 1
        signed_before = version.state == VersionState.SIGNED or in_signature % 2 == 1
        for order, signer in enumerate([*other_signers, lead]):
            done = (signed_before and signer != lead) or version.state == VersionState.SIGNED
            slots.append(
                Signature(
                    version=version,
                    signer=signer,
                    role="further",
                    capacity="Board",
                    order=order,
                    status=SignatureStatus.SIGNED if done else SignatureStatus.PENDING,
                    signed_at=now if done else None,
                    **(EVIDENCE if done else {}),
                )
            )
    Signature.objects.bulk_create(slots)
    for agreement in agreements:
        if agreement.status == AgreementStatus.SIGNED:
            refresh_next_review_due(agreement)
    return agreements


@pytest.fixture
def crowded(organization, marketing_lead):
    """Dozens of sequential slots per version: 20 other signers before the lead."""
    others = factories.UserFactory.create_batch(20)
    for person in others:
        factories.MembershipFactory(organization=organization, user=person, role=Role.VIEWER)
    return lambda count, start=0: build_agreements(
        organization, marketing_lead, others, count, start=start
    )


def dashboard_queries(client, organization, **params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard", args=[organization.slug]), params)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_dashboards_queries_do_not_grow_with_the_organisation(
    client_for, marketing_lead, organization, crowded, django_assert_max_num_queries
):
    client = client_for(marketing_lead)
    crowded(12)
    client.get(reverse("dashboard", args=[organization.slug]))  # the first one saves the session
    few = {show: dashboard_queries(client, organization, show=show)[0] for show in SHOWS}

    crowded(300, start=12)
    for show in SHOWS:
        many, _ = dashboard_queries(client, organization, show=show)
        assert many == few[show], f"show={show!r}: {few[show]} queries at 12, {many} at 312"
    with django_assert_max_num_queries(14):
        client.get(reverse("dashboard", args=[organization.slug]))


SHOWS = ["", "awaiting", "review_due"]


def test_the_dashboard_pages_through_the_agreements(
    client_for, marketing_lead, organization, crowded
):
    crowded(PAGE_SIZE * 2 + 3)
    client = client_for(marketing_lead)

    _, first = dashboard_queries(client, organization)
    _, last = dashboard_queries(client, organization, page=3)
    _, beyond = dashboard_queries(client, organization, page="x")  # not a number: page 1

    assert first.count('data-testid="agreement-row"') == PAGE_SIZE
    assert f"1\N{EN DASH}{PAGE_SIZE} of {PAGE_SIZE * 2 + 3} agreements" in first
    assert last.count('data-testid="agreement-row"') == 3
    assert "Page 3 of 3" in last
    assert beyond.count('data-testid="agreement-row"') == PAGE_SIZE


def test_the_dashboard_searches_and_filters(client_for, marketing_lead, organization, crowded):
    agreements = crowded(30)
    client = client_for(marketing_lead)

    _, found = dashboard_queries(client, organization, q="sla 0007")
    _, signed = dashboard_queries(client, organization, status="signed")
    _, awaiting = dashboard_queries(client, organization, show="awaiting")
    _, due = dashboard_queries(client, organization, show="review_due")

    assert found.count('data-testid="agreement-row"') == 1 and "Regional SLA 0007" in found
    assert signed.count('data-testid="agreement-row"') == 10
    # In signature: every other one has the 20 earlier slots signed, so it is the lead's turn.
    its_turn = [
        a.title
        for a in agreements
        if a.status == AgreementStatus.IN_SIGNATURE
        and not Signature.objects.filter(
            version__agreement=a, status=SignatureStatus.PENDING
        ).exclude(signer=marketing_lead)
    ]
    assert awaiting.count('data-testid="agreement-row"') == len(its_turn) == 5
    assert all(title in awaiting for title in its_turn)
    # Signed for 2026 with a quarterly cadence: the first review (April 1st) is overdue today.
    assert due.count('data-testid="agreement-row"') == 10
    assert "overdue since" in due


def test_a_filter_that_matches_nothing_says_so_and_a_bad_value_is_named(
    client_for, marketing_lead, organization, crowded
):
    crowded(3)
    client = client_for(marketing_lead)

    _, nothing = dashboard_queries(client, organization, q="no such title")
    _, bad = dashboard_queries(client, organization, status="archived")

    assert "No agreement matches these filters." in nothing
    assert "Select a valid choice. archived is not one of the available choices." in bad
    assert bad.count('data-testid="agreement-row"') == 3  # the bad filter is not applied


def test_the_next_review_date_follows_the_term_and_closed_reviews(
    organization, marketing_lead, crowded
):
    signed = next(a for a in crowded(3) if a.status == AgreementStatus.SIGNED)
    assert signed.next_review_due == date(2026, 4, 1)

    signed.reviews.create(
        due_on=date(2026, 4, 1),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        closed_at=timezone.now(),
        held_on=date(2026, 4, 2),
        decision="keep",
        version=signed.versions.get(),
        created_by=marketing_lead,
    )
    assert refresh_next_review_due(signed) == date(2026, 7, 1)
    Agreement.objects.filter(pk=signed.pk).update(review_cadence="semiannual")
    signed.refresh_from_db()
    assert refresh_next_review_due(signed) == date(2026, 7, 1)
    assert Agreement.objects.get(pk=signed.pk).next_review_due == date(2026, 7, 1)


def test_a_repeated_dashboard_load_does_not_write_the_session(
    client_for, marketing_lead, organization
):
    client = client_for(marketing_lead)
    client.get(reverse("dashboard", args=[organization.slug]))  # remembers the organisation

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("dashboard", args=[organization.slug]))

    writes = [
        q["sql"] for q in queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]
    ]
    assert writes == []


@pytest.mark.postgres
def test_the_title_search_is_answered_from_the_trigram_index(
    client_for, marketing_lead, organization, crowded
):
    crowded(30)
    searched = agreements_for_dashboard(organization, marketing_lead, query="sla 0007")
    # The lookup alone: only the trigram index can answer it, if its expression is the one
    # Django writes for `icontains`.
    sql, params = Agreement.objects.filter(title__icontains="sla 0007").query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small table would be scanned anyway
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "agreement_title_trgm" in plan, plan
    assert [a.title for a in searched] == ["Regional SLA 0007"]
