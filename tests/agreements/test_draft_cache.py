"""Editor and compare pages reuse what they derive from a whole draft (sidebar problems, funnel
panel, blank forms, the draft's snapshot) per draft state. Each change must show at once: an
edit through the services, a member joining, a signatory renaming themselves."""

from decimal import Decimal

from django.urls import reverse

from agreements.authoring import services as authoring_services
from agreements.models import Agreement, AgreementStatus, Commitment, Kpi
from tests import factories


def edit_page(client, agreement, section):
    response = client.get(reverse("agreement_edit", args=[agreement.pk, section]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_row_removed_shows_in_the_sidebar_on_the_next_page(agreement, client_for, marketing_lead):
    client = client_for(marketing_lead)
    before = edit_page(client, agreement, "parties")
    assert 'data-testid="problems-commitments"' not in before

    for row in Commitment.objects.filter(agreement=agreement, team="sales"):
        authoring_services.row_delete(row=row, actor=marketing_lead, kind_key="commitments")

    after = edit_page(client, agreement, "parties")
    assert 'data-testid="problems-commitments"' in after


def test_the_funnel_panel_follows_an_edited_stream(agreement, client_for, marketing_lead):
    client = client_for(marketing_lead)
    deals = Kpi.objects.get(agreement=agreement, funnel_stage="deals")
    first = edit_page(client, agreement, "kpis")
    stream = agreement.funnelstream_rows.get()

    authoring_services.row_update(
        row=stream,
        actor=marketing_lead,
        kind_key="streams",
        values={"average_deal_size": stream.average_deal_size * 2},
        expected_revision=stream.revision,
    )

    second = edit_page(client, agreement, "kpis")
    halved = Kpi.objects.get(pk=deals.pk).target
    assert halved < deals.target
    assert 'data-testid="funnel-deals"' in first and 'data-testid="funnel-deals"' in second
    assert first != second


def test_a_new_member_is_offered_as_a_lead_without_any_draft_change(
    agreement, client_for, marketing_lead, organization
):
    client = client_for(marketing_lead)
    assert "Nadia Newcomer" not in edit_page(client, agreement, "parties")

    newcomer = factories.UserFactory(email="nadia@example.com", full_name="Nadia Newcomer")
    factories.MembershipFactory(organization=organization, user=newcomer, role="editor")

    assert "Nadia Newcomer" in edit_page(client, agreement, "parties")


def test_the_draft_comparison_shows_a_signatory_renamed_since(
    agreement, submitted, client_for, marketing_lead, organization
):
    signer = factories.UserFactory(email="signer.sam@example.com", full_name="Sam Signer")
    factories.MembershipFactory(organization=organization, user=signer, role="editor")
    Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.DRAFT)  # reopened
    agreement.refresh_from_db()
    authoring_services.row_create(
        agreement=agreement,
        actor=marketing_lead,
        kind_key="signatories",
        values={"user": signer, "capacity": "CFO"},
    )
    client = client_for(marketing_lead)
    url = reverse("version_compare", args=[agreement.pk]) + "?old=1&new=draft"
    assert "Sam Signer" in client.get(url).content.decode()

    signer.full_name = "Samantha Signer"
    signer.save()

    page = client.get(url).content.decode()
    assert "Samantha Signer" in page


def test_the_cached_pages_run_fewer_queries_the_second_time(
    agreement, client_for, marketing_lead, django_assert_max_num_queries
):
    client = client_for(marketing_lead)
    edit_page(client, agreement, "kpis")
    with django_assert_max_num_queries(12):
        edit_page(client, agreement, "kpis")
    assert agreement.revenue_target == Decimal("1200000")
