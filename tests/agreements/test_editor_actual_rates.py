"""A revision's funnel section offers the review's actual conversion rates: a confirmation of
every figure that would change, then the review service applies them."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from agreements.authoring.selectors import review_with_actuals
from agreements.models import Agreement, AgreementStatus
from agreements.reviews import services as review_services
from agreements.reviews.rate_preview import preview_actual_rates

JANUARY = date(2027, 1, 1)


@pytest.fixture
def revision(signed, marketing_lead):
    """The signed agreement revised after its first review, which recorded a win rate of 25%
    (the plan has 23%) and the other rates of the funnel."""
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)
    review_services.review_save(
        review=review,
        actor=marketing_lead,
        held_on=date(2027, 4, 1),
        attendees="",
        notes="",
        actuals={
            ("leads", JANUARY): Decimal(1000),
            ("mqls", JANUARY): Decimal(300),
            ("sqls", JANUARY): Decimal(100),
            ("opportunities", JANUARY): Decimal(80),
            ("deals", JANUARY): Decimal(20),
        },
    )
    review_services.review_close(review=review, actor=marketing_lead, decision="revise")
    agreement = Agreement.objects.get(pk=signed.agreement_id)
    assert agreement.status == AgreementStatus.DRAFT
    return agreement, review


def confirmation_url(agreement, review):
    return reverse("agreement_actual_rates", args=[agreement.pk, review.pk])


def plan_state(agreement):
    stream = agreement.funnelstream_rows.get()
    kpis = dict(agreement.kpi_rows.exclude(funnel_stage="").values_list("funnel_stage", "target"))
    return stream.win_rate, stream.revision, kpis, agreement.audit_entries.count()


def test_the_funnel_section_of_a_revision_offers_the_reviews_rates(
    revision, client_for, marketing_lead
):
    agreement, review = revision

    content = (
        client_for(marketing_lead)
        .get(reverse("agreement_edit", args=[agreement.pk, "kpis"]))
        .content.decode()
    )

    assert 'data-testid="actual-rates-offer"' in content
    assert f'href="{confirmation_url(agreement, review)}"' in content
    assert review_with_actuals(agreement) == review


def test_the_confirmation_shows_every_figure_that_changes_and_changes_none(
    revision, client_for, marketing_lead
):
    agreement, review = revision
    before = plan_state(agreement)

    response = client_for(marketing_lead).get(confirmation_url(agreement, review))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Win rate (opportunity to deal)" in content
    assert 'data-testid="apply-actual-rates"' in content
    assert plan_state(agreement) == before  # a preview: nothing written, nothing audited


def test_the_preview_is_what_the_review_service_would_write(revision, marketing_lead):
    agreement, review = revision

    changes = preview_actual_rates(agreement=agreement, review=review, actor=marketing_lead)

    shown = {(change.label, change.before, change.after) for change in changes}
    assert ("Win rate (opportunity to deal)", "23%", "25%") in shown
    assert ("Lead to MQL", "25%", "30%") in shown
    assert ("Win rate", "23%", "25%") in shown  # the plan's own KPI follows
    assert agreement.funnelstream_rows.get().win_rate == Decimal("0.23")


def test_confirming_applies_the_rates_through_the_review_service(
    revision, client_for, marketing_lead
):
    agreement, review = revision
    entries = agreement.audit_entries.count()
    client = client_for(marketing_lead)

    response = client.post(confirmation_url(agreement, review))

    assert response.status_code == 302
    assert response.url == reverse("agreement_edit", args=[agreement.pk, "kpis"]) + (
        "#funnel-results"
    )
    assert agreement.funnelstream_rows.get().win_rate == Decimal("0.25")
    assert agreement.kpi_rows.get(funnel_stage="win_rate").target == Decimal("25.00")
    assert agreement.audit_entries.count() == entries + 1
    assert agreement.audit_entries.order_by("-sequence").first().action == "actual_rates_applied"
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Win rate (opportunity to deal) 25%" in message


def test_the_review_page_leads_to_the_same_confirmation(revision, client_for, marketing_lead):
    agreement, review = revision

    content = (
        client_for(marketing_lead)
        .get(reverse("review_detail", args=[agreement.pk, review.pk]))
        .content.decode()
    )

    assert f'href="{confirmation_url(agreement, review)}" data-testid="apply-rates"' in content


def test_no_offer_without_a_review_nor_for_people_who_cannot_edit(
    revision, agreement, client_for, viewer
):
    revised, review = revision
    assert review_with_actuals(agreement) is None  # a draft never signed nor reviewed
    viewer_client = client_for(viewer)

    page = viewer_client.get(reverse("agreement_edit", args=[revised.pk, "kpis"]))

    assert 'data-testid="actual-rates-offer"' not in page.content.decode()
    assert viewer_client.get(confirmation_url(revised, review)).status_code == 403
    assert viewer_client.post(confirmation_url(revised, review)).status_code == 403


def test_a_signed_agreement_is_not_changed_and_says_why(signed, client_for, marketing_lead):
    agreement = Agreement.objects.get(pk=signed.agreement_id)
    review = review_services.review_start(agreement=agreement, actor=marketing_lead)
    win_rate = agreement.funnelstream_rows.get().win_rate

    response = client_for(marketing_lead).post(confirmation_url(agreement, review), follow=True)

    assert "Start a revision first" in response.content.decode()
    assert agreement.funnelstream_rows.get().win_rate == win_rate


def test_the_revisions_funnel_section_runs_a_bounded_number_of_queries(
    revision, client_for, marketing_lead, django_assert_max_num_queries
):
    agreement, _review = revision
    client = client_for(marketing_lead)

    with django_assert_max_num_queries(25):
        response = client.get(reverse("agreement_edit", args=[agreement.pk, "kpis"]))

    assert response.status_code == 200
