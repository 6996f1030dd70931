"""The compare page: two versions side by side, or a version against the live draft."""

from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.authoring import services as authoring_services
from agreements.authoring.sections import SECTIONS_BY_KEY
from agreements.models import Agreement, AgreementStatus
from agreements.versions import services as version_services


def compare_url(agreement, **params):
    url = reverse("version_compare", args=[agreement.pk])
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return f"{url}?{query}" if query else url


def back_to_draft(agreement):
    """Reopen the agreement for editing without signing (enough to freeze a second version)."""
    Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.DRAFT)
    agreement.refresh_from_db()


def revise(agreement, actor):
    """Raise the revenue target, reword the goal, change one KPI, drop one and add another."""
    agreement.refresh_from_db()
    section = SECTIONS_BY_KEY["goal"]
    authoring_services.section_update(
        agreement=agreement,
        actor=actor,
        section_key="goal",
        values={
            **{name: getattr(agreement, name) for name in section.fields},
            "revenue_target": Decimal("1500000"),
            "goal_statement": agreement.goal_statement.replace(
                "in new business", "in recurring business"
            ),
        },
        fingerprint="",
    )
    kpis = list(agreement.kpi_rows.filter(funnel_stage="").order_by("position"))
    authoring_services.row_update(
        row=kpis[0],
        actor=actor,
        kind_key="kpis",
        values={"target": kpis[0].target + 5},
        expected_revision=None,
    )
    authoring_services.row_delete(row=kpis[1], actor=actor, kind_key="kpis")
    authoring_services.row_create(
        agreement=agreement,
        actor=actor,
        kind_key="kpis",
        values={
            "name": "Opportunities from partner referrals",
            "owner_team": "sales",
            "target": Decimal("12"),
            "unit": "count",
            "frequency": "quarterly",
        },
    )
    return kpis[1].name


@pytest.fixture
def two_versions(agreement, marketing_lead):
    """Version 1 from the template, version 2 after `revise`; returns the removed KPI's name."""
    version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    back_to_draft(agreement)
    removed = revise(agreement, marketing_lead)
    version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    return removed


def test_the_page_compares_the_two_latest_versions_by_default(
    client_for, marketing_lead, agreement, two_versions
):
    response = client_for(marketing_lead).get(compare_url(agreement))

    assert response.status_code == 200
    assert (response.context["selected_old"], response.context["selected_new"]) == ("1", "2")
    html = response.content.decode()
    assert "1,200,000 → <ins" in html
    assert "1,500,000</ins>" in html
    assert "(+25.0%)" in html
    assert "win the revenue target below in <del" in html
    assert '<del class="bg-danger-subtle">new</del> business' in html
    assert '<ins class="bg-success-subtle">recurring</ins> business' in html
    assert html.count('data-testid="row-added"') == 1
    assert html.count('data-testid="row-removed"') == 1
    # One KPI, the five stage KPIs, and the plan KPIs the new target moves: the revenue, and
    # the lead -> MQL rate and cost per lead blended over sources whose volumes changed.
    assert html.count('data-testid="row-changed"') == 9
    assert "Opportunities from partner referrals" in html
    assert two_versions in html
    assert 'data-testid="funnel-targets"' in html
    assert "9. KPIs: 1 added, 1 removed, 9 changed" in html
    assert 'data-testid="unchanged-sections"' in html


def test_versions_can_be_compared_in_either_direction(
    client_for, marketing_lead, agreement, two_versions
):
    response = client_for(marketing_lead).get(compare_url(agreement, old=2, new=1))

    assert response.status_code == 200
    assert "1,500,000 → <ins" in response.content.decode()
    assert "(-20.0%)" in response.content.decode()


def test_a_viewer_may_compare(client_for, viewer, agreement, two_versions):
    response = client_for(viewer).get(compare_url(agreement, old=1, new=2))

    assert response.status_code == 200
    assert response.context["diff"].counts["goal"] == 2


def test_outsider_gets_404(client_for, outsider, agreement, two_versions):
    assert client_for(outsider).get(compare_url(agreement)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, agreement, two_versions):
    response = client.get(compare_url(agreement))

    assert response.status_code == 302
    assert "login" in response.url


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"old": "abc"}, "“abc” is not a version number."),
        ({"old": "1", "new": "7"}, "There is no version 7 of this agreement."),
        ({"old": "-1"}, "There is no version -1 of this agreement."),
        ({"old": "9" * 40}, "There is no version 9999"),
        ({"old": "9" * 5000}, "is not a version number."),
        ({"old": "2", "new": "2"}, "Choose two different versions."),
        ({"new": "draft"}, "There is no draft to compare: this agreement is not a draft."),
    ],
)
def test_bad_choices_get_a_message_and_the_form(
    client_for, marketing_lead, agreement, two_versions, params, message
):
    response = client_for(marketing_lead).get(compare_url(agreement, **params))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="compare-problem"' in html
    assert message in response.context["problem"]
    assert 'data-testid="compare-form"' in html
    assert "diff" not in response.context


def test_a_single_version_has_nothing_to_compare(client_for, marketing_lead, agreement):
    version_services.agreement_submit(agreement=agreement, actor=marketing_lead)

    response = client_for(marketing_lead).get(compare_url(agreement))

    assert response.status_code == 200
    assert "There is nothing to compare yet" in response.context["problem"]


def test_a_revision_draft_can_be_compared_with_its_predecessor(
    client_for, marketing_lead, agreement
):
    version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    back_to_draft(agreement)
    revise(agreement, marketing_lead)

    response = client_for(marketing_lead).get(compare_url(agreement))

    assert (response.context["selected_old"], response.context["selected_new"]) == ("1", "draft")
    assert response.context["new_label"] == "Current draft"
    assert response.context["diff"].counts["goal"] == 2
    assert "(+25.0%)" in response.content.decode()


def test_an_unchanged_draft_shows_no_changes(client_for, marketing_lead, agreement):
    version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    back_to_draft(agreement)

    response = client_for(marketing_lead).get(compare_url(agreement, old=1, new="draft"))

    assert response.context["diff"].is_empty
    assert 'data-testid="no-changes"' in response.content.decode()


def test_the_compare_page_runs_a_bounded_number_of_queries(
    client_for, marketing_lead, agreement, two_versions, django_assert_max_num_queries
):
    client = client_for(marketing_lead)
    with django_assert_max_num_queries(7):
        assert client.get(compare_url(agreement)).status_code == 200
    back_to_draft(agreement)
    with django_assert_max_num_queries(7 + 13):  # plus one query per row kind of the draft
        assert client.get(compare_url(agreement, old=1, new="draft")).status_code == 200


def test_the_versions_page_links_to_the_comparison_once_there_are_two(
    client_for, marketing_lead, agreement
):
    client = client_for(marketing_lead)
    versions_url = reverse("agreement_versions", args=[agreement.pk])
    version_services.agreement_submit(agreement=agreement, actor=marketing_lead)

    assert 'data-testid="compare"' not in client.get(versions_url).content.decode()

    back_to_draft(agreement)
    html = client.get(versions_url).content.decode()
    assert 'data-testid="compare"' not in html
    assert f'href="{compare_url(agreement)}?new=draft"' in html

    version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    assert f'href="{compare_url(agreement)}"' in client.get(versions_url).content.decode()
