"""The editor's row lists are tables: headers named after the fields with their units, and
values written the reader's way (issue: "SMB 30% 8000.00 35% 45", "600000.00 currency")."""

from decimal import Decimal

import pytest
from django.db.models import Max
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from agreements.authoring.row_table import cell_text, columns_for
from agreements.authoring.sections import ROW_KINDS
from agreements.models import Kpi

from .editor_html import row_table

NBSP = "\u00a0"


@pytest.fixture
def plan(agreement):
    """The template's plan with amounts that need grouping and cents, and three free KPIs."""
    agreement.funnelstream_rows.update(average_deal_size=Decimal("8000.00"))
    agreement.funnelsource_rows.filter(name="Website forms").update(cost_per_lead=Decimal("1234.5"))
    top = agreement.kpi_rows.aggregate(top=Max("position"))["top"]
    for offset, (name, target, unit) in enumerate(
        [
            ("New ARR from inbound", Decimal("600000.00"), "currency"),
            ("Demo show rate", Decimal("35.50"), "percent"),
            ("Demo requests", Decimal("1234.00"), "count"),
        ],
        start=1,
    ):
        Kpi.objects.create(
            agreement=agreement,
            position=top + offset,
            name=name,
            owner_team="marketing",
            target=target,
            unit=unit,
        )
    return agreement


def funnel_page(client, agreement, language):
    response = client.get(
        reverse("agreement_edit", args=[agreement.pk, "kpis"]), HTTP_ACCEPT_LANGUAGE=language
    )
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    return content


def headers_in(language, model, names, currency="EUR"):
    with translation.override(language):
        return [
            capfirst(str(model._meta.get_field(name).verbose_name))
            + (f" ({currency})" if name in ("average_deal_size", "cost_per_lead") else "")
            for name in names
        ] + [translation.gettext("Actions")]


@pytest.mark.parametrize(
    ("language", "share", "deal", "rate"),
    [("en", "100%", "8,000", "23%"), ("de", f"100{NBSP}%", "8.000", f"23{NBSP}%")],
)
def test_revenue_streams_are_a_table_with_units_and_numbers_written_the_readers_way(
    client_for, marketing_lead, plan, language, share, deal, rate
):
    content = funnel_page(client_for(marketing_lead), plan, language)

    headers, rows = row_table(content, "rows-streams")
    kind = ROW_KINDS["streams"]
    assert headers == headers_in(language, kind.model, kind.columns)
    assert rows["New business"][:5] == ["New business", share, deal, rate, "30"]
    assert "8000.00" not in content


@pytest.mark.parametrize(
    ("language", "cost"), [("en", "1,234.50"), ("de", "1.234,50"), ("tr", "1.234,50")]
)
def test_amounts_with_cents_keep_them(client_for, marketing_lead, plan, language, cost):
    content = funnel_page(client_for(marketing_lead), plan, language)

    headers, rows = row_table(content, "rows-sources")
    assert headers[2].endswith("(EUR)")
    assert rows["Website forms"][2] == cost


@pytest.mark.parametrize(
    ("language", "money", "percent", "count"),
    [
        ("en", "€600,000", "35.5%", "1,234"),
        ("de", f"600.000{NBSP}€", f"35,5{NBSP}%", "1.234"),
    ],
)
def test_kpi_targets_are_written_in_their_unit_and_units_by_their_label(
    client_for, marketing_lead, plan, language, money, percent, count
):
    content = funnel_page(client_for(marketing_lead), plan, language)

    headers, rows = row_table(content, "rows-kpis")
    kind = ROW_KINDS["kpis"]
    assert headers == headers_in(language, kind.model, kind.columns)
    with translation.override(language):
        currency_label, count_label = translation.gettext("currency"), translation.gettext("count")
        marketing = translation.gettext("Marketing")
    target, unit = kind.columns.index("target"), kind.columns.index("unit")
    assert rows["New ARR from inbound"][target] == money
    assert rows["New ARR from inbound"][unit] == currency_label
    assert rows["New ARR from inbound"][kind.columns.index("owner_team")] == marketing
    assert rows["Demo show rate"][target] == percent
    assert rows["Demo requests"][target] == count
    assert rows["Demo requests"][unit] == count_label
    assert "600000.00" not in content


def test_each_row_has_an_id_the_sidebar_can_link_to(client_for, marketing_lead, plan):
    content = funnel_page(client_for(marketing_lead), plan, "en")

    for kpi in plan.kpi_rows.all():
        assert f'id="row-kpis-{kpi.pk}"' in content


def test_cells_are_worked_out_from_the_rows_alone(plan, django_assert_num_queries):
    """No query per row: the columns once per list, each cell from the loaded row."""
    kind = ROW_KINDS["commitments"]
    rows = list(plan.commitment_rows.all())

    with translation.override("en"), django_assert_num_queries(0):
        columns = columns_for(kind, "EUR")
        cells = [[cell_text(row, column, "EUR") for column in columns] for row in rows]

    assert [column.numeric for column in columns] == [False, False, False, True, True, False, False]
    assert all(len(row) == len(columns) for row in cells)
    assert any(row[3] == "95%" for row in cells)  # share of cases, given in points
    assert any(row[2] == "Time from hand-off to first contact" for row in cells)  # the measure
