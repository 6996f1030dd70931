"""A quarterly review filled from the lead events: the funnel figures per month, in total and per
stream and source, marked as measured; typed figures keep their own mark."""

from datetime import date
from decimal import Decimal

import time_machine
from django.urls import reverse

from agreements.models import ActualOrigin
from agreements.reviews import services as review_services
from compliance.refresh import refresh
from compliance.review_fill import measured_values

from . import scenario as s
from .test_measures import ingest

JAN = date(2027, 1, 1)


def review_of(agreement, actor):
    return review_services.review_start(agreement=agreement, actor=actor, due_on=date(2027, 4, 1))


def test_the_review_is_filled_with_the_measured_figures(
    berlin_agreement, marketing_lead, client_for
):
    with time_machine.travel(s.NOW, tick=False):
        ingest(berlin_agreement, s.EVENTS)
        refresh(berlin_agreement, now=s.NOW)
        review = review_of(berlin_agreement, marketing_lead)
        values = measured_values(review)
        assert values[("mqls", JAN)] == Decimal(s.JANUARY_STAGES["mqls"])
        assert values[("deals", JAN)] == Decimal(1)
        assert values[("sqls", JAN)] == Decimal(2)

        client = client_for(marketing_lead)
        url = reverse("review_fill_events", args=[berlin_agreement.pk, review.pk])
        response = client.post(url, follow=True)
    assert "figures measured from the lead events" in response.content.decode()
    stored = review.actuals.get(metric="mqls", month=JAN)
    assert (stored.actual, stored.origin) == (Decimal(4), ActualOrigin.MEASURED)
    assert 'data-origin="measured"' in response.content.decode()
    assert berlin_agreement.audit_entries.filter(action="review_measured").exists()


def test_a_typed_change_is_marked_typed_and_unchanged_cells_keep_their_origin(
    berlin_agreement, marketing_lead
):
    with time_machine.travel(s.NOW, tick=False):
        ingest(berlin_agreement, s.EVENTS)
        refresh(berlin_agreement, now=s.NOW)
        review = review_of(berlin_agreement, marketing_lead)
        review_services.review_fill_measured(
            review=review, actor=marketing_lead, values=measured_values(review)
        )
        review_services.review_save(
            review=review,
            actor=marketing_lead,
            held_on=None,
            attendees="",
            notes="",
            actuals={("mqls", JAN): Decimal(4), ("sqls", JAN): Decimal(3)},
        )
    origins = dict(review.actuals.filter(month=JAN).values_list("metric", "origin"))
    assert origins["mqls"] == "measured" and origins["sqls"] == "typed"


def test_without_events_nothing_is_filled(berlin_agreement, marketing_lead, client_for):
    with time_machine.travel(s.NOW, tick=False):
        review = review_of(berlin_agreement, marketing_lead)
        url = reverse("review_fill_events", args=[berlin_agreement.pk, review.pk])
        response = client_for(marketing_lead).post(url, follow=True)
    assert "No lead events yet" in response.content.decode()
    assert not review.actuals.exists()
