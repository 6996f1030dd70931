from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organizations import services
from organizations.models import Invitation, Membership, OrganizationEvent, Role
from slaportal.errors import DomainError
from tests import factories


def test_creating_an_organisation_makes_the_creator_its_owner(client_for, db):
    user = factories.UserFactory()

    response = client_for(user).post(
        reverse("organization_create"), {"name": "Initech", "paper_size": "letter"}
    )

    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER
    assert membership.organization.name == "Initech"
    assert membership.organization.paper_size == "letter"
    assert response.url == reverse("dashboard", args=[membership.organization.slug])
    assert OrganizationEvent.objects.filter(action="organization.created").exists()


def test_an_organisation_without_a_name_is_refused_next_to_the_field(client_for, db):
    response = client_for(factories.UserFactory()).post(
        reverse("organization_create"), {"name": "   ", "paper_size": "A4"}
    )

    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not Membership.objects.exists()


def test_two_organisations_with_the_same_name_get_distinct_slugs(db):
    first = services.organization_create(name="Acme", owner=factories.UserFactory())
    second = services.organization_create(name="Acme", owner=factories.UserFactory())

    assert first.slug == "acme"
    assert second.slug == "acme-2"


def test_user_without_organisation_is_sent_to_create_one(client_for, db):
    response = client_for(factories.UserFactory()).get(reverse("home"))

    assert response.url == reverse("organization_create")


def test_home_returns_to_the_organisation_used_last(client_for, marketing_lead, organization):
    other = factories.OrganizationFactory(name="Beta", slug="beta")
    factories.MembershipFactory(organization=other, user=marketing_lead, role=Role.VIEWER)
    client = client_for(marketing_lead)

    client.get(reverse("dashboard", args=["beta"]))
    response = client.get(reverse("home"))

    assert response.url == reverse("dashboard", args=["beta"])


