"""The one place test data is built. Users are named by their role in the story."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from agreements.models import Agreement
from organizations.models import Invitation, Membership, Organization, Role

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        """A verified address, as after signup; UserFactory(verified_email=False) for none."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.EDITOR


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.EDITOR


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Marketing and sales SLA {n}")


def agreement_from_template(organization, actor, **fields):
    """An agreement built by the real service from the recommended template."""
    from agreements.authoring import services as authoring_services

    agreement = authoring_services.agreement_create(
        organization=organization, actor=actor, title="Acme SLA", recommended_template=True
    )
    if fields:
        from agreements.authoring.funnel_targets import sync_funnel_kpis

        Agreement.objects.filter(pk=agreement.pk).update(**fields)
        agreement.refresh_from_db()
        sync_funnel_kpis(agreement)  # as saving the term and goal sections would
    return agreement
