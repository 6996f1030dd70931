"""Every figure of the compliance measurement against the hand-worked scenario (scenario.py):
duplicates, out-of-order events, leads still waiting, weekend and after-hours hand-offs, a
calendar that is not UTC."""

import random
from datetime import date
from decimal import Decimal

import pytest

from compliance import report
from compliance.events import check_event
from compliance.ingest import store_events
from compliance.models import LeadEvent, LeadRecord
from compliance.refresh import refresh

from . import scenario as s

TODAY = date(2027, 2, 10)
JAN, FEB = date(2027, 1, 1), date(2027, 2, 1)


def ingest(agreement, raw_events, *, zone=None):
    clean, errors = [], []
    for index, raw in enumerate(raw_events):
        event, problems = check_event(raw, default_zone=zone)
        if event:
            clean.append(event)
        else:
            errors.append((index, problems))
    return store_events(agreement, clean), errors


@pytest.fixture
def measured(berlin_agreement):
    shuffled = s.EVENTS[:]
    random.Random(7).shuffle(shuffled)  # the CRM sends them in no particular order
    first, _errors = ingest(berlin_agreement, shuffled[:20])
    second, errors = ingest(berlin_agreement, shuffled[20:] + s.DUPLICATES + s.REJECTED)
    refresh(berlin_agreement, now=s.NOW)
    return berlin_agreement, first, second, errors


def test_each_event_is_stored_once_and_bad_ones_say_why(measured):
    _agreement, first, second, errors = measured
    assert first.stored + second.stored == len(s.EVENTS) == LeadEvent.objects.count()
    assert second.duplicates == 2
    by_field = [sorted(problems) for _index, problems in errors]
    assert by_field == [["event"], ["lead_id"], ["occurred_at"], ["amount"]]
    assert "has no time zone offset" in errors[2][1]["occurred_at"][0]
    assert errors[3][1]["amount"] == ["The amount cannot be negative."]


def test_the_clocks_run_on_the_berlin_working_calendar(measured):
    records = {r.lead_id: r for r in LeadRecord.objects.all()}
    assert records["A"].handoff_hours == 0.25
    assert records["A"].response_hours == 1.25
    assert records["A"].decision_hours == 2.25
    assert records["B"].response_hours == 27  # Saturday hand-off: the clock starts Monday
    assert records["B"].decision_hours == 9
    assert records["B"].attempts == 7
    assert records["C"].handoff_hours == 0  # after hours
    assert records["C"].response_hours == 0.5
    assert records["D"].response_hours == 58 and not records["D"].response_done
    assert records["E"].response_hours == 3 and not records["E"].response_done
    assert records["G"].won_amount == Decimal("2500.00")
    assert records["A"].clock_month == JAN and records["D"].clock_month == FEB
    assert records["A"].owner == "Ola" and records["B"].source == "Paid search"


def figures(agreement, **filters):
    from compliance.commitments import plan_of, version_in_force

    plan = plan_of(version_in_force(agreement))
    return plan, report.build(agreement, plan, filters, TODAY)


def test_every_commitment_month_by_month(measured):
    agreement = measured[0]
    _plan, data = figures(agreement)
    assert [c.commitment.metric for c in data["commitments"]] == [
        "mql_volume",
        "handoff_time",
        "rejection_rate",
        "response_time",
        "attempts",
        "acceptance",
    ]
    assert data["months"] == [JAN, FEB]
    for c in data["commitments"][1:]:
        index = c.commitment.index
        january, february = c.months
        assert (january.met, january.missed, january.pending) == s.JANUARY[index], index
        assert (february.met, february.missed, february.pending) == s.FEBRUARY[index], index
        assert str(january.figure) == s.JANUARY_FIGURES[index], index
        assert january.verdict == s.JANUARY_VERDICTS[index], index
    response = data["commitments"][3]
    assert response.months[1].figure == Decimal("0.0")
    assert response.months[1].verdict == report.AT_RISK  # February is not over
    assert response.months[1].trend == Decimal("-60.0")
    assert data["commitments"][1].months[1].verdict == report.NO_DATA


