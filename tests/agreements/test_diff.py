"""Comparing two snapshots: fields, rows matched by natural key, the funnel targets."""

import copy
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from agreements.versions.diff import diff_snapshots, match_rows, percent_change, word_segments

MARIA = {"id": 1, "name": "Maria Rossi", "email": "maria@acme.example", "job_title": "CMO"}
SAM = {"id": 2, "name": "Sam Becker", "email": "sam@acme.example", "job_title": "VP Sales"}
NINA = {"id": 3, "name": "Nina Novak", "email": "nina@acme.example", "job_title": "CRO"}


def kpi(name, target="10.00", funnel_stage="", **fields):
    return {
        "name": name,
        "owner_team": "marketing",
        "target": target,
        "unit": "count",
        "frequency": "monthly",
        "funnel_stage": funnel_stage,
        **fields,
    }


def stage(name, description="", owner_team="marketing"):
    return {"name": name, "description": description or f"About {name}", "owner_team": owner_team}


def funnel(leads=33911, mqls=9552, sqls=3184, opportunities=2610, deals=600, months=12):
    return {
        "term_months": months,
        "stages": {
            "deals": deals,
            "opportunities": opportunities,
            "sqls": sqls,
            "mqls": mqls,
            "leads": leads,
        },
        "months": [],
    }


def snapshot():
    return {
        "schema": 1,
        "version": {"number": 1, "created_at": "2027-01-01T00:00:00+00:00", "created_by": MARIA},
        "organization": {"id": 1, "name": "Acme Corp", "paper_size": "A4"},
        "agreement": {
            "id": 1,
            "title": "Acme SLA 2027",
            "marketing_lead": MARIA,
            "sales_lead": SAM,
            "signing_order": "any",
            "effective_date": "2027-01-01",
            "end_date": "2027-12-31",
            "review_cadence": "quarterly",
            "goal_statement": "Marketing and sales together win EUR 1.2M of new revenue in 2027.",
            "revenue_target": "1200000.00",
            "currency": "EUR",
            "mql_threshold": 60,
            "recycle_track": "Recycled leads",
        },
        "rows": {
            "signatories": [{"user": NINA, "capacity": "Executive sponsor"}],
            "definitions": [
                {"key": "mql", "term": "MQL", "meaning": "A lead at the threshold."},
                {"key": "", "term": "Hot lead", "meaning": "A lead that asked for a demo."},
            ],
            "stages": [stage("Subscriber"), stage("Lead"), stage("MQL"), stage("SQL", "", "sales")],
            "steps": [
                {"day": 1, "channel": "phone", "note": "First call"},
                {"day": 1, "channel": "phone", "note": "Second call"},
                {"day": 4, "channel": "email", "note": ""},
            ],
            "streams": [
                {
                    "name": "New business",
                    "share": "1.00000000",
                    "average_deal_size": "2000.00",
                    "win_rate": "0.23000000",
                    "sql_to_opportunity_rate": "0.82000000",
                    "mql_to_sql_rate": "0.33333333",
                    "lead_to_mql_rate": "0.25000000",
                    "sales_cycle_days": 30,
                }
            ],
            "kpis": [
                kpi("Leads per month", "2826.00", funnel_stage="leads"),
                kpi("Cost per lead", "80.00"),
                kpi("Response time to MQLs", "24.00"),
            ],
        },
        "funnel": funnel(),
    }


def changed(**agreement_fields):
    new = copy.deepcopy(snapshot())
    new["agreement"].update(agreement_fields)
    return new


def section(diff, key):
    return next(s for s in diff.sections if s.key == key)


def rows(diff, section_key, kind_key):
    return next(kind for kind in section(diff, section_key).rows if kind.key == kind_key)


def test_identical_snapshots_have_no_changes():
    diff = diff_snapshots(snapshot(), snapshot())

    assert diff.is_empty
    assert diff.summary_lines() == []
    assert set(diff.counts.values()) == {0}
    assert [s.number for s in diff.sections] == list(range(1, 14))


