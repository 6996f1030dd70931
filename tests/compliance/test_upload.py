"""The browser upload of lead events: a CRM's CSV export mapped, previewed, confirmed; errors by
line and column; nothing stored before a clean preview is confirmed; the mapping remembered."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance.csv_mapping import guess_columns, mapping_problems
from compliance.models import EventBatch, EventColumnMapping, LeadEvent
from compliance.upload_views import SESSION_KEY, UPLOAD_DIR
from tests import factories

from .conftest import sign_as_is

# A German CRM export: semicolons, German numbers, a UTF-8 BOM, and a lead column whose name
# no guess knows ("Kennung"); the others are common German and English names.
GERMAN = (
    "Kennung;Stage;Zeitpunkt;Quelle;Besitzer;Betrag;Grund\r\n"
    "G-1;MQL;2027-01-05 09:00;Webinar;Ola;;\r\n"
    "G-1;Won;2027-01-28T15:00:00+01:00;Webinar;Ola;2.500,00;\r\n"
    "C-7;Rejected;2027-01-14 12:00;Messe;Ben;;Kein Budget\r\n"
)
MAPPING = {
    "lead_id": "Kennung",
    "event": "Stage",
    "occurred_at": "Zeitpunkt",
    "source": "Quelle",
    "stream": "",
    "owner": "Besitzer",
    "reason": "Grund",
    "amount": "Betrag",
}


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_directory(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def stored_uploads() -> list[str]:
    try:
        return default_storage.listdir(UPLOAD_DIR)[1]
    except FileNotFoundError:
        return []


def export(text=GERMAN, name="export.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\xef\xbb\xbf" + text.encode("utf-8"), "text/csv")


def url(name, agreement):
    return reverse(name, kwargs={"pk": agreement.pk})


def upload(client, agreement, text=GERMAN, zone="Europe/Berlin"):
    return client.post(url("events_preview", agreement), {"file": export(text), "zone": zone})


def remap(client, agreement, token, mapping=MAPPING, zone="Europe/Berlin"):
    return client.post(url("events_preview", agreement), {"token": token, "zone": zone, **mapping})


def confirm(client, agreement, token):
    return client.post(url("events_confirm", agreement), {"token": token})


def mapping_for(text) -> dict:
    """MAPPING without the columns `text` (an export) lacks."""
    headers = text.splitlines()[0].split(";")
    return {name: header if header in headers else "" for name, header in MAPPING.items()}


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def stored_events(client, agreement, text=GERMAN, zone="Europe/Berlin"):
    token = upload(client, agreement, text, zone).context["token"]
    assert remap(client, agreement, token, mapping_for(text), zone=zone).status_code == 200
    return confirm(client, agreement, token)


def test_a_german_export_is_mapped_previewed_and_stored(client_for, sales_lead, berlin_agreement):
    client = client_for(sales_lead)
    response = upload(client, berlin_agreement)
    # The lead column cannot be guessed: said next to its select, the others are pre-selected.
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["lead_id"] == ["Choose the column that holds this; it is required."]
    assert {name: form[name].value() for name in ("event", "occurred_at", "amount")} == {
        "event": "Stage",
        "occurred_at": "Zeitpunkt",
        "amount": "Betrag",
    }
    assert form["owner"].value() == "Besitzer" and form["source"].value() == "Quelle"
    assert 'data-testid="confirm-form"' not in response.content.decode()
    token = response.context["token"]

    response = remap(client, berlin_agreement, token)
    assert response.status_code == 200
    check = response.context["check"]
    assert (check.rows, check.valid, check.invalid) == (3, 3, 0)
    page = response.content.decode()
    assert "2,500.00" in page  # the German amount read as 2500, echoed in the reader's format
    assert "Occurred at (Europe/Berlin)" in page
    assert LeadEvent.objects.count() == 0

    response = confirm(client, berlin_agreement, token)
    assert response.status_code == 302
    assert response.url == reverse("agreement_compliance", kwargs={"pk": berlin_agreement.pk})
    assert said(response) == ["Stored 3 new events; 0 were already stored."]
    events = {(e.lead_id, e.event): e for e in LeadEvent.objects.filter(agreement=berlin_agreement)}
    assert set(events) == {("G-1", "mql"), ("G-1", "won"), ("C-7", "rejected")}
    assert events["G-1", "mql"].occurred_at == datetime(2027, 1, 5, 8, 0, tzinfo=UTC)
    assert events["G-1", "won"].amount == Decimal("2500.00")
    assert events["G-1", "won"].occurred_at == datetime(2027, 1, 28, 14, 0, tzinfo=UTC)
    rejected = events["C-7", "rejected"]
    assert (rejected.reason, rejected.owner, rejected.source) == ("Kein Budget", "Ben", "Messe")
    batch = EventBatch.objects.get()
    assert (batch.channel, batch.filename, batch.created_by) == ("csv", "export.csv", sales_lead)
    assert (batch.received, batch.stored, batch.duplicates, batch.rejected) == (3, 3, 0, 0)
    assert rejected.batch == batch
    assert stored_uploads() == []  # the file kept for the preview is gone
    assert not client.session.get(SESSION_KEY)


BROKEN = (
    "Kennung;Stage;Zeitpunkt;Betrag\n"
    "A-1;mql;2027-01-05 09:00;\n"
    "A-1;called;2027-01-05 10:00;\n"
    ";won;2027-01-06 10:00;-5\n"
    "A-2;mql;yesterday;\n"
)


def test_errors_are_listed_by_line_and_column_and_nothing_is_stored(
    client_for, sales_lead, berlin_agreement
):
    client = client_for(sales_lead)
    token = upload(client, berlin_agreement, BROKEN).context["token"]
    response = remap(client, berlin_agreement, token, mapping_for(BROKEN))
    assert response.status_code == 400
    check = response.context["check"]
    assert (check.rows, check.valid, check.invalid) == (4, 1, 3)
    page = response.content.decode()
    assert "line 3, column Stage: “called” is not an event" in page
    assert "line 4, column Kennung: This field is required." in page
    assert "line 4, column Betrag: The amount cannot be negative." in page
    assert "line 5, column Zeitpunkt: “yesterday” is not a date and time" in page
    assert 'data-testid="confirm-form"' not in page

    response = confirm(client, berlin_agreement, token)  # posted anyway: refused
    assert response.status_code == 400
    assert response.context["refused"]
    assert LeadEvent.objects.count() == EventBatch.objects.count() == 0
    assert not EventColumnMapping.objects.exists()


def test_only_the_first_200_problems_are_listed(client_for, sales_lead, berlin_agreement):
    rows = "".join(f"L{n};called;2027-01-05 09:00;\n" for n in range(250))
    text = "Kennung;Stage;Zeitpunkt;Betrag\n" + rows
    client = client_for(sales_lead)
    token = upload(client, berlin_agreement, text).context["token"]
    response = remap(client, berlin_agreement, token, mapping_for(text))
    assert response.context["check"].invalid == 250
    page = response.content.decode()
    assert page.count("is not an event") == 200
    assert "line 201, column Stage" in page and "line 202, column Stage" not in page
    assert "and 50 more" in page


def test_a_preview_alone_stores_nothing(client_for, sales_lead, berlin_agreement):
    client = client_for(sales_lead)
    token = upload(client, berlin_agreement).context["token"]
    response = remap(client, berlin_agreement, token)
    assert response.status_code == 200 and response.context["clean"]
    assert LeadEvent.objects.count() == EventBatch.objects.count() == 0
    assert not EventColumnMapping.objects.exists()
    assert len(stored_uploads()) == 1  # kept aside for the confirmation


def test_the_same_file_again_stores_nothing_new(client_for, sales_lead, berlin_agreement):
    client = client_for(sales_lead)
    stored_events(client, berlin_agreement)
    response = stored_events(client, berlin_agreement)
    assert said(response) == ["Stored 0 new events; 3 were already stored."]
    assert LeadEvent.objects.count() == 3
    second = EventBatch.objects.order_by("id").last()
    assert (second.received, second.stored, second.duplicates) == (3, 0, 3)


def test_the_mapping_and_zone_are_remembered_and_preselected_next_time(
    client_for, marketing_lead, sales_lead, berlin_agreement
):
    stored_events(client_for(sales_lead), berlin_agreement, zone="America/New_York")
    remembered = EventColumnMapping.objects.get(organization=berlin_agreement.organization)
    assert remembered.columns == MAPPING and remembered.time_zone == "America/New_York"

    client = client_for(marketing_lead)  # the organisation's mapping, whoever uploads
    page = client.get(url("events_upload", berlin_agreement)).content.decode()
    assert '<option value="America/New_York" selected>' in page
    # Another export of the same CRM, its columns in another order: pre-selected, clean at once.
    reordered = "Betrag;Zeitpunkt;Stage;Kennung\n;2027-02-01 09:00;mql;N-1\n"
    response = upload(client, berlin_agreement, reordered, zone="America/New_York")
    assert response.status_code == 200 and response.context["clean"]
    form = response.context["form"]
    assert form["lead_id"].value() == "Kennung" and form["amount"].value() == "Betrag"
    assert '<option value="Kennung" selected>' in response.content.decode()


def test_times_without_an_offset_are_read_in_the_chosen_zone(
    client_for, sales_lead, berlin_agreement
):
    client = client_for(sales_lead)
    page = client.get(url("events_upload", berlin_agreement)).content.decode()
    assert '<option value="Europe/Berlin" selected>' in page  # the agreement's zone at first
    text = "Kennung;Stage;Zeitpunkt\nA;mql;2027-01-05 09:00\nB;mql;2027-01-05T09:00:00Z\n"
    token = upload(client, berlin_agreement, text, zone="America/New_York").context["token"]
    response = remap(client, berlin_agreement, token, mapping_for(text), zone="America/New_York")
    assert "Occurred at (America/New_York)" in response.content.decode()
    confirm(client, berlin_agreement, token)
    moments = dict(LeadEvent.objects.values_list("lead_id", "occurred_at"))
    assert moments["A"] == datetime(2027, 1, 5, 14, 0, tzinfo=UTC)  # 09:00 in New York
    assert moments["B"] == datetime(2027, 1, 5, 9, 0, tzinfo=UTC)  # as written


def test_viewers_are_refused_and_outsiders_see_nothing(
    client_for, viewer, outsider, sales_lead, berlin_agreement
):
    token = upload(client_for(sales_lead), berlin_agreement).context["token"]
    for user, status in ((viewer, 403), (outsider, 404)):
        client = client_for(user)
        assert client.get(url("events_upload", berlin_agreement)).status_code == status
        assert upload(client, berlin_agreement).status_code == status
        assert confirm(client, berlin_agreement, token).status_code == status
    assert LeadEvent.objects.count() == 0


def test_without_a_signed_version_the_page_explains_and_offers_no_form(
    client_for, organization, marketing_lead
):
    draft = factories.agreement_from_template(organization, marketing_lead)
    client = client_for(marketing_lead)
    response = client.get(url("events_upload", draft))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="no-signed-version"' in page
    assert "signed version in force" in page
    assert 'data-testid="upload-form"' not in page
    assert upload(client, draft).status_code == 400
    assert stored_uploads() == [] and LeadEvent.objects.count() == 0

    sign_as_is(draft, marketing_lead)
    page = client.get(url("events_upload", draft)).content.decode()
    assert 'data-testid="upload-form"' in page and "no-signed-version" not in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n1 0 obj<<>>endobj\n", "This is not a CSV file."),
        (b"PK\x03\x04" + bytes(range(256)) * 4, "This is not a CSV file."),
        (bytes(range(256)) * 8, "This is not a CSV file."),
        (b"\xef\xbb\xbf\r\n\r\n", "The file is empty."),
        (b"Kennung;Stage;Zeitpunkt\n", "The file has a header but no rows."),
    ],
)
def test_a_file_that_cannot_be_read_is_said_next_to_the_file_field(
    client_for, sales_lead, berlin_agreement, content, message
):
    response = client_for(sales_lead).post(
        url("events_preview", berlin_agreement),
        {"file": SimpleUploadedFile("export.csv", content), "zone": "Europe/Berlin"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"][0].startswith(message)
    page = response.content.decode()
    assert 'name="file"' in page and "is-invalid" in page and message in page
    assert stored_uploads() == [] and not response.wsgi_request.session.get(SESSION_KEY)


def test_a_stale_or_foreign_token_redirects_to_the_upload_with_a_message(
    client_for, organization, marketing_lead, sales_lead, berlin_agreement
):
    other = factories.agreement_from_template(organization, marketing_lead)
    sign_as_is(other, marketing_lead)
    client = client_for(sales_lead)
    token = upload(client, berlin_agreement).context["token"]
    remap(client, berlin_agreement, token)
    for response, agreement in (
        (confirm(client, other, token), other),  # another agreement's upload
        (remap(client, other, token), other),
        (confirm(client, berlin_agreement, "0" * 32), berlin_agreement),  # no such upload
        (confirm(client, berlin_agreement, ""), berlin_agreement),
    ):
        assert response.status_code == 302
        assert response.url == url("events_upload", agreement)
        assert "no longer waiting to be stored" in said(response)[0]
    assert LeadEvent.objects.count() == 0
    assert confirm(client, berlin_agreement, token).status_code == 302  # still its own: stored
    assert LeadEvent.objects.count() == 3
    again = confirm(client, berlin_agreement, token)  # a second click: already stored
    assert again.url == url("events_upload", berlin_agreement)
    assert LeadEvent.objects.count() == 3


def test_a_token_whose_file_is_gone_is_expired(client_for, sales_lead, berlin_agreement):
    client = client_for(sales_lead)
    token = upload(client, berlin_agreement).context["token"]
    default_storage.delete(client.session[SESSION_KEY][token]["path"])
    response = confirm(client, berlin_agreement, token)
    assert response.status_code == 302 and "Upload the file again" in said(response)[0]
    assert token not in client.session[SESSION_KEY]


def test_a_mapping_naming_another_column_or_one_twice_is_said_next_to_the_select(
    client_for, sales_lead, berlin_agreement
):
    client = client_for(sales_lead)
    token = upload(client, berlin_agreement).context["token"]
    response = remap(client, berlin_agreement, token, {**MAPPING, "owner": "Not a column"})
    assert response.status_code == 400
    assert "owner" in response.context["form"].errors and response.context["check"] is None
    response = remap(client, berlin_agreement, token, {**MAPPING, "reason": "Quelle"})
    assert response.context["form"].errors["reason"] == [
        "“Quelle” is already chosen for Lead source."
    ]
    assert confirm(client, berlin_agreement, token).status_code == 400  # what was last shown
    assert LeadEvent.objects.count() == 0
    response = remap(client, berlin_agreement, token, zone="Mars/Olympus")
    assert "zone" in response.context["form"].errors
    assert confirm(client, berlin_agreement, token).status_code == 400


HOSTILE = (
    "Kennung;Stage;Zeitpunkt;Quelle;Besitzer;Betrag\n"
    '=HYPERLINK("http://evil.example");mql;2027-01-05 09:00;<script>alert(1)</script>;;\n'
    f"A;{'x' * 50_000};2027-01-05 09:00;;;\n"
    f"{'L' * 5000};mql;0001-01-01 00:00;\u202eevil\u202c;;1e999999\n"
    "B;won;9999-12-31T23:59:59+14:00;;;NaN\n"
    "C;won;2027-01-05 09:00;;;99999999999999999999\n"
    'D;"mql\nwith a line break";2027-01-05 09:00;;;\n'
)


def test_hostile_cells_are_refused_cell_by_cell_never_a_server_error(
    client_for, sales_lead, berlin_agreement
):
    client = client_for(sales_lead)
    token = upload(client, berlin_agreement, HOSTILE).context["token"]
    response = remap(client, berlin_agreement, token, mapping_for(HOSTILE))
    assert response.status_code == 400
    check = response.context["check"]
    assert (check.rows, check.valid, check.invalid) == (6, 1, 5)
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "x" * 1000 not in page  # a message quoting a huge cell is cut
    assert "line 3, column Stage:" in page and "line 4, column Kennung: At most 100" in page
    assert "line 7, column Stage:" in page  # the line the quoted row starts on
    assert confirm(client, berlin_agreement, token).status_code == 400
    assert LeadEvent.objects.count() == 0


def test_a_huge_cell_or_a_wide_header_is_a_file_problem(client_for, sales_lead, berlin_agreement):
    client = client_for(sales_lead)
    huge = "Kennung;Stage;Zeitpunkt\nA;mql;" + "9" * 200_000 + "\n"
    wide = ";".join(f"c{n}" for n in range(300)) + "\n" + ";".join("1" * 300) + "\n"
    long_header = "Kennung;" + "H" * 500 + "\nA;b\n"
    for text in (huge, wide, long_header):
        response = upload(client, berlin_agreement, text)
        assert response.status_code == 400 and "file" in response.context["form"].errors
    assert stored_uploads() == []


def test_common_crm_headers_are_guessed_in_english_and_german():
    assert guess_columns(
        ["Record ID", "Activity", "Timestamp", "Lead Source", "Rep", "Amount"]
    ) == {
        "lead_id": "Record ID",
        "event": "Activity",
        "occurred_at": "Timestamp",
        "source": "Lead Source",
        "stream": "",
        "owner": "Rep",
        "reason": "",
        "amount": "Amount",
    }
    german = guess_columns(["Lead-ID", "Ereignis", "Datum", "Quelle", "Besitzer", "Grund"])
    assert [german[name] for name in ("lead_id", "event", "occurred_at", "owner", "reason")] == [
        "Lead-ID",
        "Ereignis",
        "Datum",
        "Besitzer",
        "Grund",
    ]
    exact = guess_columns(["amount", "occurred_at", "event", "lead_id", "Contact ID"])
    assert exact["lead_id"] == "lead_id" and exact["amount"] == "amount"
    # A remembered header this file lacks falls back to a guess; one it has wins.
    remembered = {"lead_id": "Kennung", "event": "Phase X"}
    guessed = guess_columns(["Kennung", "Stage", "Lead ID", "Date"], remembered)
    assert (guessed["lead_id"], guessed["event"], guessed["occurred_at"]) == (
        "Kennung",
        "Stage",
        "Date",
    )
    assert mapping_problems(["A", "B"], {"lead_id": "A", "event": "A", "occurred_at": "C"}) == {
        "event": "“A” is already chosen for Lead ID.",
        "occurred_at": "“C” is not a column of this file.",
    }
