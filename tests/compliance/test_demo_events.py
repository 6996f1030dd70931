"""The demo's generated year of lead events (compliance/demo.py): the same for the same seed,
shaped like a real CRM's, and seeded by `seed_demo` so the demo's compliance page shows twelve
months with commitments both met and missed.

The generator tests use a small signed agreement on a Berlin calendar (a few hundred leads, under
a second). The seeded page is one test: `seed_demo` signs the demo (a PDF render) and stores and
measures the plan's leads for the term (34,224); it runs once and checks everything it seeds.
"""

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from agreements.models import Agreement
from compliance.commitments import version_in_force
from compliance.demo import OWNERS, demo_events, mql_share, planned_leads, seed_demo_events
from compliance.models import EventBatch, LeadEvent, LeadRecord, Measurement
from organizations.demo import MARKETING_LEAD

LEADS = 400
# The order a lead's events happen in: each kind comes after every kind named before it.
AFTER = {
    "mql": {"created"},
    "handed_off": {"created", "mql"},
    "first_contact": {"created", "mql", "handed_off"},
    "contact_attempt": {"created", "mql", "handed_off", "first_contact"},
    "accepted": {"created", "mql", "handed_off"},
    "rejected": {"created", "mql", "handed_off"},
    "sql": {"created", "mql", "handed_off", "accepted", "first_contact"},
    "opportunity": {"sql", "accepted"},
    "won": {"opportunity", "sql"},
    "lost": {"opportunity", "sql"},
    "recycled": {"accepted", "first_contact", "contact_attempt"},
}
ONCE = {"created", "mql", "handed_off", "first_contact", "accepted", "rejected", "sql"}


@pytest.fixture
def version(berlin_agreement):
    return version_in_force(berlin_agreement)


def test_the_same_seed_gives_the_same_events(berlin_agreement, version):
    first = demo_events(berlin_agreement, version, leads=LEADS)
    assert first == demo_events(berlin_agreement, version, leads=LEADS)
    assert first != demo_events(berlin_agreement, version, seed=1, leads=LEADS)


def test_every_lead_moves_through_the_funnel_in_order(berlin_agreement, version):
    events = demo_events(berlin_agreement, version, leads=LEADS)
    by_lead = defaultdict(list)
    for item in events:
        by_lead[item.lead_id].append(item)
    assert len(by_lead) == LEADS
    assert len({item.key for item in events}) == len(events)  # no duplicates
    start, end = datetime(2026, 12, 31, 23, tzinfo=UTC), datetime(2027, 12, 31, 23, tzinfo=UTC)
    for lead_id, items in by_lead.items():
        kinds = Counter(item.event for item in items)
        assert kinds["created"] == 1, lead_id
        assert all(kinds[kind] <= 1 for kind in ONCE), (lead_id, kinds)
        assert not (kinds["accepted"] and kinds["rejected"]), lead_id
        assert not (kinds["won"] and kinds["lost"]), lead_id
        first = {}
        for item in sorted(items, key=lambda item: item.occurred_at):
            first.setdefault(item.event, item.occurred_at)
            assert start <= item.occurred_at < end, item  # the term, in Berlin
        for kind, moment in first.items():
            for earlier in AFTER.get(kind, ()):
                if earlier in first and earlier != kind:
                    assert first[earlier] <= moment, (lead_id, earlier, kind)
        if kinds["rejected"]:
            assert kinds["contact_attempt"] == kinds["sql"] == kinds["recycled"] == 0, lead_id
        if kinds["sql"] == 0 and kinds["accepted"]:
            assert kinds["recycled"] or first["handed_off"] >= datetime(2027, 11, 1, tzinfo=UTC)
    shape = Counter(item.event for item in events)
    mqls = shape["mql"]
    share = mql_share(version)  # the plan's leads-to-MQLs share (about 28% in the template)
    assert 0.2 < share < 0.4
    assert (share - 0.08) * LEADS < mqls < (share + 0.08) * LEADS
    assert 0.03 * mqls < shape["rejected"] < 0.2 * mqls
    assert 0.2 * mqls < shape["sql"] < 0.5 * mqls
    assert 0 < shape["won"] < shape["opportunity"] < shape["sql"]
    assert shape["contact_attempt"] > 3 * mqls  # the cadence's seven attempts


