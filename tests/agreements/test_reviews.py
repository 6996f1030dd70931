"""Quarterly reviews: the schedule, reminders (time frozen), actuals, the decision, revising."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from agreements.authoring import sections
from agreements.authoring import services as authoring_services
from agreements.models import Agreement, AgreementStatus, ReviewActual, VersionState
from agreements.reviews import services as review_services
from agreements.reviews.judging import band, judge
from agreements.schedule import add_months, review_dates, review_period
from agreements.versions import services as version_services
from slaportal.errors import DomainError


def test_quarterly_review_dates_cover_the_term(agreement):
    assert review_dates(agreement) == [
        date(2027, 4, 1),
        date(2027, 7, 1),
        date(2027, 10, 1),
        date(2028, 1, 1),
    ]
    assert review_period(agreement, date(2027, 7, 1)) == (date(2027, 4, 1), date(2027, 6, 30))
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)


def test_verdicts_follow_the_kpis_direction_around_the_band():
    limits = band(Decimal(100))
    assert limits == (Decimal(90), Decimal(110))

    def verdicts(direction):
        return [judge(Decimal(v), limits, direction) for v in (89, 90, 110, 111)]

    assert verdicts("higher") == ["worse", "on_track", "on_track", "better"]
    assert verdicts("lower") == ["better", "on_track", "on_track", "worse"]
    assert verdicts("on_target") == ["worse", "on_track", "on_track", "worse"]


def test_a_fast_response_against_a_24_hour_target_is_better_not_under(signed, marketing_lead):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)
    metrics = {m.label: m for m in review_services.review_targets(review)}
    response_time = metrics["Response time to MQLs"]
    january = date(2027, 1, 1)

    assert (response_time.unit, response_time.direction) == ("hours", "lower")
    assert judge(Decimal(4), response_time.bands[january], response_time.direction) == "better"


def test_a_quarterly_kpi_is_compared_once_for_the_quarter(signed, marketing_lead):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)
    metrics = {m.label: m for m in review_services.review_targets(review)}

    win_rate = metrics["Win rate"]
    assert win_rate.period == "quarter"
    assert list(win_rate.targets) == [date(2027, 1, 1)]  # one cell for January to March
    revenue = metrics["Marketing-sourced revenue over the term"]
    # A term target in a currency: the quarter's share of it (3 of 12 months).
    assert revenue.targets[date(2027, 1, 1)] == Decimal("300000.00")


def test_both_leads_are_reminded_before_the_review_and_once_when_overdue(
    signed, django_capture_on_commit_callbacks
):
    with time_machine.travel(date(2027, 3, 20)):
        assert review_services.send_review_reminders() == 0  # 12 days ahead: too early
    # The reminders go through the outbox: one email per lead, sent once the run commits.
    with time_machine.travel(date(2027, 3, 25)), django_capture_on_commit_callbacks(execute=True):
        assert review_services.send_review_reminders() == 1
        assert review_services.send_review_reminders() == 0  # once per date
    assert sorted(m.to[0] for m in mail.outbox) == ["maria@example.com", "sam@example.com"]
    assert all("SLA review due on" in m.subject for m in mail.outbox)
    with time_machine.travel(date(2027, 4, 2)), django_capture_on_commit_callbacks(execute=True):
        assert review_services.send_review_reminders() == 1
    assert len(mail.outbox) == 4
    assert "Overdue" in mail.outbox[2].subject


def test_a_held_review_stops_the_reminders_for_its_date(signed, marketing_lead):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)
    review_services.review_save(
        review=review,
        actor=marketing_lead,
        held_on=date(2027, 4, 1),
        attendees="",
        notes="",
        actuals={},
    )
    review_services.review_close(review=review, actor=marketing_lead, decision="keep")

    with time_machine.travel(date(2027, 4, 2)):
        assert review_services.send_review_reminders() == 0


def test_a_review_compares_actuals_with_the_signed_targets(signed, marketing_lead):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)
    metrics = {m.key: m for m in review_services.review_targets(review)}
    january = date(2027, 1, 1)
    target = metrics["deals"].targets[january]

    review_services.review_save(
        review=review,
        actor=marketing_lead,
        held_on=date(2027, 4, 2),
        attendees="Maria, Sam",
        notes="Events underdelivered.",
        actuals={("deals", january): target, ("leads", january): Decimal(5)},
    )

    assert review.period_start == date(2027, 1, 1) and review.period_end == date(2027, 3, 31)
    stored = {a.metric: a for a in ReviewActual.objects.filter(review=review)}
    assert stored["deals"].target == target
    deals, leads = metrics["deals"], metrics["leads"]
    assert judge(stored["deals"].actual, deals.bands[january], deals.direction) == "on_track"
    assert judge(stored["leads"].actual, leads.bands[january], leads.direction) == "worse"
    assert "Response time to MQLs" in {m.label for m in metrics.values()}


def test_bad_actuals_are_explained_in_their_cell_and_nothing_is_saved(
    signed, marketing_lead, client_for
):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)
    url = reverse("review_detail", args=[signed.agreement_id, review.pk])

    response = client_for(marketing_lead).post(
        url, {"held_on": "2027-04-02", "actual:deals:2027-01": "lots", "actual:leads:2027-02": "-3"}
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "“lots” is not a number" in content and "cannot be negative" in content
    assert 'value="lots"' in content
    assert not ReviewActual.objects.exists()


def test_a_closed_review_never_changes(signed, marketing_lead):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)
    with pytest.raises(DomainError, match="date the review was held"):
        review_services.review_close(review=review, actor=marketing_lead, decision="keep")
    review_services.review_save(
        review=review,
        actor=marketing_lead,
        held_on=date(2027, 4, 1),
        attendees="",
        notes="",
        actuals={},
    )
    review_services.review_close(review=review, actor=marketing_lead, decision="keep")

    with pytest.raises(DomainError, match="closed"):
        review_services.review_save(
            review=review,
            actor=marketing_lead,
            held_on=date(2027, 4, 1),
            attendees="x",
            notes="",
            actuals={},
        )


def test_deciding_to_revise_opens_a_draft_from_the_signed_version(signed, marketing_lead):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)
    review_services.review_save(
        review=review,
        actor=marketing_lead,
        held_on=date(2027, 4, 1),
        attendees="",
        notes="",
        actuals={},
    )

    review_services.review_close(review=review, actor=marketing_lead, decision="revise")

    agreement = Agreement.objects.get(pk=signed.agreement_id)
    assert agreement.status == AgreementStatus.DRAFT
    signed.refresh_from_db()
    assert signed.state == VersionState.SIGNED  # in force until the revision is signed
    assert agreement.audit_entries.filter(action="revision_started").exists()


def test_the_revision_takes_the_actual_conversion_rates(signed, marketing_lead):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)
    january = date(2027, 1, 1)
    review_services.review_save(
        review=review,
        actor=marketing_lead,
        held_on=date(2027, 4, 1),
        attendees="",
        notes="",
        actuals={
            ("leads", january): Decimal(1000),
            ("mqls", january): Decimal(300),
            ("sqls", january): Decimal(100),
            ("opportunities", january): Decimal(80),
            ("deals", january): Decimal(20),
        },
    )
    review_services.review_close(review=review, actor=marketing_lead, decision="revise")

    applied = review_services.apply_actual_rates(
        agreement=Agreement.objects.get(pk=signed.agreement_id), review=review, actor=marketing_lead
    )

    assert applied == {
        "lead_to_mql_rate": "30%",
        "mql_to_sql_rate": "33.33%",  # rounded to a hundredth of a percent
        "sql_to_opportunity_rate": "80%",
        "win_rate": "25%",
    }
    stream = signed.agreement.funnelstream_rows.get()
    assert str(stream.win_rate) == "0.25000000"


def test_reviews_need_a_signed_agreement(agreement, marketing_lead):
    with pytest.raises(DomainError, match="Only a signed agreement"):
        review_services.review_start(agreement=agreement, actor=marketing_lead)


def test_the_dashboard_shows_when_the_next_review_is_due(signed, client_for, marketing_lead):
    with time_machine.travel(date(2027, 4, 3)):
        content = (
            client_for(marketing_lead)
            .get(reverse("dashboard", args=[signed.agreement.organization.slug]))
            .content.decode()
        )

    assert "overdue since" in content


def test_review_pages_are_for_members_only(signed, marketing_lead, client_for, outsider):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)

    assert (
        client_for(outsider)
        .get(reverse("agreement_reviews", args=[signed.agreement_id]))
        .status_code
        == 404
    )
    assert (
        client_for(outsider)
        .get(reverse("review_detail", args=[signed.agreement_id, review.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(marketing_lead)
        .get(reverse("agreement_reviews", args=[signed.agreement_id]))
        .status_code
        == 200
    )


def upload_csv(client, signed, review, content: bytes, language="en"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("review_upload", args=[signed.agreement_id, review.pk]),
        {"file": SimpleUploadedFile("export.csv", content, "text/csv")},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_a_crm_export_is_previewed_then_imported_on_confirmation(
    signed, marketing_lead, client_for
):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)
    client = client_for(marketing_lead)
    csv = b"Monat;Leads;MQLs;Deals\n2027-01;2.600;780;48\n2027-02;2.700;800;51\n"

    # A German export read with the German number format of the browser's language.
    preview = upload_csv(client, signed, review, csv, language="de")

    assert preview.status_code == 200
    assert 'data-testid="import-preview"' in preview.content.decode()
    assert not ReviewActual.objects.exists()  # nothing until confirmed
    client.post(reverse("review_import", args=[signed.agreement_id, review.pk]))
    stored = {(a.metric, a.month): a.actual for a in ReviewActual.objects.filter(review=review)}
    assert stored[("leads", date(2027, 1, 1))] == Decimal(2600)
    assert stored[("deals", date(2027, 2, 1))] == Decimal(51)


def test_every_bad_csv_row_is_listed_with_its_line_and_nothing_is_imported(
    signed, marketing_lead, client_for
):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)
    csv = b"Month,Leads\n2027-01,2600\n2026-12,100\nsoon,5\n2027-02,\n"

    response = upload_csv(client_for(marketing_lead), signed, review, csv)

    content = response.content.decode()
    assert response.status_code == 400
    assert "line 3" in content and "line 4" in content and "line 5" in content
    assert "No value." in content
    client_for(marketing_lead).post(reverse("review_import", args=[signed.agreement_id, review.pk]))
    assert not ReviewActual.objects.exists()


def test_a_file_that_is_not_csv_gets_one_clear_message(signed, marketing_lead, client_for):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)

    response = upload_csv(client_for(marketing_lead), signed, review, b"%PDF-1.7 binary")

    assert response.status_code == 400
    assert "This is not a CSV file" in response.content.decode()


def test_a_revisions_pdf_lists_the_changes_since_the_previous_version(
    signed, marketing_lead, django_capture_on_commit_callbacks
):
    import io

    from pypdf import PdfReader

    agreement = review_services.agreement_revise(agreement=signed.agreement, actor=marketing_lead)
    values = {name: getattr(agreement, name) for name in sections.SECTIONS_BY_KEY["goal"].fields}
    authoring_services.section_update(
        agreement=agreement,
        actor=marketing_lead,
        section_key="goal",
        values={**values, "revenue_target": Decimal("1500000")},
        fingerprint="",
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    second.refresh_from_db()

    with second.pdf.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Appendix: changes since version 1" in text
    assert "revenue target 1,200,000 -> 1,500,000 (+25.0%)" in text


def test_review_pages_run_a_bounded_number_of_queries(
    signed, marketing_lead, client_for, django_assert_max_num_queries
):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)
    client = client_for(marketing_lead)

    with django_assert_max_num_queries(10):
        client.get(reverse("agreement_reviews", args=[signed.agreement_id]))
    with django_assert_max_num_queries(12):
        client.get(reverse("review_detail", args=[signed.agreement_id, review.pk]))


def test_a_plan_with_several_sources_records_each_sources_leads_and_mqls(signed, marketing_lead):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)
    keys = {m.key: m for m in review_services.review_targets(review)}

    # The template plan: one revenue stream (nothing apart), three lead sources.
    assert "leads:stream:0" not in keys
    assert {"leads:source:0", "mqls:source:0", "leads:source:2", "mqls:source:2"} <= set(keys)
    assert "sqls:source:0" not in keys
    website = keys["leads:source:0"]
    assert website.label == "Leads · Website forms"
    january = date(2027, 1, 1)
    month = next(m for m in signed.snapshot["funnel"]["months"] if m["label"] == "2027-01")
    assert website.targets[january] == month["sources"][0]["stages"]["leads"]


def test_actual_rates_go_to_each_source_and_stream_in_one_step(signed, marketing_lead):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)
    january = date(2027, 1, 1)
    actuals = {
        ("leads", january): Decimal(1000),
        ("mqls", january): Decimal(300),
        ("sqls", january): Decimal(100),
        ("opportunities", january): Decimal(80),
        ("deals", january): Decimal(20),
        # Website forms converted 20% of its leads, Outbound 50%; Events was not recorded apart.
        ("leads:source:0", january): Decimal(500),
        ("mqls:source:0", january): Decimal(100),
        ("leads:source:1", january): Decimal(300),
        ("mqls:source:1", january): Decimal(150),
    }
    review_services.review_save(
        review=review,
        actor=marketing_lead,
        held_on=january,
        attendees="",
        notes="",
        actuals=actuals,
    )
    review_services.review_close(review=review, actor=marketing_lead, decision="revise")
    agreement = Agreement.objects.get(pk=signed.agreement_id)
    entries_before = agreement.audit_entries.count()

    applied = review_services.apply_actual_rates(
        agreement=agreement, review=review, actor=marketing_lead
    )

    sources = {s.name: s.lead_to_mql_rate for s in agreement.funnelsource_rows.all()}
    assert str(sources["Website forms"]) == "0.20000000"
    assert str(sources["Outbound prospecting"]) == "0.50000000"
    assert sources["Events"] is None  # not measured apart: keeps following the stream
    assert str(agreement.funnelstream_rows.get().win_rate) == "0.25000000"
    assert applied["Website forms: lead_to_mql_rate"] == "20%"
    assert agreement.audit_entries.count() == entries_before + 1  # one step, one entry
    entry = agreement.audit_entries.order_by("-sequence").first()
    assert entry.action == "actual_rates_applied"
    assert entry.detail["sources"]["Outbound prospecting"] == {"lead_to_mql_rate": "0.50000000"}
    # The plan's KPIs moved with the new rates in the same step.
    assert entry.detail["plan_figures"]["win_rate"] == "25.00"


def test_a_crm_export_per_lead_source_is_read_by_the_reviews_labels(
    signed, marketing_lead, client_for
):
    review = review_services.review_start(agreement=signed.agreement, actor=marketing_lead)
    client = client_for(marketing_lead)
    csv = (
        "Month,Metric,Value\n"
        "2027-01,Leads · Website forms,1400\n"
        "2027-01,MQLs · Website forms,350\n"
        "2027-01,Leads,2600\n"
    ).encode()

    upload_csv(client, signed, review, csv)
    client.post(reverse("review_import", args=[signed.agreement_id, review.pk]))

    stored = {(a.metric, a.month): a.actual for a in ReviewActual.objects.filter(review=review)}
    january = date(2027, 1, 1)
    assert stored[("leads:source:0", january)] == Decimal(1400)
    assert stored[("mqls:source:0", january)] == Decimal(350)
    assert stored[("leads", january)] == Decimal(2600)
