"""The agreement's funnel plan: exact rates, computed targets, KPIs that follow, the contract."""

import io
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from pypdf import PdfReader

from agreements.authoring import rates
from agreements.authoring import services as authoring_services
from agreements.authoring.document import load_document
from agreements.authoring.forms import FunnelStreamForm
from agreements.models import Agreement, FunnelSource, FunnelStream, Kpi
from agreements.versions import services as version_services
from slaportal.errors import DomainError

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.parametrize(
    ("rate", "shown"),
    [
        (Fraction(23, 100), "23%"),
        (Fraction(1, 3), "1/3"),
        (Fraction(469, 2000), "23.45%"),
        (Fraction(1, 7), "1/7"),
        (Fraction(1), "100%"),
    ],
)
def test_rates_survive_storage_exactly(rate, shown):
    stored = rates.to_stored(rate)

    assert rates.from_stored(stored) == rate
    assert rates.display(stored) == shown


def seed_example(agreement, actor):
    """Seed 002's worked example, for one month, as the agreement's only stream."""
    Agreement.objects.filter(pk=agreement.pk).update(
        revenue_target=Decimal("500000"),
        effective_date=date(2027, 1, 1),
        end_date=date(2027, 1, 31),
    )
    FunnelSource.objects.filter(agreement=agreement).delete()
    FunnelStream.objects.filter(agreement=agreement).delete()
    authoring_services.row_create(
        agreement=agreement,
        actor=actor,
        kind_key="streams",
        values={
            "name": "Quota",
            "share": rates.to_stored(Fraction(1)),
            "average_deal_size": Decimal("2000"),
            "win_rate": rates.to_stored(Fraction(23, 100)),
            "sql_to_opportunity_rate": rates.to_stored(Fraction(82, 100)),
            "mql_to_sql_rate": rates.to_stored(Fraction(1, 3)),
            "lead_to_mql_rate": rates.to_stored(Fraction(1, 4)),
            "sales_cycle_days": 0,
        },
    )
    agreement.refresh_from_db()
    return load_document(agreement)


def test_the_seed_example_computes_exactly_from_the_agreement(agreement, marketing_lead):
    doc = seed_example(agreement, marketing_lead)

    stages = doc.funnel().result.to_dict()["stages"]
    assert (stages["deals"], stages["opportunities"], stages["sqls"], stages["mqls"]) == (
        250,
        1087,
        1326,
        3978,
    )
    kpis = {
        k.funnel_stage: (k.target, k.owner_team)
        for k in agreement.kpi_rows.exclude(funnel_stage="")
    }
    assert kpis["mqls"] == (Decimal("3978"), "marketing")
    assert kpis["deals"] == (Decimal("250"), "sales")
    assert agreement.audit_entries.filter(action="funnel_targets_updated").exists()


def test_the_template_plan_yields_plan_kpis_owned_by_the_right_team(agreement):
    owners = dict(
        agreement.kpi_rows.exclude(funnel_stage="").values_list("funnel_stage", "owner_team")
    )

    assert owners == {
        "leads": "marketing",
        "mqls": "marketing",
        "sqls": "sales",
        "opportunities": "sales",
        "deals": "sales",
        # the template's KPIs that restate a plan input follow the plan too
        "lead_to_mql_rate": "marketing",
        "cost_per_lead": "marketing",
        "mql_to_sql_rate": "sales",
        "win_rate": "sales",
        "sales_cycle_days": "sales",
        "revenue": "shared",
    }
    assert load_document(agreement).missing_by_section()["kpis"] == []


def test_every_plan_kpi_states_the_plans_own_figure(agreement):
    funnel = load_document(agreement).funnel_targets()
    kpis = dict(agreement.kpi_rows.exclude(funnel_stage="").values_list("funnel_stage", "target"))
    stages = funnel["stages"]

    # The stage KPIs are the term totals, which are the sums of the monthly targets.
    for stage in ("leads", "mqls", "sqls", "opportunities", "deals"):
        monthly = sum(month["stages"][stage]["target"] for month in funnel["months"])
        assert kpis[stage] == stages[stage] == monthly
    # The plan's own rates, not what the months' rounding leaves of them: one stream at 23%.
    assert kpis["win_rate"] == Decimal("23.00")
    assert kpis["mql_to_sql_rate"] == Decimal("33.33")
    # Sources at 25%, 40% (outbound) and 25%, blended by the MQLs each brings.
    assert Decimal("25") < kpis["lead_to_mql_rate"] < Decimal("40")
    assert kpis["sales_cycle_days"] == Decimal("30.00")
    assert kpis["revenue"] == Decimal("1200000.00")
    assert kpis["cost_per_lead"] == (Decimal(funnel["cost"]) / stages["leads"]).quantize(
        Decimal("0.01")
    )
    names = dict(agreement.kpi_rows.exclude(funnel_stage="").values_list("funnel_stage", "name"))
    assert names["lead_to_mql_rate"] == "Lead to MQL conversion (blended across 3 lead sources)"
    assert names["win_rate"] == "Win rate"  # one stream: nothing blended