def test_version_metadata_alone_is_not_a_change():
    new = snapshot()
    new["version"] = {"number": 2, "created_at": "2027-06-01T00:00:00+00:00", "created_by": SAM}

    assert diff_snapshots(snapshot(), new).is_empty


def test_a_number_shows_old_new_and_the_change_in_percent():
    diff = diff_snapshots(snapshot(), changed(revenue_target="1500000.00"))

    (change,) = section(diff, "goal").fields
    assert (change.label, change.kind) == ("revenue target", "number")
    assert (change.old, change.new) == ("1,200,000", "1,500,000")
    assert change.percent == Decimal("25.0")
    assert diff.summary_lines() == [
        "3. Shared goal: revenue target 1,200,000 -> 1,500,000 (+25.0%)"
    ]
    assert diff.counts["goal"] == 1


def test_the_same_number_written_differently_is_not_a_change():
    assert diff_snapshots(snapshot(), changed(revenue_target="1200000")).is_empty


def test_percent_change_is_none_without_a_base_and_keeps_its_sign():
    assert percent_change(None, 5) is None
    assert percent_change(0, 5) is None
    assert percent_change(10, None) is None
    assert percent_change(60, 45) == Decimal("-25.0")
    assert percent_change(-10, -5) == Decimal("50.0")
    assert percent_change("3", "4") == Decimal("33.3")


def test_a_number_that_was_missing_has_no_percent():
    diff = diff_snapshots(changed(mql_threshold=None), snapshot())

    (change,) = section(diff, "qualification").fields
    assert (change.old, change.new, change.percent) == ("—", "60", None)
    assert change.percent_display == ""


def test_text_changes_are_shown_word_by_word():
    diff = diff_snapshots(
        snapshot(),
        changed(
            goal_statement="Marketing and sales together win EUR 1.5M of new and renewed "
            "revenue in 2027."
        ),
    )

    (change,) = section(diff, "goal").fields
    assert change.kind == "text"
    assert change.segments == (
        ("equal", "Marketing and sales together win EUR "),
        ("delete", "1.2M"),
        ("insert", "1.5M"),
        ("equal", " of new"),
        ("insert", " and renewed"),
        ("equal", " revenue in 2027."),
    )
    assert "".join(text for _op, text in change.old_segments) == change.old
    assert "".join(text for _op, text in change.new_segments) == change.new
    assert diff.summary_lines() == ["3. Shared goal: shared goal changed"]


def test_neighbouring_replaced_words_stay_one_change():
    assert word_segments("ship the red box today", "ship a blue crate today") == (
        ("equal", "ship "),
        ("delete", "the red box"),
        ("insert", "a blue crate"),
        ("equal", " today"),
    )


@given(st.text(alphabet="ab \n", max_size=30), st.text(alphabet="ab \n", max_size=30))
def test_word_segments_rebuild_both_texts(old, new):
    segments = word_segments(old, new)

    assert "".join(text for op, text in segments if op != "insert") == old
    assert "".join(text for op, text in segments if op != "delete") == new


def test_short_texts_are_quoted_in_the_summary():
    diff = diff_snapshots(snapshot(), changed(title="Acme SLA 2028", currency="USD"))

    assert diff.summary_lines() == [
        "1. Parties and signatories: title “Acme SLA 2027” -> “Acme SLA 2028”",
        "3. Shared goal: currency “EUR” -> “USD”",
    ]


def test_choices_are_shown_with_their_labels():
    diff = diff_snapshots(snapshot(), changed(review_cadence="monthly", signing_order="sequential"))

    cadence = section(diff, "term").fields[0]
    assert (cadence.kind, cadence.old, cadence.new) == ("choice", "Quarterly", "Monthly")
    assert section(diff, "parties").fields[0].new == (
        "In order: marketing lead, sales lead, then the others"
    )


