"""The editor and preview pages: permissions, bad input, htmx and no-JS paths, query bounds."""

import factory
import pytest
from django.urls import reverse

from agreements.authoring import services as authoring_services
from agreements.authoring.sections import SECTIONS, SECTIONS_BY_KEY
from agreements.authoring.selectors import COPY_CHOICES_SHOWN
from agreements.authoring.services import MAX_ROWS_PER_LIST
from agreements.models import Agreement, AgreementStatus, Kpi, Meeting
from organizations.models import Role
from slaportal.errors import DomainError
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


def edit_url(agreement, section="parties"):
    return reverse("agreement_edit", args=[agreement.pk, section])


def test_editor_creates_an_agreement_from_the_recommended_template(
    client_for, marketing_lead, organization
):
    response = client_for(marketing_lead).post(
        reverse("agreement_start", args=[organization.slug]),
        {"title": "Our SLA", "start_from": "recommended"},
    )

    agreement = Agreement.objects.get()
    assert response.url == edit_url(agreement)
    assert agreement.kpi_rows.exists()
    assert agreement.created_by == marketing_lead


def test_copying_needs_an_agreement_to_copy(client_for, marketing_lead, organization):
    response = client_for(marketing_lead).post(
        reverse("agreement_start", args=[organization.slug]),
        {"title": "Our SLA", "start_from": "copy"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["source"] == ["Choose the agreement to copy."]


def test_an_agreement_of_another_organisation_cannot_be_copied(
    client_for, marketing_lead, organization, outsider
):
    foreign = factories.AgreementFactory(organization=outsider.memberships.get().organization)

    response = client_for(marketing_lead).post(
        reverse("agreement_start", args=[organization.slug]),
        {"title": "Mine now", "start_from": "copy", "source": foreign.pk},
    )

    assert response.status_code == 400
    assert "source" in response.context["form"].errors


def test_the_copy_picker_offers_a_searchable_few_not_every_agreement(
    client_for, marketing_lead, organization, django_assert_max_num_queries
):
    factories.AgreementFactory.create_batch(
        120, organization=organization, title=factory_title("Regional SLA")
    )
    oldest = Agreement.objects.order_by("updated_at", "id").first()
    client = client_for(marketing_lead)
    start = reverse("agreement_start", args=[organization.slug])

    with django_assert_max_num_queries(10):
        page = client.get(start).content.decode()
    found = client.get(
        reverse("agreement_copy_options", args=[organization.slug]),
        {"copy_q": oldest.title},
        **HTMX,
    ).content.decode()
    nothing = client.get(
        reverse("agreement_copy_options", args=[organization.slug]), {"copy_q": "zzz"}, **HTMX
    ).content.decode()
    copied = client.post(
        start, {"title": "From the oldest", "start_from": "copy", "source": oldest.pk}
    )

    picker = page[page.index('<select name="source"') :]
    picker = picker[: picker.index("</select>")]
    assert picker.count("<option value=") == COPY_CHOICES_SHOWN + 1  # with the empty choice
    assert f'<option value="{oldest.pk}">' not in picker
    assert found.count("<option value=") == 2 and f'<option value="{oldest.pk}">' in found
    assert "No agreement" in nothing
    assert copied.status_code == 302
    assert Agreement.objects.filter(title="From the oldest").exists()


def test_a_chosen_agreement_stays_in_the_list_when_the_form_comes_back(
    client_for, marketing_lead, organization
):
    factories.AgreementFactory.create_batch(30, organization=organization)
    oldest = Agreement.objects.order_by("updated_at", "id").first()

    response = client_for(marketing_lead).post(
        reverse("agreement_start", args=[organization.slug]),
        {"title": "", "start_from": "copy", "source": oldest.pk},
    )

    assert response.status_code == 400
    assert f'<option value="{oldest.pk}" selected>' in response.content.decode()


def factory_title(prefix):
    return factory.Sequence(lambda n: f"{prefix} {n:03d}")


def test_every_section_page_renders(client_for, marketing_lead, agreement):
    client = client_for(marketing_lead)

    for section in SECTIONS:
        response = client.get(edit_url(agreement, section.key))
        assert response.status_code == 200, section.key
        assert str(section.title) in response.content.decode()


def test_sidebar_says_which_sections_are_incomplete(client_for, marketing_lead, agreement):
    Agreement.objects.filter(pk=agreement.pk).update(sales_lead=None)

    content = client_for(marketing_lead).get(edit_url(agreement)).content.decode()

    assert 'data-testid="nav-parties" data-complete="no"' in content
    assert "Sales lead is missing" in content
    assert 'data-testid="nav-kpis" data-complete="yes"' in content


def test_saving_a_section_without_javascript_redirects_back(client_for, marketing_lead, agreement):
    client = client_for(marketing_lead)
    page = client.get(edit_url(agreement, "goal"))
    fingerprint = page.context["section_form"].initial["fingerprint"]

    response = client.post(
        reverse("section_save", args=[agreement.pk, "goal"]),
        {
            "goal_statement": "Win EUR 2M",
            "revenue_target": "2000000",
            "currency": "usd",
            "fingerprint": fingerprint,
        },
    )

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.revenue_target == 2000000
    assert agreement.currency == "USD"


def test_invalid_section_input_is_explained_next_to_the_field_and_kept(
    client_for, marketing_lead, agreement
):
    response = client_for(marketing_lead).post(
        reverse("section_save", args=[agreement.pk, "term"]),
        {"effective_date": "2027-06-01", "end_date": "2027-01-01", "review_cadence": "quarterly"},
    )

    assert response.status_code == 400
    form = response.context["section_form"]
    assert form.errors["end_date"] == ["The end date must be after the effective date."]
    content = response.content.decode()
    assert 'value="2027-01-01"' in content
    assert "The end date must be after the effective date." in content
    agreement.refresh_from_db()
    assert str(agreement.end_date) == "2027-12-31"


@pytest.mark.parametrize(
    ("section", "data", "field", "message"),
    [
        ("goal", {"revenue_target": "-10", "currency": "EUR"}, "revenue_target", "greater than"),
        (
            "goal",
            {"revenue_target": "abc", "currency": "EUR"},
            "revenue_target",
            "“abc” is not a number",
        ),
        ("goal", {"revenue_target": "10", "currency": "E1"}, "currency", "three-letter"),
        ("qualification", {"mql_threshold": "5000"}, "mql_threshold", "less than or equal to 1000"),
        ("follow_up", {"first_contact_hours": "0"}, "first_contact_hours", "greater than"),
    ],
)
def test_each_invalid_value_gets_its_own_message(
    client_for, marketing_lead, agreement, section, data, field, message
):
    response = client_for(marketing_lead).post(
        reverse("section_save", args=[agreement.pk, section]), data
    )

    assert response.status_code == 400
    assert message in " ".join(response.context["section_form"].errors[field])


def test_a_lead_must_be_a_member_of_the_organisation(
    client_for, marketing_lead, agreement, outsider
):
    response = client_for(marketing_lead).post(
        reverse("section_save", args=[agreement.pk, "parties"]),
        {
            "marketing_team_name": "M",
            "marketing_lead": outsider.pk,
            "sales_team_name": "S",
            "sales_lead": agreement.sales_lead_id,
        },
    )

    assert response.status_code == 400
    assert "marketing_lead" in response.context["section_form"].errors


def test_two_editors_saving_one_section_do_not_overwrite_each_other(
    client, marketing_lead, sales_lead, agreement
):
    client.force_login(marketing_lead)
    fingerprint = (
        client.get(edit_url(agreement, "reporting")).context["section_form"].initial["fingerprint"]
    )
    # Sam saves the same section in the meantime.
    authoring_services.section_update(
        agreement=agreement,
        actor=sales_lead,
        section_key="reporting",
        values={
            "crm_system": "Salesforce",
            "reporting_frequency": "weekly",
            "report_contents": "x",
            "data_access": "y",
        },
        fingerprint="",
    )
    mine = {
        "crm_system": "HubSpot",
        "reporting_frequency": "monthly",
        "report_contents": "mine",
        "data_access": "mine",
        "fingerprint": fingerprint,
    }

    stale = client.post(reverse("section_save", args=[agreement.pk, "reporting"]), mine)

    assert stale.status_code == 400
    assert "Someone else saved this section" in stale.content.decode()
    assert 'value="HubSpot"' in stale.content.decode()
    agreement.refresh_from_db()
    assert agreement.crm_system == "Salesforce"
    # Saving again, having seen their version, is a deliberate overwrite.
    armed = stale.context["section_form"].data["fingerprint"]
    again = client.post(
        reverse("section_save", args=[agreement.pk, "reporting"]), {**mine, "fingerprint": armed}
    )
    assert again.status_code == 302
    agreement.refresh_from_db()
    assert agreement.crm_system == "HubSpot"


def test_adding_a_row_with_htmx_returns_the_list_and_the_sidebar(
    client_for, marketing_lead, agreement
):
    response = client_for(marketing_lead).post(
        reverse("row_create", args=[agreement.pk, "kpis", "kpis"]),
        {
            "add-kpis-name": "Demo requests",
            "add-kpis-owner_team": "marketing",
            "add-kpis-target": "40",
            "add-kpis-unit": "count",
            "add-kpis-frequency": "monthly",
        },
        **HTMX,
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="rows-kpis"' in content
    assert 'id="section-nav"' in content and 'hx-swap-oob="true"' in content
    assert "<html" not in content
    assert agreement.kpi_rows.last().name == "Demo requests"


def test_an_invalid_row_keeps_the_input_and_says_why(client_for, marketing_lead, agreement):
    count = agreement.kpi_rows.count()

    response = client_for(marketing_lead).post(
        reverse("row_create", args=[agreement.pk, "kpis", "kpis"]),
        {
            "add-kpis-name": "Win rate",
            "add-kpis-owner_team": "sales",
            "add-kpis-target": "140",
            "add-kpis-unit": "percent",
            "add-kpis-frequency": "monthly",
        },
        **HTMX,
    )

    content = response.content.decode()
    assert "A percentage target cannot be above 100." in content
    assert 'value="Win rate"' in content
    assert agreement.kpi_rows.count() == count


def test_editing_a_row_without_javascript(client_for, marketing_lead, agreement):
    client = client_for(marketing_lead)
    meeting = agreement.meeting_rows.first()

    form_page = client.get(
        reverse("row_edit", args=[agreement.pk, "meetings", "meetings", meeting.pk])
    )
    assert form_page.status_code == 302
    page = client.get(form_page.url)
    assert 'data-testid="row-editing"' in page.content.decode()

    response = client.post(
        reverse("row_edit", args=[agreement.pk, "meetings", "meetings", meeting.pk]),
        {
            "edit-meetings-name": "Daily huddle",
            "edit-meetings-cadence": "daily",
            "edit-meetings-duration_minutes": "15",
            "edit-meetings-attendees": "Everyone",
            "edit-meetings-agenda": "",
            "edit-meetings-revision": str(meeting.revision),
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.name == "Daily huddle"
    assert meeting.revision == 2


def test_a_stale_row_edit_keeps_the_users_input_and_warns(
    client_for, marketing_lead, sales_lead, agreement
):
    meeting = agreement.meeting_rows.first()
    authoring_services.row_update(
        row=meeting,
        actor=sales_lead,
        kind_key="meetings",
        values={"name": "Sam's"},
        expected_revision=1,
    )

    response = client_for(marketing_lead).post(
        reverse("row_edit", args=[agreement.pk, "meetings", "meetings", meeting.pk]),
        {
            "edit-meetings-name": "Maria's",
            "edit-meetings-cadence": "daily",
            "edit-meetings-duration_minutes": "15",
            "edit-meetings-attendees": "All",
            "edit-meetings-revision": "1",
        },
        **HTMX,
    )

    content = response.content.decode()
    assert "Someone else changed this row" in content
    assert 'value="Maria\'s"' in content or 'value="Maria&#x27;s"' in content
    assert Meeting.objects.get(pk=meeting.pk).name == "Sam's"


def test_removing_and_moving_rows(client_for, marketing_lead, agreement):
    client = client_for(marketing_lead)
    first, second = agreement.kpi_rows.all()[:2]

    client.post(reverse("row_move", args=[agreement.pk, "kpis", "kpis", second.pk, "up"]))
    assert list(agreement.kpi_rows.values_list("pk", flat=True))[:2] == [second.pk, first.pk]
    client.post(reverse("row_delete", args=[agreement.pk, "kpis", "kpis", first.pk]))
    assert not Kpi.objects.filter(pk=first.pk).exists()


def test_a_row_of_another_section_or_agreement_is_404(client_for, marketing_lead, agreement):
    other = factories.agreement_from_template(agreement.organization, marketing_lead)
    foreign_kpi = other.kpi_rows.first()
    client = client_for(marketing_lead)

    wrong_agreement = client.post(
        reverse("row_delete", args=[agreement.pk, "kpis", "kpis", foreign_kpi.pk])
    )
    wrong_section = client.post(
        reverse("row_delete", args=[agreement.pk, "goal", "kpis", agreement.kpi_rows.first().pk])
    )

    assert wrong_agreement.status_code == 404
    assert wrong_section.status_code == 404
    assert Kpi.objects.filter(pk=foreign_kpi.pk).exists()


def test_viewers_read_drafts_but_cannot_change_them(client_for, agreement, organization):
    viewer = factories.UserFactory()
    factories.MembershipFactory(organization=organization, user=viewer, role=Role.VIEWER)
    client = client_for(viewer)
    kpi = agreement.kpi_rows.first()

    page = client.get(edit_url(agreement, "kpis"))
    delete = client.post(reverse("row_delete", args=[agreement.pk, "kpis", "kpis", kpi.pk]))
    save = client.post(reverse("section_save", args=[agreement.pk, "goal"]), {"currency": "USD"})

    assert page.status_code == 200
    assert "only owners and editors can change it" in page.content.decode()
    assert 'data-testid="add-kpis"' not in page.content.decode()
    assert delete.status_code == 403
    assert save.status_code == 403
    assert Kpi.objects.filter(pk=kpi.pk).exists()


def test_outsider_gets_404_on_every_agreement_page(client_for, outsider, agreement):
    client = client_for(outsider)
    kpi = agreement.kpi_rows.first()

    assert client.get(edit_url(agreement)).status_code == 404
    assert client.get(reverse("agreement_preview", args=[agreement.pk])).status_code == 404
    assert (
        client.post(reverse("row_delete", args=[agreement.pk, "kpis", "kpis", kpi.pk])).status_code
        == 404
    )


def test_a_non_draft_answers_with_a_clear_message_and_changes_nothing(
    client_for, marketing_lead, agreement
):
    Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.IN_SIGNATURE)
    kpi = agreement.kpi_rows.first()
    client = client_for(marketing_lead)

    response = client.post(
        reverse("row_delete", args=[agreement.pk, "kpis", "kpis", kpi.pk]), follow=True
    )

    assert "only drafts can be changed" in response.content.decode()
    assert Kpi.objects.filter(pk=kpi.pk).exists()
    assert "only drafts can be changed" in client.get(edit_url(agreement)).content.decode()


def test_preview_shows_numbered_sections_with_the_agreements_content(
    client_for, marketing_lead, agreement
):
    content = (
        client_for(marketing_lead)
        .get(reverse("agreement_preview", args=[agreement.pk]))
        .content.decode()
    )

    for section in SECTIONS:
        assert f'<span class="num">{section.number}.</span> {section.title}' in content
    assert "Maria Marketing" in content and "Sam Sales" in content
    assert "1,200,000" in content
    assert "Marketing-qualified lead (MQL)" in content


def _fill_every_list(agreement, count):
    from agreements.authoring.sections import ROW_KINDS

    for kind in ROW_KINDS.values():
        existing = list(kind.model.objects.filter(agreement=agreement))
        if kind.key == "signatories" or not existing:
            continue
        template = existing[0]
        clones = []
        for i in range(count):
            clone = kind.model.objects.get(pk=template.pk)
            clone.pk = None
            clone.position = 1000 + i
            for unique_text in ("name", "code", "key"):
                if hasattr(clone, unique_text) and unique_text != "key":
                    setattr(clone, unique_text, f"{getattr(clone, unique_text)} {i}"[:40])
            if hasattr(clone, "key"):
                clone.key = ""
            if hasattr(clone, "funnel_stage"):
                clone.funnel_stage = ""  # one KPI per plan figure: the clones are free KPIs
            clones.append(clone)
        kind.model.objects.bulk_create(clones)


def test_editor_and_preview_pages_run_a_bounded_number_of_queries(
    client_for, marketing_lead, agreement, django_assert_max_num_queries
):
    _fill_every_list(agreement, 55)
    for i in range(5):
        member = factories.UserFactory()
        factories.MembershipFactory(organization=agreement.organization, user=member)
        agreement.signatory_rows.create(user=member, capacity=f"Sponsor {i}", position=i)
    client = client_for(marketing_lead)

    for section in SECTIONS:
        with django_assert_max_num_queries(25):
            response = client.get(edit_url(agreement, section.key))
        assert response.status_code == 200
    with django_assert_max_num_queries(22):
        response = client.get(reverse("agreement_preview", args=[agreement.pk]))
    assert response.content.decode().count("<tr>") > 55 * 8
    assert str(SECTIONS_BY_KEY["kpis"].title) in response.content.decode()


def test_a_list_at_its_row_cap_refuses_another_row_and_says_why(
    client_for, marketing_lead, agreement
):
    template = agreement.meeting_rows.first()
    Meeting.objects.bulk_create(
        Meeting(
            **{
                f.attname: getattr(template, f.attname)
                for f in Meeting._meta.concrete_fields
                if f.name not in {"id"}
            }
            | {"position": 100 + n, "name": f"Stand-up {n}"}
        )
        for n in range(MAX_ROWS_PER_LIST - agreement.meeting_rows.count())
    )

    with pytest.raises(DomainError, match=f"at most {MAX_ROWS_PER_LIST} rows"):
        authoring_services.row_create(
            agreement=agreement,
            actor=marketing_lead,
            kind_key="meetings",
            values={
                f.name: getattr(template, f.name)
                for f in Meeting._meta.concrete_fields
                if f.name not in {"id", "agreement", "position", "revision"}
            },
        )
    response = client_for(marketing_lead).post(
        reverse("row_create", args=[agreement.pk, "meetings", "meetings"]),
        {
            "add-meetings-name": "One more",
            "add-meetings-cadence": "weekly",
            "add-meetings-duration_minutes": "30",
            "add-meetings-attendees": "Both leads",
        },
        **HTMX,
    )
    assert f"at most {MAX_ROWS_PER_LIST} rows" in response.content.decode()
    assert agreement.meeting_rows.count() == MAX_ROWS_PER_LIST
