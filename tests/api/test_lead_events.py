"""POST /api/v1/agreements/{pk}/lead-events: the CRM's feed. Each event is stored once, bad ones
are rejected one by one with their reasons, and the measure follows."""

import pytest

from api.models import ApiCall, Scope
from compliance.models import EventBatch, LeadEvent, Measurement
from tests.compliance import scenario as s


@pytest.fixture
def feed(api, token_for):
    return api.as_(token_for(Scope.EVENTS))


def url(agreement):
    return f"/api/v1/agreements/{agreement.pk}/lead-events"


def test_events_are_stored_once_and_each_rejection_says_why(feed, berlin_agreement):
    body = s.EVENTS + s.DUPLICATES + s.REJECTED
    answer = feed.call("POST", url(berlin_agreement), body)

    assert answer.status_code == 200, answer.content
    result = answer.json()
    assert result["received"] == len(body)
    assert result["stored"] == len(s.EVENTS) == LeadEvent.objects.count()
    assert result["duplicates"] == 2
    assert result["rejected"] == 4
    rejections = {item["index"]: item for item in result["rejections"]}
    first_bad = len(s.EVENTS) + len(s.DUPLICATES)
    assert list(rejections[first_bad]["errors"]) == ["event"]
    assert "“called” is not an event" in rejections[first_bad]["errors"]["event"][0]
    assert rejections[first_bad + 1]["errors"] == {"lead_id": ["This field is required."]}
    assert "no time zone offset" in rejections[first_bad + 2]["errors"]["occurred_at"][0]
    assert rejections[first_bad + 3]["lead_id"] == "J"

    again = feed.call("POST", url(berlin_agreement), s.EVENTS).json()
    assert (again["stored"], again["duplicates"]) == (0, len(s.EVENTS))

    batch = EventBatch.objects.order_by("id").first()
    assert (batch.channel, batch.stored, batch.rejected) == ("api", len(s.EVENTS), 4)
    assert batch.api_token.scopes == ["events"]
    assert ApiCall.objects.filter(path=url(berlin_agreement), status=200).count() == 2


def test_stored_events_are_measured(feed, berlin_agreement, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        feed.call("POST", url(berlin_agreement), s.EVENTS)

    measurement = Measurement.objects.get(agreement=berlin_agreement)
    # No broker in tests: the refresh ran after the commit, in-process.
    assert not measurement.stale and measurement.events == len(s.EVENTS)
    assert measurement.leads == 7


@pytest.mark.parametrize(
    "body, status, message",
    [
        ('{"lead_id": "A"}', 400, "Send a JSON array of events."),
        ("[{", 400, "The body is not valid JSON."),
        ("", 400, "Send a JSON array of events."),
        ('["text", 5]', 200, None),
    ],
)
def test_a_body_that_is_not_an_array_of_events(feed, berlin_agreement, body, status, message):
    answer = feed.call("POST", url(berlin_agreement), body)
    assert answer.status_code == status
    if message:
        assert answer.json()["errors"]["events"] == [message]
    else:
        assert answer.json()["rejected"] == 2
        assert answer.json()["rejections"][0]["errors"] == {"event": ["Must be an object."]}


def test_more_than_ten_thousand_events_are_refused_whole(feed, berlin_agreement):
    body = [s.ev(f"L{n}", "mql", s.at(1, 5, 9)) for n in range(10_001)]
    answer = feed.call("POST", url(berlin_agreement), body)
    assert answer.status_code == 413
    assert (
        "At most 10,000 events per request; this has 10,001" in answer.json()["errors"]["events"][0]
    )
    assert not LeadEvent.objects.exists()


def test_hostile_values_are_rejected_not_crashed(feed, berlin_agreement):
    body = [
        {"lead_id": ["A"], "event": "mql", "occurred_at": s.at(1, 5, 9)},
        {"lead_id": "A" * 101, "event": "mql", "occurred_at": s.at(1, 5, 9)},
        {"lead_id": "A\x00", "event": "mql", "occurred_at": s.at(1, 5, 9)},
        {"lead_id": "A", "event": "won", "occurred_at": s.at(1, 5, 9), "amount": "1e400"},
        {"lead_id": "A", "event": "won", "occurred_at": s.at(1, 5, 9), "amount": True},
        {"lead_id": "A", "event": "mql", "occurred_at": "9999-01-01T00:00:00+00:00"},
        {"lead_id": "=HYPERLINK()", "event": "mql", "occurred_at": s.at(1, 5, 9)},
    ]
    answer = feed.call("POST", url(berlin_agreement), body)
    assert answer.status_code == 200
    result = answer.json()
    assert result["rejected"] == 6 and result["stored"] == 1
    fields = [list(item["errors"]) for item in result["rejections"]]
    assert fields == [
        ["lead_id"],
        ["lead_id"],
        ["lead_id"],
        ["amount"],
        ["amount"],
        ["occurred_at"],
    ]