def test_people_are_compared_by_email_and_shown_by_name():
    renamed = {**SAM, "name": "Samuel Becker", "id": 99}
    assert diff_snapshots(snapshot(), changed(sales_lead=renamed)).is_empty

    diff = diff_snapshots(snapshot(), changed(sales_lead=NINA))
    (change,) = section(diff, "parties").fields
    assert (change.kind, change.old, change.new) == ("person", "Sam Becker", "Nina Novak")


def test_two_people_of_the_same_name_are_told_apart_by_email():
    namesake = {**SAM, "email": "sam.becker@acme.example"}

    (change,) = section(diff_snapshots(snapshot(), changed(sales_lead=namesake)), "parties").fields

    assert change.old == "Sam Becker <sam@acme.example>"
    assert change.new == "Sam Becker <sam.becker@acme.example>"


def test_dates_are_compared_as_iso_and_shown_localised():
    diff = diff_snapshots(snapshot(), changed(effective_date="2027-02-01"))

    (change,) = section(diff, "term").fields
    assert (change.kind, change.old, change.new) == ("date", "Jan. 1, 2027", "Feb. 1, 2027")


def test_added_removed_and_changed_rows_are_counted():
    new = snapshot()
    new["rows"]["kpis"] = [
        kpi("Leads per month", "2826.00", funnel_stage="leads"),
        kpi("Response time to MQLs", "12.00", frequency="weekly"),
        kpi("SQL acceptance rate", "80.00", unit="percent", owner_team="sales"),
    ]

    diff = diff_snapshots(snapshot(), new)

    kpis = rows(diff, "kpis", "kpis")
    assert kpis.counts == {"added": 1, "removed": 1, "changed": 1}
    assert [(c.status, c.label) for c in kpis.changes] == [
        ("removed", "Cost per lead"),
        ("changed", "Response time to MQLs"),
        ("added", "SQL acceptance rate"),
    ]
    (response_time,) = kpis.changed
    assert [(f.name, f.old, f.new) for f in response_time.fields] == [
        ("target", "24", "12"),
        ("frequency", "Monthly", "Weekly"),
    ]
    assert response_time.fields[0].percent == Decimal("-50.0")
    assert ("Unit", "%") in [(label.capitalize(), value) for label, value in kpis.added[0].values]
    assert diff.summary_lines() == ["9. KPIs: 1 added, 1 removed, 1 changed"]
    assert section(diff, "kpis").counts == {
        "fields": 0,
        "added": 1,
        "removed": 1,
        "changed": 1,
        "funnel": 0,
    }


def test_moving_a_row_is_not_a_change():
    new = snapshot()
    new["rows"]["stages"].reverse()

    assert diff_snapshots(snapshot(), new).is_empty


def test_a_row_whose_key_changed_in_place_counts_as_changed():
    new = snapshot()
    new["rows"]["stages"][2]["name"] = "Marketing-qualified lead"

    stages = rows(diff_snapshots(snapshot(), new), "definitions", "stages")

    (change,) = stages.changes
    assert (change.status, change.old_label, change.label) == (
        "changed",
        "MQL",
        "Marketing-qualified lead",
    )
    assert (change.old_position, change.new_position) == (2, 2)
    assert [(f.name, f.old, f.new) for f in change.fields] == [
        ("name", "MQL", "Marketing-qualified lead")
    ]


def test_a_row_whose_key_changed_and_that_moved_is_removed_and_added():
    new = snapshot()
    renamed = new["rows"]["stages"].pop(2)
    new["rows"]["stages"].append({**renamed, "name": "Marketing-qualified lead"})

    stages = rows(diff_snapshots(snapshot(), new), "definitions", "stages")

    assert [(c.status, c.label) for c in stages.changes] == [
        ("removed", "MQL"),
        ("added", "Marketing-qualified lead"),
    ]