def test_linked_kpis_follow_a_change_to_the_plan(agreement, marketing_lead):
    stream = agreement.funnelstream_rows.get()

    authoring_services.row_update(
        row=stream,
        actor=marketing_lead,
        kind_key="streams",
        values={"sales_cycle_days": 60, "win_rate": rates.to_stored(Fraction(1, 2))},
        expected_revision=stream.revision,
    )

    kpis = dict(agreement.kpi_rows.exclude(funnel_stage="").values_list("funnel_stage", "target"))
    assert kpis["sales_cycle_days"] == Decimal("60.00")
    assert kpis["win_rate"] == Decimal("50.00")


def test_a_free_kpi_that_contradicts_the_plan_blocks_submission(agreement, marketing_lead):
    authoring_services.row_create(
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

    problems = load_document(agreement).missing_by_section()["kpis"]

    assert any("“win rate” says 30.00, but the funnel plan gives 23.00" in p for p in problems), (
        problems
    )
    with pytest.raises(version_services.IncompleteAgreement, match="win rate"):
        version_services.agreement_submit(agreement=agreement, actor=marketing_lead)


def test_the_template_plan_passes_every_sanity_check(agreement):
    assert load_document(agreement).plan_warnings() == []


def test_a_plan_that_loses_money_is_warned_about(agreement, marketing_lead):
    for source in agreement.funnelsource_rows.all():
        authoring_services.row_update(
            row=source,
            actor=marketing_lead,
            kind_key="sources",
            values={"cost_per_lead": Decimal("80")},
            expected_revision=source.revision,
        )

    warnings = load_document(agreement).plan_warnings()

    assert len(warnings) == 1
    assert warnings[0].startswith("The plan loses money: its lead cost per won deal (€")


def test_lead_cost_above_a_quarter_of_the_revenue_is_warned_about(agreement, marketing_lead):
    source = agreement.funnelsource_rows.get(name="Events")
    authoring_services.row_update(
        row=source,
        actor=marketing_lead,
        kind_key="sources",
        values={"cost_per_lead": Decimal("60")},
        expected_revision=source.revision,
    )

    warnings = load_document(agreement).plan_warnings()

    assert len(warnings) == 1
    assert "of the revenue target, above the 25% a plan should spend on leads" in warnings[0]


def test_changing_the_plan_moves_the_targets(agreement, marketing_lead):
    before = agreement.kpi_rows.get(funnel_stage="deals").target
    stream = agreement.funnelstream_rows.get()

    authoring_services.row_update(
        row=stream,
        actor=marketing_lead,
        kind_key="streams",
        values={"average_deal_size": stream.average_deal_size * 2},
        expected_revision=stream.revision,
    )

    after = agreement.kpi_rows.get(funnel_stage="deals").target
    assert after < before


def test_shares_that_do_not_add_up_block_the_section_and_drop_stale_targets(
    agreement, marketing_lead
):
    source = agreement.funnelsource_rows.first()
    authoring_services.row_delete(row=source, actor=marketing_lead, kind_key="sources")

    problems = load_document(agreement).missing_by_section()["kpis"]

    assert any("add up to 50%" in p or "add up to" in p for p in problems), problems
    stages = {"leads", "mqls", "sqls", "opportunities", "deals"}
    assert not agreement.kpi_rows.filter(funnel_stage__in=stages).exists()
    assert agreement.kpi_rows.filter(funnel_stage="win_rate").exists()  # keeps its last figure


def test_funnel_kpis_are_changed_through_the_plan_only(agreement, marketing_lead):
    stage_kpi = agreement.kpi_rows.get(funnel_stage="deals")
    input_kpi = agreement.kpi_rows.get(funnel_stage="win_rate")

    for kpi in (stage_kpi, input_kpi):
        with pytest.raises(DomainError, match="follows the funnel plan"):
            authoring_services.row_update(
                row=kpi,
                actor=marketing_lead,
                kind_key="kpis",
                values={"target": 1},
                expected_revision=kpi.revision,
            )
    with pytest.raises(DomainError, match="follows the funnel plan"):
        authoring_services.row_delete(row=stage_kpi, actor=marketing_lead, kind_key="kpis")
    assert Kpi.objects.filter(pk=stage_kpi.pk).exists()
    # A KPI restating a plan input may be dropped: the plan still states the figure.
    authoring_services.row_delete(row=input_kpi, actor=marketing_lead, kind_key="kpis")
    assert not Kpi.objects.filter(pk=input_kpi.pk).exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "above 0%"),
        ("150%", "at most 100%"),
        ("abc", ""),
        ("1/0", ""),
    ],
)
def test_a_bad_rate_is_explained_next_to_its_field(agreement, typed, message):
    form = FunnelStreamForm(
        data={
            "name": "X",
            "share": "100%",
            "average_deal_size": "1000",
            "sales_cycle_days": "30",
            "win_rate": typed,
            "sql_to_opportunity_rate": "80%",
            "mql_to_sql_rate": "1/3",
            "lead_to_mql_rate": "0.25",
        },
        agreement=agreement,
    )

    assert not form.is_valid()
    assert list(form.errors) == ["win_rate"]
    assert message in form.errors["win_rate"][0]