def test_mql_volume_against_the_frozen_plan(measured):
    agreement = measured[0]
    plan, data = figures(agreement)
    january_target = next(
        m["stages"]["mqls"]["target"]
        for m in plan.funnel["months"]
        if (m["year"], m["month"]) == (2027, 1)
    )
    volume = data["commitments"][0].months[0]
    assert volume.actual == 4 and volume.target == january_target
    assert volume.figure == report.percent(4, january_target)
    assert volume.verdict == ("met" if volume.figure >= 90 else "missed")


def test_funnel_actuals_distribution_and_reasons(measured):
    agreement = measured[0]
    _plan, data = figures(agreement)
    january = data["funnel"][0]
    assert {stage: january["stages"][stage]["actual"] for stage in s.JANUARY_STAGES} == (
        s.JANUARY_STAGES
    )
    assert january["rates"]["mqls-sqls"] == Decimal("50.0")
    assert january["rates"]["leads-mqls"] == Decimal("400.0")
    assert january["revenue"] == Decimal("2500.00")
    assert [item["count"] for item in data["distribution"]] == s.JANUARY_DISTRIBUTION
    assert data["reasons"] == [{"reason": "no_budget", "count": 1, "share": Decimal("100.0")}]


def test_filtered_by_owner_and_the_owner_table(measured):
    agreement = measured[0]
    _plan, data = figures(agreement, owner="Ben")
    response = data["commitments"][3]
    assert (response.months[0].met, response.months[0].missed) == (0, 1)  # B
    assert (response.months[1].met, response.months[1].missed) == (0, 1)  # D
    plan, _ = figures(agreement)
    owners = report.by_owner(agreement, plan, {}, [JAN, FEB])
    ola = next(row for row in owners if row["owner"] == "Ola")
    ola_response = next(f for f in ola["figures"] if f["commitment"].metric == "response_time")
    assert (ola_response["met"], ola_response["missed"]) == (3, 0)  # A, C, G; E pending


def test_refresh_again_is_the_same_and_new_events_count(measured):
    agreement = measured[0]
    _plan, before = figures(agreement)
    refresh(agreement, now=s.NOW)
    _plan, again = figures(agreement)
    assert [m.figure for c in again["commitments"] for m in c.months] == [
        m.figure for c in before["commitments"] for m in c.months
    ]
    # D is finally contacted: February's response turns from missed to missed (58 h late);
    # E answered within 3 h: met.
    ingest(agreement, [s.ev("E", "first_contact", s.at(2, 10, 11, 30))])
    refresh(agreement, now=s.NOW)
    _plan, after = figures(agreement)
    february = after["commitments"][3].months[1]
    assert (february.met, february.missed, february.pending) == (1, 1, 0)


def test_events_stored_during_a_refresh_leave_the_figures_marked_stale(
    berlin_agreement, monkeypatch
):
    from compliance import refresh as refreshing
    from compliance.models import Measurement

    ingest(berlin_agreement, s.EVENTS)
    real_rebuild = refreshing.rebuild_cells

    def rebuild_while_an_event_arrives(agreement, plan):
        ingest(agreement, [s.ev("E", "first_contact", s.at(2, 10, 11, 30))])
        return real_rebuild(agreement, plan)

    monkeypatch.setattr(refreshing, "rebuild_cells", rebuild_while_an_event_arrives)
    refresh(berlin_agreement, now=s.NOW)
    assert Measurement.objects.get(agreement=berlin_agreement).stale
    assert LeadRecord.objects.get(lead_id="E").dirty

    monkeypatch.setattr(refreshing, "rebuild_cells", real_rebuild)
    refresh(berlin_agreement, now=s.NOW)
    assert not Measurement.objects.get(agreement=berlin_agreement).stale
    assert LeadRecord.objects.get(lead_id="E").response_done