def test_keys_ignore_case_and_spacing():
    new = snapshot()
    new["rows"]["stages"].reverse()
    new["rows"]["stages"][0]["name"] = "sql"
    new["rows"]["stages"][1]["name"] = "  MQL "

    stages = rows(diff_snapshots(snapshot(), new), "definitions", "stages")

    assert [
        (c.old_position, c.new_position, [f.name for f in c.fields]) for c in stages.changes
    ] == [
        (3, 0, ["name"]),
        (2, 1, ["name"]),
    ]


def test_definitions_match_by_standard_key_before_term():
    new = snapshot()
    new["rows"]["definitions"].reverse()
    new["rows"]["definitions"][1]["term"] = "Marketing-qualified lead"

    definitions = rows(diff_snapshots(snapshot(), new), "definitions", "definitions")

    (change,) = definitions.changes
    assert (change.status, change.old_label, change.label) == (
        "changed",
        "MQL",
        "Marketing-qualified lead",
    )


def test_repeated_keys_pair_up_in_order():
    assert match_rows("steps", snapshot()["rows"]["steps"], snapshot()["rows"]["steps"]) == [
        (0, 0),
        (1, 1),
        (2, 2),
    ]
    new = snapshot()
    new["rows"]["steps"][1]["note"] = "Second call, leave a voicemail"

    steps = rows(diff_snapshots(snapshot(), new), "follow_up", "steps")

    (change,) = steps.changes
    assert (change.label, change.old_position) == ("Day 1: Phone", 1)


def test_signatories_are_matched_by_email():
    new = snapshot()
    new["rows"]["signatories"] = [{"user": {**NINA, "name": "Nina N."}, "capacity": "Sponsor"}]

    signatories = rows(diff_snapshots(snapshot(), new), "parties", "signatories")

    (change,) = signatories.changes
    assert change.status == "changed"
    assert [f.name for f in change.fields] == ["capacity"]


def test_rates_are_shown_as_people_write_them():
    new = snapshot()
    new["rows"]["streams"][0]["win_rate"] = "0.25000000"
    new["rows"]["streams"][0]["mql_to_sql_rate"] = "0.50000000"

    streams = rows(diff_snapshots(snapshot(), new), "kpis", "streams")

    (change,) = streams.changes
    assert [(f.name, f.old, f.new, f.percent) for f in change.fields] == [
        ("win_rate", "23%", "25%", Decimal("8.7")),
        ("mql_to_sql_rate", "1/3", "50%", Decimal("50.0")),
    ]


def test_funnel_targets_before_and_after():
    new = snapshot()
    new["funnel"] = funnel(leads=42389, mqls=11940, months=18)

    diff = diff_snapshots(snapshot(), new)

    assert diff.funnel is section(diff, "kpis").funnel
    assert [(s.key, s.old, s.new, s.percent) for s in diff.funnel.changed_stages] == [
        ("leads", 33911, 42389, Decimal("25.0")),
        ("mqls", 9552, 11940, Decimal("25.0")),
    ]
    assert [s.key for s in diff.funnel.stages] == [
        "leads",
        "mqls",
        "sqls",
        "opportunities",
        "deals",
    ]
    assert (diff.funnel.old_months, diff.funnel.new_months) == (12, 18)
    assert diff.counts["kpis"] == 3
    assert diff.summary_lines() == [
        "9. Funnel targets: Leads 33,911 -> 42,389 (+25.0%); MQLs 9,552 -> 11,940 (+25.0%); "
        "term 12 -> 18 months"
    ]


def test_a_funnel_that_stops_computing_is_a_change():
    new = snapshot()
    new["funnel"] = None

    diff = diff_snapshots(snapshot(), new)

    assert not diff.funnel.new_computed
    assert diff.funnel.stages[0].new is None
    assert diff.summary_lines() == ["9. Funnel targets: no longer computed"]


def test_a_kind_missing_from_an_older_snapshot_counts_as_empty():
    old = snapshot()
    del old["rows"]["kpis"]

    kpis = rows(diff_snapshots(old, snapshot()), "kpis", "kpis")

    assert kpis.counts == {"added": 3, "removed": 0, "changed": 0}
