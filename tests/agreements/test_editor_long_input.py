"""Text longer than its field is refused where it was typed, and kept there to shorten: a
5,000-character paste into a 120-character field was cut short by the browser (maxlength) while
the page said "saved"."""

from django.urls import reverse

from agreements.models import Agreement

HTMX = {"HTTP_HX_REQUEST": "true"}
PASTE = ("Weekly pipeline review with both leads and RevOps; " * 100)[:5000]
TOO_LONG_FOR_120 = "Ensure this value has at most 120 characters (it has 5000)."


def test_a_row_edit_with_a_pasted_text_too_long_is_refused_next_to_the_field(
    client_for, marketing_lead, agreement
):
    meeting = agreement.meeting_rows.first()
    entries = agreement.audit_entries.count()

    response = client_for(marketing_lead).post(
        reverse("row_edit", args=[agreement.pk, "meetings", "meetings", meeting.pk]),
        {
            "edit-meetings-name": PASTE,
            "edit-meetings-cadence": "daily",
            "edit-meetings-duration_minutes": "15",
            "edit-meetings-attendees": "Everyone",
            "edit-meetings-agenda": "",
            "edit-meetings-revision": str(meeting.revision),
        },
        **HTMX,
    )

    content = response.content.decode()
    assert 'data-testid="row-editing"' in content
    assert TOO_LONG_FOR_120 in content
    assert f'value="{PASTE}"' in content  # the whole text, to shorten
    before = (meeting.name, meeting.cadence, meeting.revision)
    meeting.refresh_from_db()
    assert (meeting.name, meeting.cadence, meeting.revision) == before
    assert agreement.audit_entries.count() == entries


def test_a_new_row_with_a_pasted_text_too_long_is_not_added(client_for, marketing_lead, agreement):
    count = agreement.kpi_rows.count()

    response = client_for(marketing_lead).post(
        reverse("row_create", args=[agreement.pk, "kpis", "kpis"]),
        {
            "add-kpis-name": PASTE,
            "add-kpis-owner_team": "marketing",
            "add-kpis-target": "40",
            "add-kpis-unit": "count",
            "add-kpis-frequency": "monthly",
        },
    )

    assert response.status_code == 400
    form = response.context["row_lists"][-1].add_form
    assert form.errors["name"] == ["Ensure this value has at most 160 characters (it has 5000)."]
    assert f'value="{PASTE}"' in response.content.decode()
    assert agreement.kpi_rows.count() == count


def test_a_section_with_a_pasted_text_too_long_saves_nothing(client_for, marketing_lead, agreement):
    client = client_for(marketing_lead)
    page = client.get(reverse("agreement_edit", args=[agreement.pk, "reporting"]))
    saved = Agreement.objects.get(pk=agreement.pk)

    response = client.post(
        reverse("section_save", args=[agreement.pk, "reporting"]),
        {
            "crm_system": PASTE,
            "reporting_frequency": "weekly",  # a valid change, not saved either
            "report_contents": saved.report_contents,
            "data_access": saved.data_access,
            "fingerprint": page.context["section_form"].initial["fingerprint"],
        },
        **HTMX,
    )

    content = response.content.decode()
    assert TOO_LONG_FOR_120 in content
    assert f'value="{PASTE}"' in content
    assert 'data-testid="saved"' not in content
    now = Agreement.objects.get(pk=agreement.pk)
    assert now.crm_system == saved.crm_system
    assert now.reporting_frequency == saved.reporting_frequency
    assert now.updated_at == saved.updated_at


def test_fields_count_characters_instead_of_cutting_a_paste_short(
    client_for, marketing_lead, agreement
):
    client = client_for(marketing_lead)
    meeting = agreement.meeting_rows.first()
    pages = [
        client.get(reverse("agreement_edit", args=[agreement.pk, "parties"])),
        client.get(
            reverse("agreement_edit", args=[agreement.pk, "meetings"])
            + f"?edit=meetings-{meeting.pk}"
        ),
    ]

    for page in pages:
        content = page.content.decode()
        assert " maxlength=" not in content  # the browser would cut a paste short, silently
        assert 'src="/static/js/editor.js"' in content
        assert 'data-counter="{typed} of {limit} characters"' in content
    parties, meetings = (page.content.decode() for page in pages)
    assert 'name="marketing_team_name"' in parties and 'data-maxlength="120"' in parties
    assert 'id="id_edit-meetings-name"' in meetings and 'data-maxlength="120"' in meetings