def test_owner_invites_a_colleague_by_email(
    client_for, marketing_lead, organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(marketing_lead).post(
            reverse("invitation_create", args=[organization.slug]),
            {"email": "New.Person@Example.com", "role": "viewer"},
        )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.com"
    assert invitation.role == Role.VIEWER
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.com"]
    assert "Acme Corp" in message.subject
    assert reverse("invitation_accept", args=[invitation.token]) in message.body


def test_inviting_an_existing_member_is_refused_next_to_the_email_field(
    client_for, marketing_lead, sales_lead, organization
):
    response = client_for(marketing_lead).post(
        reverse("invitation_create", args=[organization.slug]),
        {"email": sales_lead.email, "role": "editor"},
    )

    assert response.status_code == 400
    assert response.context["invite_form"].errors["email"] == ["This person is already a member."]
    assert not Invitation.objects.exists()


def test_a_second_open_invitation_for_the_same_address_is_refused(
    client_for, marketing_lead, organization
):
    factories.InvitationFactory(organization=organization, email="dup@example.com")

    response = client_for(marketing_lead).post(
        reverse("invitation_create", args=[organization.slug]),
        {"email": "DUP@example.com", "role": "editor"},
    )

    assert response.status_code == 400
    assert "already has an open invitation" in response.context["invite_form"].errors["email"][0]
    assert response.context["invite_form"].data["email"] == "DUP@example.com"


def test_an_expired_invitation_can_be_replaced_by_a_new_one(marketing_lead, organization):
    factories.InvitationFactory(
        organization=organization,
        email="late@example.com",
        expires_at=timezone.now() - timedelta(days=1),
    )

    services.invitation_create(
        organization=organization,
        email="late@example.com",
        role="editor",
        invited_by=marketing_lead,
    )

    assert Invitation.objects.pending().filter(email="late@example.com").count() == 1


def test_invalid_invitation_email_gets_a_message_next_to_the_field(
    client_for, marketing_lead, organization
):
    response = client_for(marketing_lead).post(
        reverse("invitation_create", args=[organization.slug]), {"email": "not-an-email"}
    )

    assert response.status_code == 400
    assert response.context["invite_form"].errors["email"] == ["Enter a valid email address."]


def test_invited_person_accepts_and_becomes_a_member_with_the_given_role(client_for, organization):
    invitation = factories.InvitationFactory(
        organization=organization, email="newbie@example.com", role=Role.VIEWER
    )
    newbie = factories.UserFactory(email="newbie@example.com")

    response = client_for(newbie).post(reverse("invitation_accept", args=[invitation.token]))

    assert response.url == reverse("dashboard", args=[organization.slug])
    assert Membership.objects.get(user=newbie).role == Role.VIEWER
    invitation.refresh_from_db()
    assert invitation.accepted_by == newbie


def test_an_invitation_cannot_be_accepted_by_someone_else(client_for, organization):
    invitation = factories.InvitationFactory(organization=organization, email="right@example.com")
    wrong = factories.UserFactory(email="wrong@example.com")

    response = client_for(wrong).post(
        reverse("invitation_accept", args=[invitation.token]), follow=True
    )

    assert "This invitation is for right@example.com" in response.content.decode()
    assert not Membership.objects.filter(user=wrong).exists()


def test_an_expired_or_revoked_invitation_cannot_be_accepted(organization, marketing_lead):
    expired = factories.InvitationFactory(
        organization=organization,
        email="a@example.com",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    revoked = factories.InvitationFactory(organization=organization, email="b@example.com")
    services.invitation_revoke(invitation=revoked, actor=marketing_lead)

    with pytest.raises(DomainError, match="expired"):
        services.invitation_accept(
            invitation=expired, user=factories.UserFactory(email="a@example.com")
        )
    with pytest.raises(DomainError, match="withdrawn"):
        services.invitation_accept(
            invitation=revoked, user=factories.UserFactory(email="b@example.com")
        )


def test_anonymous_visitor_sees_the_invitation_and_is_asked_to_sign_in(client, organization):
    invitation = factories.InvitationFactory(organization=organization, email="anon@example.com")

    page = client.get(reverse("invitation_accept", args=[invitation.token]))
    post = client.post(reverse("invitation_accept", args=[invitation.token]))

    assert "Join Acme Corp" in page.content.decode()
    assert post.url.startswith(reverse("account_login"))


def test_owner_changes_a_members_role(client_for, marketing_lead, sales_lead, organization):
    member = Membership.objects.get(user=sales_lead)

    client_for(marketing_lead).post(
        reverse("member_change_role", args=[organization.slug, member.id]), {"role": "viewer"}
    )

    member.refresh_from_db()
    assert member.role == Role.VIEWER
    assert OrganizationEvent.objects.filter(action="member.role_changed").count() == 1


def test_the_last_owner_cannot_step_down_or_leave(marketing_lead, organization):
    owner = Membership.objects.get(user=marketing_lead)

    with pytest.raises(DomainError, match="at least one owner"):
        services.membership_change_role(membership=owner, role=Role.EDITOR, actor=marketing_lead)
    with pytest.raises(DomainError, match="at least one owner"):
        services.membership_remove(membership=owner, actor=marketing_lead)
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_owner_removes_a_member(client_for, marketing_lead, sales_lead, organization):
    member = Membership.objects.get(user=sales_lead)

    client_for(marketing_lead).post(reverse("member_remove", args=[organization.slug, member.id]))

    assert not Membership.objects.filter(pk=member.pk).exists()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_non_owners_cannot_invite_or_change_members(client_for, organization, marketing_lead, role):
    user = factories.UserFactory()
    factories.MembershipFactory(organization=organization, user=user, role=role)
    client = client_for(user)
    owner = Membership.objects.get(user=marketing_lead)

    invite = client.post(
        reverse("invitation_create", args=[organization.slug]), {"email": "x@example.com"}
    )
    demote = client.post(
        reverse("member_change_role", args=[organization.slug, owner.id]), {"role": "viewer"}
    )

    assert invite.status_code == 403
    assert demote.status_code == 403
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_outsider_gets_404_on_every_organisation_page(client_for, outsider, organization):
    client = client_for(outsider)
    urls = [
        reverse("dashboard", args=[organization.slug]),
        reverse("members", args=[organization.slug]),
        reverse("invitation_create", args=[organization.slug]),
    ]

    assert [client.get(url).status_code for url in urls[:2]] == [404, 404]
    assert client.post(urls[2], {"email": "x@example.com"}).status_code == 404


def test_owner_cannot_reach_a_member_of_another_organisation(
    client_for, marketing_lead, outsider, organization
):
    foreign = Membership.objects.get(user=outsider)

    response = client_for(marketing_lead).post(
        reverse("member_remove", args=[organization.slug, foreign.id])
    )

    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, organization):
    response = client.get(reverse("dashboard", args=[organization.slug]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_members_page_runs_a_bounded_number_of_queries(
    client_for, marketing_lead, organization, django_assert_max_num_queries
):
    for _ in range(30):
        factories.MembershipFactory(organization=organization)
        factories.InvitationFactory(organization=organization)
    client = client_for(marketing_lead)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("members", args=[organization.slug]))

    assert response.status_code == 200
    assert response.content.decode().count('data-testid="member-row"') == 31


def test_owner_switches_the_contracts_to_letter_paper(client_for, marketing_lead, organization):
    response = client_for(marketing_lead).post(
        reverse("organization_settings", args=[organization.slug]),
        {"name": "Acme Corporation", "paper_size": "letter"},
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    assert (organization.name, organization.paper_size) == ("Acme Corporation", "letter")
    assert OrganizationEvent.objects.filter(action="organization.updated").exists()


def test_organisation_settings_are_for_owners(client_for, sales_lead, organization):
    url = reverse("organization_settings", args=[organization.slug])

    assert client_for(sales_lead).post(url, {"name": "X", "paper_size": "A4"}).status_code == 403
    organization.refresh_from_db()
    assert organization.name == "Acme Corp"


def test_a_blank_name_is_refused_and_nothing_changes(client_for, marketing_lead, organization):
    response = client_for(marketing_lead).post(
        reverse("organization_settings", args=[organization.slug]),
        {"name": " ", "paper_size": "A4"},
    )

    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    organization.refresh_from_db()
    assert organization.name == "Acme Corp"
