"""Business rules of creating and editing agreements, called directly."""

from datetime import date
from itertools import pairwise

import pytest

from agreements.authoring import services as authoring_services
from agreements.authoring.document import load_document
from agreements.authoring.sections import ROW_KINDS, SECTIONS_BY_KEY
from agreements.models import Agreement, AgreementStatus, AuditEntry, NurtureTrack
from slaportal.errors import DomainError


def test_the_recommended_template_fills_every_section_but_names_dates_and_target(
    organization, marketing_lead
):
    agreement = authoring_services.agreement_create(
        organization=organization, actor=marketing_lead, title="SLA", recommended_template=True
    )

    missing = load_document(agreement).missing_by_section()
    incomplete = {key for key, problems in missing.items() if problems}
    # The funnel targets (section 9) need the term and the revenue target too.
    assert incomplete == {"parties", "term", "goal", "kpis", "signatures"}
    assert agreement.mql_threshold == 60
    assert agreement.handoff_response_hours == 24
    assert agreement.recycle_after_attempts == 7
    assert agreement.recycle_track.name == "Recycled leads"
    assert [s.day for s in agreement.followupstep_rows.all()] == [1, 4, 10, 17, 24, 38, 52]
    assert {d.key for d in agreement.definition_rows.all()} >= {"mql", "sql", "sal", "icp"}


def test_a_blank_agreement_has_no_rows(organization, marketing_lead):
    agreement = authoring_services.agreement_create(
        organization=organization, actor=marketing_lead, title="SLA", recommended_template=False
    )

    doc = load_document(agreement)
    assert all(rows == [] for rows in doc.rows.values())
    assert doc.missing_by_section()["definitions"]


def test_completing_the_named_fields_makes_the_template_complete(agreement):
    assert load_document(agreement).is_complete


def test_copying_an_agreement_copies_every_row_and_remaps_the_recycle_track(
    agreement, marketing_lead
):
    copy = authoring_services.agreement_copy(source=agreement, actor=marketing_lead, title="Copy")

    for kind in ROW_KINDS.values():
        assert (
            getattr(copy, kind.related_name).count()
            == getattr(agreement, kind.related_name).count()
        )
    assert copy.recycle_track.agreement_id == copy.pk
    assert copy.recycle_track.name == agreement.recycle_track.name
    assert copy.marketing_lead == agreement.marketing_lead
    assert copy.status == AgreementStatus.DRAFT


def test_saving_a_section_records_what_changed(agreement, marketing_lead):
    section = SECTIONS_BY_KEY["term"]
    fingerprint = authoring_services.section_fingerprint(agreement, section.fields)

    authoring_services.section_update(
        agreement=agreement,
        actor=marketing_lead,
        section_key="term",
        values={
            "effective_date": date(2027, 2, 1),
            "end_date": date(2027, 7, 31),
            "review_cadence": "quarterly",
        },
        fingerprint=fingerprint,
    )

    entry = agreement.audit_entries.filter(action="edited").order_by("-sequence").first()
    assert entry.target == "term"
    assert entry.actor == marketing_lead
    assert entry.detail["changes"]["effective_date"] == {"old": "2027-01-01", "new": "2027-02-01"}
    assert "review_cadence" not in entry.detail["changes"]


def test_a_stale_section_save_is_refused_and_changes_nothing(agreement, marketing_lead, sales_lead):
    section = SECTIONS_BY_KEY["goal"]
    opened_by_both = authoring_services.section_fingerprint(agreement, section.fields)
    values = {"goal_statement": "Sam's goal", "revenue_target": 1000, "currency": "EUR"}
    authoring_services.section_update(
        agreement=agreement,
        actor=sales_lead,
        section_key="goal",
        values=values,
        fingerprint=opened_by_both,
    )

    with pytest.raises(authoring_services.StaleEdit):
        authoring_services.section_update(
            agreement=agreement,
            actor=marketing_lead,
            section_key="goal",
            values={**values, "goal_statement": "Maria's goal"},
            fingerprint=opened_by_both,
        )

    agreement.refresh_from_db()
    assert agreement.goal_statement == "Sam's goal"