def test_adding_a_stream_with_htmx_refreshes_the_targets_and_the_kpis(
    client_for, marketing_lead, agreement
):
    response = client_for(marketing_lead).post(
        reverse("row_create", args=[agreement.pk, "kpis", "streams"]),
        {
            "add-streams-name": "Enterprise",
            "add-streams-share": "50%",
            "add-streams-average_deal_size": "20000",
            "add-streams-sales_cycle_days": "90",
            "add-streams-win_rate": "20%",
            "add-streams-sql_to_opportunity_rate": "70%",
            "add-streams-mql_to_sql_rate": "1/4",
            "add-streams-lead_to_mql_rate": "20%",
        },
        **HTMX,
    )

    content = response.content.decode()
    assert 'id="funnel-results"' in content and 'id="rows-kpis"' in content
    # Two streams of 100% + 50% do not add up: the panel says so instead of numbers.
    assert "The targets cannot be computed yet" in content
    assert agreement.funnelstream_rows.count() == 2


def test_the_targets_preview_while_typing_before_anything_is_saved(
    client_for, marketing_lead, agreement
):
    stream = agreement.funnelstream_rows.get()
    client = client_for(marketing_lead)
    data = {
        "preview_row": str(stream.pk),
        "edit-streams-name": stream.name,
        "edit-streams-share": "100%",
        "edit-streams-average_deal_size": "4000",
        "edit-streams-sales_cycle_days": "30",
        "edit-streams-win_rate": "23%",
        "edit-streams-sql_to_opportunity_rate": "82%",
        "edit-streams-mql_to_sql_rate": "1/3",
        "edit-streams-lead_to_mql_rate": "25%",
    }

    preview = client.post(reverse("funnel_preview", args=[agreement.pk, "streams"]), data, **HTMX)
    broken = client.post(
        reverse("funnel_preview", args=[agreement.pk, "streams"]),
        {**data, "edit-streams-win_rate": "0%"},
        **HTMX,
    )

    assert "preview of unsaved values" in preview.content.decode()
    assert 'data-testid="funnel-deals"' in preview.content.decode()
    assert "Win rate" in broken.content.decode()
    stream.refresh_from_db()
    assert stream.average_deal_size == Decimal("2000")  # nothing saved


def test_the_contract_carries_the_funnel_targets_and_months(
    agreement, marketing_lead, django_capture_on_commit_callbacks
):
    deals = agreement.kpi_rows.get(funnel_stage="deals").target
    with django_capture_on_commit_callbacks(execute=True):
        version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
    version.refresh_from_db()

    assert version.snapshot["funnel"]["stages"]["deals"] >= deals
    with version.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert f"{version.snapshot['funnel']['stages']['leads']:,}" in text
    assert "Each stage is rounded up to a whole number." in text
    assert ("Website forms" in text and "Lead-in" in text) or "Dec" in text


def test_the_editor_shows_every_number_per_source_and_month(client_for, marketing_lead, agreement):
    content = (
        client_for(marketing_lead)
        .get(reverse("agreement_edit", args=[agreement.pk, "kpis"]))
        .content.decode()
    )

    assert 'data-testid="funnel-details"' in content
    assert "Website forms" in content and "Events" in content
    assert "December 2027" in content  # the month-by-month table over the term


def test_the_funnel_is_computed_once_per_plan_state(
    agreement, marketing_lead, monkeypatch, client_for
):
    from django.core.cache import caches

    from agreements.authoring import funnel_plan

    caches["funnel"].clear()  # creating the agreement from the template computed its plan already
    computed = []
    real = funnel_plan.calculate
    monkeypatch.setattr(funnel_plan, "calculate", lambda plan: computed.append(plan) or real(plan))
    client = client_for(marketing_lead)
    for section in ("parties", "goal", "kpis", "commitments", "signatures"):
        assert (
            client.get(reverse("agreement_edit", args=[agreement.pk, section])).status_code == 200
        )
    assert len(computed) == 1  # every editor page of the unchanged draft reused it

    stream = FunnelStream.objects.filter(agreement=agreement).order_by("position").first()
    stream.average_deal_size += 1000
    stream.save()
    outcome = funnel_plan.compute_for(load_document(Agreement.objects.get(pk=agreement.pk)))
    assert len(computed) == 2  # an edited figure computes afresh
    assert outcome.ok and outcome.result.to_dict() == real(computed[-1]).to_dict()
