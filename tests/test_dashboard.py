from django.urls import reverse

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


def test_dashboard_runs_a_bounded_number_of_queries(
    client_for, marketing_lead, organization, django_assert_max_num_queries
):
    factories.AgreementFactory.create_batch(
        60, organization=organization, created_by=marketing_lead
    )
    client = client_for(marketing_lead)

    with django_assert_max_num_queries(12):  # reviews and versions prefetched
        response = client.get(reverse("dashboard", args=[organization.slug]))

    assert response.content.decode().count('data-testid="agreement-row"') == 60