def test_rows_are_added_at_the_end_edited_moved_and_removed(agreement, marketing_lead):
    before = list(agreement.meeting_rows.values_list("name", flat=True))
    row = authoring_services.row_create(
        agreement=agreement,
        actor=marketing_lead,
        kind_key="meetings",
        values={
            "name": "Pipeline sync",
            "cadence": "weekly",
            "duration_minutes": 30,
            "attendees": "Leads",
            "agenda": "",
        },
    )
    assert list(agreement.meeting_rows.values_list("name", flat=True)) == [*before, "Pipeline sync"]

    authoring_services.row_move(row=row, actor=marketing_lead, kind_key="meetings", direction="up")
    names = list(agreement.meeting_rows.order_by("position").values_list("name", flat=True))
    assert names == [*before[:-1], "Pipeline sync", before[-1]]

    row.refresh_from_db()
    authoring_services.row_update(
        row=row,
        actor=marketing_lead,
        kind_key="meetings",
        values={"name": "Pipeline review"},
        expected_revision=row.revision,
    )
    authoring_services.row_delete(row=row, actor=marketing_lead, kind_key="meetings")
    assert list(agreement.meeting_rows.values_list("name", flat=True)) == before
    actions = list(agreement.audit_entries.values_list("action", flat=True))
    assert actions[-4:] == ["row_added", "row_moved", "row_edited", "row_removed"]


def test_moving_the_first_row_up_changes_nothing(agreement, marketing_lead):
    first = agreement.kpi_rows.first()
    order = list(agreement.kpi_rows.values_list("pk", flat=True))

    authoring_services.row_move(row=first, actor=marketing_lead, kind_key="kpis", direction="up")

    assert list(agreement.kpi_rows.values_list("pk", flat=True)) == order


def test_a_stale_row_edit_is_refused(agreement, marketing_lead, sales_lead):
    row = agreement.kpi_rows.filter(funnel_stage="").first()
    authoring_services.row_update(
        row=row, actor=sales_lead, kind_key="kpis", values={"name": "A"}, expected_revision=1
    )

    with pytest.raises(authoring_services.StaleEdit):
        authoring_services.row_update(
            row=row,
            actor=marketing_lead,
            kind_key="kpis",
            values={"name": "B"},
            expected_revision=1,
        )
    row.refresh_from_db()
    assert row.name == "A"


def test_the_recycle_track_cannot_be_removed_while_in_use(agreement, marketing_lead):
    track = agreement.recycle_track

    with pytest.raises(DomainError, match="Recycled leads go to this track"):
        authoring_services.row_delete(row=track, actor=marketing_lead, kind_key="tracks")
    assert NurtureTrack.objects.filter(pk=track.pk).exists()


@pytest.mark.parametrize("status", [AgreementStatus.IN_SIGNATURE, AgreementStatus.SIGNED])
def test_only_drafts_can_change(agreement, marketing_lead, status):
    Agreement.objects.filter(pk=agreement.pk).update(status=status)
    row = agreement.kpi_rows.filter(funnel_stage="").first()

    with pytest.raises(DomainError, match="only drafts can be changed"):
        authoring_services.row_delete(row=row, actor=marketing_lead, kind_key="kpis")
    with pytest.raises(DomainError, match="only drafts can be changed"):
        authoring_services.section_update(
            agreement=agreement,
            actor=marketing_lead,
            section_key="reporting",
            values={},
            fingerprint="",
        )
    assert agreement.kpi_rows.filter(pk=row.pk).exists()


def test_the_audit_trail_is_a_hash_chain(agreement, marketing_lead):
    authoring_services.row_delete(
        row=agreement.kpi_rows.filter(funnel_stage="").first(),
        actor=marketing_lead,
        kind_key="kpis",
    )
    entries = list(agreement.audit_entries.order_by("sequence"))

    assert entries[0].prev_hash == "0" * 64
    for before, after in pairwise(entries):
        assert after.prev_hash == before.entry_hash
    assert all(entry.entry_hash == entry.compute_hash() for entry in entries)


def test_audit_entries_cannot_be_changed_or_deleted(agreement):
    entry = agreement.audit_entries.first()

    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
