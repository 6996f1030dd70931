"""Invariants the database itself enforces, and the status transition map."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, transaction

from agreements import lifecycle
from agreements.models import (
    Agreement,
    AgreementStatus,
    Definition,
    DefinitionKey,
    Kpi,
    KpiUnit,
    PdfStatus,
    QualificationCriterion,
    SignatureStatus,
    VersionState,
)
from slaportal.errors import DomainError
from tests import factories


def violates(**changes):
    """True when saving `changes` onto a fresh agreement breaks a database constraint."""
    agreement = factories.AgreementFactory()
    try:
        with transaction.atomic():
            Agreement.objects.filter(pk=agreement.pk).update(**changes)
    except (IntegrityError, DataError):  # PostgreSQL reports an over-long value as DataError
        return True
    return False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"effective_date": date(2027, 6, 1), "end_date": date(2027, 6, 1)},
        {"effective_date": date(2027, 6, 1), "end_date": date(2027, 1, 1)},
        {"revenue_target": Decimal("0")},
        {"revenue_target": Decimal("-5")},
        {"mql_threshold": 1001},
        {"handoff_response_hours": 0},
        {"first_contact_hours": 721},
        {"recycle_after_attempts": 51},
        {"currency": "eu"},
        {"currency": "EURO"},
        {"status": "lost"},
    ],
)
def test_the_database_refuses_an_invalid_agreement(changes):
    assert violates(**changes)


@pytest.mark.django_db
def test_the_database_accepts_a_valid_agreement():
    assert not violates(
        effective_date=date(2027, 1, 1),
        end_date=date(2027, 12, 31),
        revenue_target=Decimal("1"),
        mql_threshold=1000,
        currency="USD",
    )


def test_the_same_person_cannot_be_both_leads(organization, marketing_lead):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.AgreementFactory(
            organization=organization, marketing_lead=marketing_lead, sales_lead=marketing_lead
        )


def test_model_validation_explains_each_invalid_field(organization, marketing_lead):
    agreement = Agreement(
        organization=organization,
        title="x",
        effective_date=date(2027, 6, 1),
        end_date=date(2027, 1, 1),
        marketing_lead=marketing_lead,
        sales_lead=marketing_lead,
        currency="E1",
        revenue_target=Decimal("-1"),
    )

    with pytest.raises(ValidationError) as caught:
        agreement.full_clean()

    errors = caught.value.message_dict
    assert errors["end_date"] == ["The end date must be after the effective date."]
    assert errors["sales_lead"] == ["The sales lead must be someone other than the marketing lead."]
    assert "currency" in errors
    assert "revenue_target" in errors


def test_row_positions_are_unique_per_agreement(agreement):
    first = agreement.definition_rows.first()

    with pytest.raises(IntegrityError), transaction.atomic():
        Definition.objects.create(
            agreement=agreement, position=first.position, term="X", meaning="Y"
        )


def test_a_standard_term_is_defined_once(agreement):
    with pytest.raises(IntegrityError), transaction.atomic():
        Definition.objects.create(
            agreement=agreement, position=99, key=DefinitionKey.MQL, term="MQL again", meaning="."
        )


@pytest.mark.parametrize("points", [-101, 101])
def test_criterion_points_stay_within_range(agreement, points):
    with pytest.raises(IntegrityError), transaction.atomic():
        QualificationCriterion.objects.create(
            agreement=agreement, position=99, axis="fit", criterion="x", points=points
        )


def test_a_percentage_kpi_cannot_exceed_100(agreement):
    with pytest.raises(IntegrityError), transaction.atomic():
        Kpi.objects.create(
            agreement=agreement,
            position=99,
            name="x",
            owner_team="sales",
            target=Decimal("101"),
            unit=KpiUnit.PERCENT,
        )


@pytest.mark.django_db
def test_status_follows_the_transition_map():
    agreement = factories.AgreementFactory()

    lifecycle.move_agreement(agreement, AgreementStatus.IN_SIGNATURE)
    lifecycle.move_agreement(agreement, AgreementStatus.SIGNED)
    lifecycle.move_agreement(agreement, AgreementStatus.DRAFT)  # a revision

    assert agreement.status == AgreementStatus.DRAFT
    lifecycle.move_agreement(agreement, AgreementStatus.IN_SIGNATURE)
    with pytest.raises(DomainError, match="in signature cannot become in signature"):
        lifecycle.move_agreement(agreement, AgreementStatus.IN_SIGNATURE)


@pytest.mark.django_db
def test_a_draft_cannot_jump_straight_to_signed():
    agreement = factories.AgreementFactory()

    with pytest.raises(DomainError, match="draft cannot become signed"):
        lifecycle.move_agreement(agreement, AgreementStatus.SIGNED)
    assert agreement.status == AgreementStatus.DRAFT


def test_every_state_in_the_transition_maps_is_a_real_state_and_each_is_reachable():
    for choices, transitions, start in (
        (AgreementStatus, lifecycle.AGREEMENT_TRANSITIONS, AgreementStatus.DRAFT),
        (VersionState, lifecycle.VERSION_TRANSITIONS, VersionState.IN_SIGNATURE),
        (SignatureStatus, lifecycle.SIGNATURE_TRANSITIONS, SignatureStatus.PENDING),
        (PdfStatus, lifecycle.PDF_TRANSITIONS, lifecycle.PDF_NOT_STARTED),
    ):
        reachable, frontier = {start}, [start]
        while frontier:
            for target in transitions.get(frontier.pop(), ()):
                if target not in reachable:
                    reachable.add(target)
                    frontier.append(target)
        assert set(choices.values) <= reachable, f"{choices.__name__}: unreachable states"
        assert reachable - {lifecycle.PDF_NOT_STARTED} <= set(choices.values)


@pytest.mark.postgres
def test_on_postgresql_a_lead_must_be_a_member_of_the_organisation(agreement, outsider):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(marketing_lead=outsider)
        check_deferred_constraints_now()


@pytest.mark.postgres
def test_on_postgresql_removing_a_lead_from_the_organisation_clears_the_lead(agreement, sales_lead):
    sales_lead.memberships.get().delete()
    check_deferred_constraints_now()

    agreement.refresh_from_db()
    assert agreement.sales_lead_id is None
    assert agreement.marketing_lead_id is not None


def check_deferred_constraints_now():
    # The membership foreign keys are deferred to commit; the test transaction never commits.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
