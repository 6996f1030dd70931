"""A revision's contract ends with an appendix that shows each change since the version before
it, as the compare page does, in the contract's language, and is listed in the contents."""

import re
import subprocess
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation

from agreements.authoring import sections
from agreements.authoring import services as authoring_services
from agreements.authoring.document import load_document
from agreements.models import KpiUnit, OwnerTeam
from agreements.reviews import services as review_services
from agreements.versions import services as version_services
from agreements.versions.appendix import ROW_CHANGES_SHOWN, changes_appendix, shown_rows
from agreements.versions.diff import diff_snapshots
from agreements.versions.snapshot import build_snapshot
from tests.agreements.builders import template_agreement
from tests.agreements.test_diff import kpi, section, snapshot

HEADING = "Appendix: changes since version 1"
NEW_GOAL = "Grow new annual recurring revenue together, with webinars as the second channel."


def set_goal(agreement, actor, **values):
    fields = sections.SECTIONS_BY_KEY["goal"].fields
    current = {name: getattr(agreement, name) for name in fields}
    authoring_services.section_update(
        agreement=agreement,
        actor=actor,
        section_key="goal",
        values={**current, **values},
        fingerprint="",
    )


def add_webinar_kpi(agreement, actor):
    authoring_services.row_create(
        agreement=agreement,
        actor=actor,
        kind_key="kpis",
        values={
            "name": "Webinar sign-ups",
            "owner_team": OwnerTeam.MARKETING,
            "target": Decimal("250"),
            "unit": KpiUnit.COUNT,
        },
    )


def revise(signed, actor) -> str:
    """Revise the signed agreement: a field and a text changed, a KPI added, a meeting
    removed. Returns the removed meeting's name."""
    agreement = review_services.agreement_revise(agreement=signed.agreement, actor=actor)
    set_goal(agreement, actor, revenue_target=Decimal("1500000"), goal_statement=NEW_GOAL)
    add_webinar_kpi(agreement, actor)
    meeting = agreement.meeting_rows.order_by("position").first()
    authoring_services.row_delete(row=meeting, actor=actor, kind_key="meetings")
    return meeting.name


def pdftotext_pages(pdf: bytes, tmp_path, *, layout: bool) -> list[str]:
    """The pages' text through poppler: laid out as printed, or cell by cell."""
    source = tmp_path / "contract.pdf"
    source.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", *(["-layout"] if layout else []), "-enc", "UTF-8", str(source), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.split("\f")


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_revisions_appendix_shows_each_change_and_is_listed_in_the_contents(
    signed, marketing_lead, django_capture_on_commit_callbacks, tmp_path
):
    removed_meeting = revise(signed, marketing_lead)
    with django_capture_on_commit_callbacks(execute=True):
        second = version_services.agreement_submit(agreement=signed.agreement, actor=marketing_lead)
    second.refresh_from_db()
    with second.pdf.open("rb") as handle:
        pdf = handle.read()

    printed = pdftotext_pages(pdf, tmp_path, layout=True)
    first_page = next(n for n, page in enumerate(printed, 1) if n > 2 and HEADING in page)
    listed = re.search(re.escape(HEADING) + r"[ .]*(\d+)\s*$", printed[1], re.MULTILINE)
    assert listed, printed[1]
    assert int(listed.group(1)) == first_page
    appendix = flat(" ".join(pdftotext_pages(pdf, tmp_path, layout=False)[first_page - 1 :]))
    # The summary, then each change with its old and new values.
    assert "revenue target 1,200,000 -> 1,500,000 (+25.0%)" in appendix
    assert "9. KPIs: 1 added" in appendix
    assert "Change Version 1 Version 2" in appendix
    assert "Revenue target 1,200,000 1,500,000 (+25.0%)" in appendix
    assert "Marketing and sales together win the revenue target below" in appendix
    assert NEW_GOAL in appendix
    assert "ADDED" in appendix and "KPI: Webinar sign-ups Owner: Marketing Target: 250" in appendix
    assert "REMOVED" in appendix and f"Meeting: {removed_meeting} Cadence: Weekly" in appendix
    assert "No changes in 1. Parties and signatories" in appendix


def test_the_appendix_speaks_the_contracts_language(organization, marketing_lead, sales_lead):
    agreement = template_agreement(organization, marketing_lead, sales_lead, "de")
    before = build_snapshot(
        load_document(agreement), number=1, created_at=timezone.now(), created_by=marketing_lead
    )
    set_goal(agreement, marketing_lead, revenue_target=Decimal("1500000"))
    add_webinar_kpi(agreement, marketing_lead)
    agreement.refresh_from_db()
    after = build_snapshot(
        load_document(agreement), number=2, created_at=timezone.now(), created_by=marketing_lead
    )

    with translation.override("de"):
        html = render_to_string(
            "agreements/contract/changes.html",
            {"changes": changes_appendix(1, before, 2, after)},
        )

    text = flat(re.sub(r"<[^>]+>", " ", html))
    assert "Anhang: Änderungen seit Version 1" in text
    assert "Version 1 Version 2" in text
    assert "Umsatzziel 1.200.000 1.500.000 (+25,0 %)" in text
    assert "hinzugefügt Webinar sign-ups" in text
    assert "KPI: Webinar sign-ups Verantwortlich: Marketing" in text
    assert "Funnel-Ziele für die Laufzeit" in text


def test_each_list_shows_its_first_changes_and_counts_the_rest():
    old = snapshot()
    new = {**old, "rows": {**old["rows"], "kpis": [kpi(f"KPI {n}") for n in range(40)]}}
    (kpis,) = section(diff_snapshots(old, new), "kpis").changed_rows

    shown = shown_rows(kpis)

    assert len(kpis.changes) > ROW_CHANGES_SHOWN
    assert shown.changes == kpis.changes[:ROW_CHANGES_SHOWN]
    assert shown.more == len(kpis.changes) - ROW_CHANGES_SHOWN
    assert shown_rows(kpis, limit=len(kpis.changes)).more == 0


def test_the_appendix_of_a_capped_list_says_how_many_more_there_are():
    old = snapshot()
    new = {**old, "rows": {**old["rows"], "kpis": [kpi(f"KPI {n}") for n in range(40)]}}

    with translation.override("en"):
        changes = changes_appendix(1, old, 2, new)
        html = render_to_string("agreements/contract/changes.html", {"changes": changes})

    (kpis,) = changes.sections[0].row_kinds
    assert len(re.findall(r'<tr class="(added|removed|changed)">', html)) == ROW_CHANGES_SHOWN
    assert f"And {kpis.more} more changes to this list, not shown here: section 9" in flat(html)
