"""What a section still needs names the field (or list and row) and links to it: the sidebar
said "The funnel plan cannot be computed yet: This field is required." without saying which."""

from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.authoring import services as authoring_services
from agreements.authoring.document import load_document
from agreements.authoring.problems import PATH_SEPARATOR, field_anchor
from agreements.authoring.sections import SECTIONS, funnel_error_problems
from agreements.models import Agreement

from .editor_html import has_id

SEP = PATH_SEPARATOR  # between section, list, row and field


def follow(client, problem):
    """The page a problem links to, and the id its link points at."""
    url, _hash, anchor = problem.href.partition("#")
    response = client.get(url)
    assert response.status_code == 200, problem.href
    return response.content.decode(), anchor


def test_a_plan_without_a_revenue_target_names_the_field_and_its_section(agreement):
    Agreement.objects.filter(pk=agreement.pk).update(revenue_target=None)
    agreement.refresh_from_db()

    problems = load_document(agreement).problems_by_section()["kpis"]

    funnel = [p for p in problems if "funnel plan cannot be computed" in p.message]
    assert [p.message for p in funnel] == [
        f"The funnel plan cannot be computed yet: 3. Shared goal{SEP}Revenue target: "
        "This field is required."
    ]
    assert funnel[0].href == (
        reverse("agreement_edit", args=[agreement.pk, "goal"]) + "#id_revenue_target"
    )


def test_the_link_lands_on_the_field_and_the_sidebar_shows_it(
    agreement, client_for, marketing_lead
):
    Agreement.objects.filter(pk=agreement.pk).update(revenue_target=None)
    agreement.refresh_from_db()
    client = client_for(marketing_lead)
    problem = next(
        p
        for p in load_document(agreement).problems_by_section()["kpis"]
        if "Revenue target" in p.message
    )

    sidebar = client.get(reverse("agreement_edit", args=[agreement.pk, "kpis"])).content.decode()
    target, anchor = follow(client, problem)

    assert f'<a href="{problem.href}" data-testid="problem-link">' in sidebar
    assert f"3. Shared goal{SEP}Revenue target: This field is required." in sidebar
    assert anchor == "id_revenue_target" and has_id(target, anchor)


def test_engine_errors_about_a_row_name_the_list_the_row_and_the_field(agreement):
    doc = load_document(agreement)
    stream = doc.rows["streams"][0]

    problems = funnel_error_problems(
        doc,
        {
            "streams[0].win_rate": ["Enter a rate above 0%."],
            "sources": ["The lead source shares add up to 90%; they must add up to 100%."],
            "__all__": ["This plan is too large."],
        },
    )

    row, shares, plan = problems
    assert row.message == (
        f"Revenue streams{SEP}New business{SEP}Win rate (opportunity to deal): "
        "Enter a rate above 0%."
    )
    assert row.href.endswith(f"/edit/kpis/?edit=streams-{stream.pk}#row-streams-{stream.pk}")
    assert shares.message.startswith("Lead sources: The lead source shares add up to 90%")
    assert shares.anchor == "rows-sources"
    assert (plan.section_key, plan.anchor) == ("kpis", "funnel-results")


def test_a_row_problem_opens_that_row_for_editing(agreement, client_for, marketing_lead):
    commitment = authoring_services.row_create(
        agreement=agreement,
        actor=marketing_lead,
        kind_key="commitments",
        values={"team": "sales", "commitment": "Be nice to leads", "measure": "Smiles"},
    )

    (problem,) = load_document(agreement).problems_by_section()["commitments"]
    page, anchor = follow(client_for(marketing_lead), problem)

    assert problem.message == "Give every commitment a threshold and a unit: “Be nice to leads”."
    assert anchor == f"row-commitments-{commitment.pk}" and has_id(page, anchor)
    assert 'data-testid="row-editing"' in page
    assert 'id="id_edit-commitments-threshold"' in page


def test_kpis_that_contradict_the_plan_each_link_to_their_row(agreement, marketing_lead):
    kpi = authoring_services.row_create(
        agreement=agreement,
        actor=marketing_lead,
        kind_key="kpis",
        values={
            "name": "win rate",
            "owner_team": "sales",
            "target": Decimal("30"),
            "unit": "percent",
            "frequency": "quarterly",
        },
    )

    problems = load_document(agreement).problems_by_section()["kpis"]

    (problem,) = [p for p in problems if "win rate" in p.message]
    assert problem.anchor == f"row-kpis-{kpi.pk}" and problem.edit_row == f"kpis-{kpi.pk}"


def test_a_missing_lead_is_named_with_its_section_under_signatures(agreement, client_for, viewer):
    Agreement.objects.filter(pk=agreement.pk).update(sales_lead=None)
    agreement.refresh_from_db()

    problems = load_document(agreement).problems_by_section()

    assert [p.message for p in problems["parties"]] == ["Sales lead is missing"]
    assert [p.message for p in problems["signatures"]] == [
        "1. Parties and signatories: Sales lead is missing"
    ]
    for problem in problems["parties"] + problems["signatures"]:
        assert problem.href.endswith("/edit/parties/#id_sales_lead")
        # A viewer reads the section without a form: the value carries the id instead.
        page, anchor = follow(client_for(viewer), problem)
        assert has_id(page, anchor)


@pytest.mark.parametrize("section", [s for s in SECTIONS if s.fields], ids=lambda s: s.key)
def test_every_field_a_problem_can_name_has_its_id_on_the_page(
    agreement, client_for, marketing_lead, viewer, section
):
    for person in (marketing_lead, viewer):
        page = client_for(person).get(reverse("agreement_edit", args=[agreement.pk, section.key]))
        content = page.content.decode()
        missing = [name for name in section.fields if not has_id(content, field_anchor(name))]
        assert missing == [], f"{section.key} for {person.email}"


def test_every_problem_of_an_empty_agreement_links_to_an_element_on_its_page(
    organization, marketing_lead, client_for
):
    agreement = authoring_services.agreement_create(
        organization=organization,
        actor=marketing_lead,
        title="Blank",
        recommended_template=False,
    )
    client = client_for(marketing_lead)

    problems = [p for ps in load_document(agreement).problems_by_section().values() for p in ps]

    assert len(problems) > 20
    for problem in problems:
        page, anchor = follow(client, problem)
        assert has_id(page, anchor), problem
