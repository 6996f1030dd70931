"""Commitments that can be measured, the working calendar their clocks run on, and whether
the sales team can follow up the MQLs the plan hands it."""

import re
from decimal import Decimal

from django.urls import reverse

from agreements.authoring import services as authoring_services
from agreements.authoring.document import load_document
from agreements.models import Agreement
from agreements.versions.contract import contract_context


def test_the_template_commitments_are_all_measurable_and_consistent(agreement):
    doc = load_document(agreement)

    assert doc.missing_by_section()["commitments"] == []
    assert all(c.threshold is not None and c.unit for c in doc.rows["commitments"])


def test_the_contract_states_thresholds_and_the_business_hours_they_count(agreement):
    from django.template.loader import render_to_string

    doc = load_document(agreement)
    html = render_to_string("agreements/contract/body.html", contract_context(doc))

    assert "95% within 24\u00a0business hours" in html
    assert "within 1\u00a0business hours" in html or "within 1\u00a0business hour" in html
    assert "Business hours are Monday, Tuesday, Wednesday, Thursday, Friday, 09:00 to 17:00" in html
    assert "(UTC time)" in html
    assert "6 sales reps work the leads, each making up to 50 contact attempts" in html


def test_a_commitment_without_a_threshold_blocks_submission(agreement, marketing_lead):
    authoring_services.row_create(
        agreement=agreement,
        actor=marketing_lead,
        kind_key="commitments",
        values={"team": "sales", "commitment": "Be nice to leads", "measure": "Smiles"},
    )

    problems = load_document(agreement).missing_by_section()["commitments"]

    assert problems == ["Give every commitment a threshold and a unit: “Be nice to leads”."]


def test_two_thresholds_for_the_same_measure_and_scope_are_flagged(agreement, marketing_lead):
    authoring_services.row_create(
        agreement=agreement,
        actor=marketing_lead,
        kind_key="commitments",
        values={
            "team": "sales",
            "commitment": "Call demo requests fast",
            "measure": "First contact after the hand-off",
            "threshold": Decimal(4),
            "unit": "business_hours",
            "share": Decimal(100),
            "scope": "all MQLs",  # the same scope as the template's 24-hour commitment
        },
    )

    problems = load_document(agreement).missing_by_section()["commitments"]

    assert len(problems) == 1
    assert (
        "“Contact every MQL within the response time” and “Call demo requests fast” "
        in (problems[0])
    )

    # Scoped to demo requests, the 4-hour commitment no longer conflicts.
    row = agreement.commitment_rows.get(commitment="Call demo requests fast")
    authoring_services.row_update(
        row=row,
        actor=marketing_lead,
        kind_key="commitments",
        values={"scope": "demo requests"},
        expected_revision=row.revision,
    )
    assert load_document(agreement).missing_by_section()["commitments"] == []


def test_the_working_calendar_is_checked_next_to_its_fields(agreement, client_for, marketing_lead):
    agreement.refresh_from_db()
    response = client_for(marketing_lead).post(
        reverse("section_save", args=[agreement.pk, "term"]),
        {
            "effective_date": "2027-01-01",
            "end_date": "2027-12-31",
            "review_cadence": "quarterly",
            "time_zone": "Mars/Olympus_Mons",
            "working_days": [],
            "workday_start": "17:00",
            "workday_end": "09:00",
        },
    )

    assert response.status_code == 400
    errors = response.context["section_form"].errors
    assert "is not a time zone" in str(errors["time_zone"]) or "valid choice" in str(
        errors["time_zone"]
    )
    assert errors["working_days"] == ["Choose at least one working day."]
    assert errors["workday_end"] == ["The working day must end after it starts."]
    saved = Agreement.objects.get(pk=agreement.pk)
    assert (saved.time_zone, saved.working_days) == ("UTC", "12345")  # nothing changed


def test_a_calendar_saves_with_its_days_in_order(agreement, client_for, marketing_lead):
    response = client_for(marketing_lead).post(
        reverse("section_save", args=[agreement.pk, "term"]),
        {
            "effective_date": "2027-01-01",
            "end_date": "2027-12-31",
            "review_cadence": "quarterly",
            "time_zone": "Europe/Istanbul",
            "working_days": ["6", "1", "2", "3", "4"],
            "workday_start": "08:30",
            "workday_end": "18:00",
        },
    )

    assert response.status_code == 302
    saved = Agreement.objects.get(pk=agreement.pk)
    assert (saved.time_zone, saved.working_days) == ("Europe/Istanbul", "12346")


def test_too_few_sales_reps_for_the_mqls_is_warned_about(agreement):
    Agreement.objects.filter(pk=agreement.pk).update(sales_reps=1)
    agreement.refresh_from_db()

    warnings = load_document(agreement).plan_warnings()

    assert len(warnings) == 1
    assert "new MQLs per rep and working day for 1 reps" in warnings[0]
    assert "7 contact attempts per lead at 50 attempts a day lets a rep take on 7.1" in warnings[0]


def test_the_term_page_shows_the_saved_working_days_ticked(agreement, client_for, marketing_lead):
    html = (
        client_for(marketing_lead)
        .get(reverse("agreement_edit", args=[agreement.pk, "term"]))
        .content.decode()
    )

    boxes = re.findall(r'<input[^>]*name="working_days"[^>]*>', html)
    ticked = [re.search(r'value="(\d)"', box).group(1) for box in boxes if "checked" in box]
    assert len(boxes) == 7
    assert ticked == list("12345")
