"""The demo organisation: Acme Corp with its marketing lead and sales lead.

Idempotent: running it again finds what exists and creates only what is missing.
Later features add their demo data by extending `seed_demo()`.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Membership, Organization, Role

DEMO_ORG_NAME = "Acme Corp"
DEMO_ORG_SLUG = "acme"
DEMO_PASSWORD = "acme-demo-2026"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    job_title: str
    role: str


MARKETING_LEAD = DemoPerson("maria@acme.example", "Maria Rossi", "Head of Marketing", Role.OWNER)
SALES_LEAD = DemoPerson("sam@acme.example", "Sam Becker", "Head of Sales", Role.EDITOR)
DEMO_PEOPLE = [MARKETING_LEAD, SALES_LEAD]


@dataclass
class DemoData:
    organization: Organization
    marketing_lead: object
    sales_lead: object


def _ensure_user(person: DemoPerson):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=person.email,
        defaults={"full_name": person.full_name, "job_title": person.job_title},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=person.email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def seed_demo() -> DemoData:
    organization, _ = Organization.objects.get_or_create(
        slug=DEMO_ORG_SLUG, defaults={"name": DEMO_ORG_NAME}
    )
    users = {}
    for person in DEMO_PEOPLE:
        user = _ensure_user(person)
        Membership.objects.get_or_create(
            organization=organization, user=user, defaults={"role": person.role}
        )
        users[person] = user
    return DemoData(
        organization=organization,
        marketing_lead=users[MARKETING_LEAD],
        sales_lead=users[SALES_LEAD],
    )