def test_names_come_from_the_signed_plan_and_template(berlin_agreement, version):
    events = demo_events(berlin_agreement, version, leads=LEADS)
    funnel, rows = version.snapshot["funnel"], version.snapshot["rows"]
    sources = {source["name"] for source in funnel["sources"]}
    streams = {stream["name"] for stream in funnel["streams"]}
    assert {item.source for item in events} == sources | {""}
    assert {item.stream for item in events} == streams | {""}
    assert {item.source for item in events if item.event in ("created", "mql")} == sources
    assert {item.owner for item in events} == {name for name, *_rest in OWNERS} | {""}
    codes = {row["code"] for row in rows["reasons"]}
    rejections = {item.reason for item in events if item.event == "rejected"}
    assert "bad-fit" in rejections and rejections <= codes
    assert {item.reason for item in events if item.event in ("recycled", "lost")} <= codes
    deal = Decimal(funnel["streams"][0]["average_deal_size"])
    amounts = [item.amount for item in events if item.event == "won"]
    assert all(deal / 3 <= amount <= deal * 3 for amount in amounts)
    assert deal * Decimal("0.8") < sum(amounts) / len(amounts) < deal * Decimal("1.25")
    mql_months = Counter(item.occurred_at.month for item in events if item.event == "mql")
    assert sorted(mql_months) == list(range(1, 13))


def _verdicts(html: str) -> dict[tuple[int, str], str]:
    found = re.findall(r'data-testid="cell-(\d+)-(\d{4}-\d{2})" data-verdict="(\w+)"', html)
    return {(int(index), month): verdict for index, month, verdict in found}


def test_seed_demo_measures_a_year_with_months_met_and_missed(client, transactional_db):
    # Today is before the demo's term (2027): every month is judged, none is "this month".
    with time_machine.travel(datetime(2026, 12, 2, 9, tzinfo=UTC)):
        call_command("seed_demo", stdout=StringIO())
        agreement = Agreement.objects.get(title__startswith="Acme Corp")
        events, leads = LeadEvent.objects.count(), LeadRecord.objects.count()
        assert leads == planned_leads(version_in_force(agreement)) and events > 100_000
        batch = EventBatch.objects.get(agreement=agreement)
        assert (batch.channel, batch.stored, batch.received) == ("seed", events, events)
        measurement = Measurement.objects.get(agreement=agreement)
        assert (measurement.events, measurement.leads, measurement.stale) == (events, leads, False)
        assert measurement.version.number == 1

        client.force_login(agreement.marketing_lead)
        assert agreement.marketing_lead.email == MARKETING_LEAD.email
        response = client.get(reverse("agreement_compliance", args=[agreement.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    months = [f"2027-{month:02d}" for month in range(1, 13)]
    verdicts = _verdicts(html)
    assert sorted({month for _index, month in verdicts}) == months
    assert set(verdicts.values()) <= {"met", "missed", "no_data"}
    # The months that go wrong on purpose, next to a month that went well.
    assert verdicts[(2, "2027-03")] == "missed"  # many bad-fit rejections
    assert verdicts[(1, "2027-06")] == "missed"  # the hand-off outage
    assert verdicts[(3, "2027-08")] == "missed"  # slow first contacts in the holidays
    assert verdicts[(5, "2027-08")] == "missed"  # a few late decisions
    assert verdicts[(4, "2027-10")] == "missed"  # attempts short
    for index in (1, 2, 3, 4, 5):
        assert verdicts[(index, "2027-04")] == "met", index
    # The demo brings in the leads its plan asks for: MQL volume met in most months.
    volume = [verdicts[(0, month)] for month in months]
    assert volume.count("met") >= 9, volume
    # Funnel actuals for every month, and the reasons behind the rejections.
    for month in months:
        row = re.search(rf'data-testid="funnel-{month}">(.*?)</tr>', html, re.S).group(1)
        mqls = re.search(r'data-testid="stage-mqls">([\d,.\s\u202f]+)', row).group(1)
        assert int(re.sub(r"\D", "", mqls)) > 100, month
    assert "bad-fit" in html and "Lena Hoffmann" in html
    # MQLs per month and source follow the shape of the plan's targets (the last month, which
    # the plan leaves empty, is a quiet one).
    plan_months = version_in_force(agreement).snapshot["funnel"]["months"]
    targets = {
        (month["month"], source["name"]): source["stages"]["mqls"]
        for month in plan_months
        if month["year"] == 2027 and month["month"] < 12
        for source in month["sources"]
    }
    actual = Counter(
        (record.mql_month.month, record.source)
        for record in LeadRecord.objects.filter(mql_month__month__lt=12)
    )
    scale = sum(actual.values()) / sum(targets.values())
    assert 0.85 < scale < 1.2, scale  # about the MQLs the plan asks for, not two or three times
    for key, target in targets.items():
        assert 0.7 < actual[key] / (target * scale) < 1.3, key

    # Seeding again adds nothing: neither the command nor the function.
    call_command("seed_demo", stdout=StringIO())
    assert seed_demo_events(agreement) == 0
    assert LeadEvent.objects.count() == events and EventBatch.objects.count() == 1
    assert LeadRecord.objects.count() == leads


def test_no_events_without_a_signed_version(organization, marketing_lead):
    from tests import factories

    draft = factories.agreement_from_template(organization, marketing_lead)
    assert seed_demo_events(draft) == 0
    assert not LeadEvent.objects.exists()
