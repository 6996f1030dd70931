"""The /api/v1/ endpoints on real data: what they answer, what they change, what they refuse."""

import json

from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from agreements.models import Agreement, AgreementStatus, AuditEntry, Kpi, PdfStatus
from api.models import ApiCall, Scope
from tests import factories


def test_the_agreement_list_pages_and_filters(api, organization, marketing_lead, agreement):
    for number in range(30):
        factories.AgreementFactory(organization=organization, title=f"Regional SLA {number:02}")

    first = api.call("GET", "/api/v1/agreements?page_size=20").json()
    second = api.call("GET", "/api/v1/agreements?page_size=20&page=2").json()
    drafts = api.call("GET", "/api/v1/agreements?status=draft&page_size=100").json()

    assert (first["count"], first["pages"], len(first["results"])) == (31, 2, 20)
    assert len(second["results"]) == 11
    assert {row["id"] for row in first["results"]}.isdisjoint(r["id"] for r in second["results"])
    assert drafts["count"] == 31 and all(row["status"] == "draft" for row in drafts["results"])
    assert api.call("GET", "/api/v1/agreements?status=archived").status_code == 400


def test_an_agreement_reads_as_structured_sections(api, agreement):
    answer = api.call("GET", f"/api/v1/agreements/{agreement.pk}")

    assert answer.status_code == 200
    data = answer.json()
    assert data["title"] == agreement.title and data["status"] == "draft"
    parties = data["sections"]["parties"]["fields"]
    assert parties["marketing_lead"]["email"] == "maria@example.com"
    assert data["sections"]["goal"]["fields"]["revenue_target"] == "1200000.00"
    kpis = data["sections"]["kpis"]["rows"]["kpis"]
    assert kpis and {"id", "name", "owner_team", "target", "unit"} <= kpis[0].keys()
    assert data["versions"] == []


WEEKLY = {"name": "Weekly pipeline", "cadence": "weekly", "duration_minutes": 30,
          "attendees": "Both leads"}  # fmt: skip


def test_a_draft_is_created_from_the_template_with_section_changes(api, organization):
    body = {
        "title": "Partner channel SLA",
        "language": "de",
        "sections": {
            "goal": {"fields": {"revenue_target": "2500000.50", "currency": "usd"}},
            "meetings": {"rows": {"meetings": [WEEKLY]}},
        },
    }  # fmt: skip

    answer = api.call("POST", "/api/v1/agreements", body)

    assert answer.status_code == 201, answer.content
    created = Agreement.objects.get(pk=answer.json()["id"])
    assert (created.organization, created.language, created.status) == (organization, "de", "draft")
    assert (str(created.revenue_target), created.currency) == ("2500000.50", "USD")
    assert [m.name for m in created.meeting_rows.all()] == ["Weekly pipeline"]
    assert created.kpi_rows.exists()  # the template's KPIs came along
    entries = AuditEntry.objects.filter(agreement=created)
    assert entries.exists() and all(
        entry.detail.get("via", {}).get("api_token") for entry in entries
    ), "every change made through the API says so in the audit trail"


def test_bad_input_is_named_field_by_field_and_nothing_is_stored(api, organization):
    before = Agreement.objects.count()
    body = {
        "title": "Broken",
        "sections": {
            "goal": {"fields": {"revenue_target": "lots", "colour": "red"}},
            "kpis": {"rows": {"streams": [{"name": "SMB", "share": "abc"}]}},
            "nowhere": {"fields": {}},
        },
    }

    answer = api.call("POST", "/api/v1/agreements", body)

    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert "sections.nowhere" in errors
    assert Agreement.objects.count() == before


def test_bad_section_values_are_named_with_their_path(api, agreement):
    url = f"/api/v1/agreements/{agreement.pk}/sections/kpis"
    unknown = api.call("PUT", url, {"fields": {"colour": 1}, "rows": {"lanes": []}})
    bad_row = api.call("PUT", url, {"rows": {"streams": [{"name": "SMB", "share": "abc"}]}})

    assert unknown.status_code == bad_row.status_code == 400
    assert unknown.json()["errors"].keys() == {"fields.colour", "rows.lanes"}
    errors = bad_row.json()["errors"]
    assert "not a number" in errors["rows.streams[0].share"][0]
    assert "rows.streams[0].win_rate" in errors  # required, and not given for a new row
    hostile = api.call("PUT", url, {"rows": {"kpis": [{"id": [1]}, {"id": "7"}]}})
    not_a_row = api.call("PUT", url, {"rows": {"kpis": [3]}})
    assert hostile.status_code == not_a_row.status_code == 400
    assert hostile.json()["errors"].keys() == {"rows.kpis[0].id", "rows.kpis[1].id"}
    assert not_a_row.json()["errors"].keys() == {"rows.kpis[0]"}
    assert api.call("POST", "/api/v1/agreements", "{not json").status_code == 400


def test_a_section_update_sets_fields_and_replaces_row_lists(api, agreement, marketing_lead):
    url = f"/api/v1/agreements/{agreement.pk}/sections"
    meetings = api.call("GET", f"/api/v1/agreements/{agreement.pk}").json()["sections"]
    kept, *_others = meetings["meetings"]["rows"]["meetings"]
    change = {
        "fields": {"dispute_process": "The CRO decides within five working days."},
        "rows": {"meetings": [{"id": kept["id"], "duration_minutes": 45},
                              {"name": "Quarterly review", "cadence": "quarterly",
                               "duration_minutes": 90, "attendees": "Leads and CRO"}]},
    }  # fmt: skip

    answer = api.call("PUT", f"{url}/meetings", change)

    assert answer.status_code == 200, answer.content
    agreement.refresh_from_db()
    assert agreement.dispute_process == "The CRO decides within five working days."
    rows = {m.name: m for m in agreement.meeting_rows.all()}
    assert rows[kept["name"]].duration_minutes == 45
    assert "Quarterly review" in rows and len(rows) == 2  # the others were removed
    assert answer.json()["fields"]["dispute_process"].startswith("The CRO")


def test_only_drafts_change_and_submit_freezes_a_version(api, agreement, settings):
    submitted = api.call("POST", f"/api/v1/agreements/{agreement.pk}/submit")

    assert submitted.status_code == 201, submitted.content
    version = submitted.json()
    assert version["number"] == 1 and version["state"] == "in_signature"
    assert {s["email"] for s in version["signatories"]} == {"maria@example.com", "sam@example.com"}
    assert all(s["status"] == "pending" for s in version["signatories"])
    again = api.call("POST", f"/api/v1/agreements/{agreement.pk}/submit")
    edit = api.call("PUT", f"/api/v1/agreements/{agreement.pk}/sections/goal", {"fields": {}})
    assert again.status_code == edit.status_code == 409
    assert "draft" in again.json()["errors"]["__all__"][0]


def test_an_incomplete_draft_is_refused_with_what_each_section_lacks(api, organization):
    created = api.call("POST", "/api/v1/agreements", {"title": "Half done"}).json()

    answer = api.call("POST", f"/api/v1/agreements/{created['id']}/submit")

    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert "sections.parties" in errors and "sections.term" in errors
    assert Agreement.objects.get(pk=created["id"]).status == AgreementStatus.DRAFT


def test_pdfs_download_once_ready_and_say_when_not(api, sealed):
    base = f"/api/v1/agreements/{sealed.agreement_id}/versions/{sealed.number}"

    detail = api.call("GET", base).json()
    contract = api.call("GET", f"{base}/pdf")
    signed = api.call("GET", f"{base}/signed-pdf")

    assert detail["state"] == "signed" and detail["signed_pdf_status"] == "ready"
    assert all(s["status"] == "signed" for s in detail["signatories"])
    assert contract.status_code == signed.status_code == 200
    assert b"".join(signed.streaming_content).startswith(b"%PDF")
    assert contract["Content-Type"] == "application/pdf"
    sealed.signed_pdf_status = PdfStatus.RENDERING
    sealed.save(update_fields=["signed_pdf_status"])
    waiting = api.call("GET", f"{base}/signed-pdf")
    assert waiting.status_code == 409 and "not ready" in waiting.json()["errors"]["__all__"][0]
    assert api.call("GET", f"{base[:-1]}9").status_code == 404


def test_reviews_and_the_agreements_funnel(api, agreement):
    reviews = api.call("GET", f"/api/v1/agreements/{agreement.pk}/reviews")
    funnel = api.call("GET", f"/api/v1/agreements/{agreement.pk}/funnel")

    assert reviews.status_code == 200 and reviews.json() == []
    assert funnel.status_code == 200
    figures = funnel.json()
    assert int(figures["stages"]["deals"]) > 0 and len(figures["months"]) >= 12


def test_the_public_calculator_answers_on_both_paths(client):
    plan = {"revenue_target": "1000000", "average_deal_size": "20000", "win_rate": "25%",
            "sql_to_opportunity_rate": "50%", "mql_to_sql_rate": "40%",
            "lead_to_mql_rate": "10%"}  # fmt: skip

    new = client.post("/api/v1/funnel/calculate", json.dumps(plan), "application/json")
    old = client.post("/api/funnel/calculate", json.dumps(plan), "application/json")
    bad = client.post("/api/v1/funnel/calculate", "{}", "application/json")

    assert new.status_code == old.status_code == 200
    assert new.json() == old.json()
    assert bad.status_code == 400 and "revenue_target" in bad.json()["errors"]


def test_api_calls_are_logged_and_the_token_marked_used(api, agreement, organization):
    api.call("GET", f"/api/v1/agreements/{agreement.pk}")
    api.call("GET", "/api/v1/agreements/999999")

    calls = list(ApiCall.objects.order_by("pk").values_list("method", "path", "status"))
    assert calls == [
        ("GET", f"/api/v1/agreements/{agreement.pk}", 200),
        ("GET", "/api/v1/agreements/999999", 404),
    ]
    assert ApiCall.objects.filter(organization=organization).count() == 2
    assert organization.api_tokens.get().last_used_at is not None


@override_settings(API_RATE_LIMIT=3)
def test_too_many_calls_get_429_with_retry_after(api):
    answers = [api.call("GET", "/api/v1/agreements") for _ in range(5)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    assert answers[-1]["Retry-After"] == "60"
    assert "Too many" in answers[-1].json()["errors"]["__all__"][0]


@override_settings(MAX_REQUEST_BYTES=1000)
def test_an_oversized_body_is_refused_unread_in_the_error_shape(api):
    answer = api.call("POST", "/api/v1/agreements", {"title": "x" * 2000})

    assert answer.status_code == 413
    assert "larger than" in answer.json()["errors"]["__all__"][0]


def test_the_openapi_document_is_valid_and_describes_every_endpoint(client):
    document = client.get("/api/v1/openapi.json").json()

    validate(document)
    operations = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    assert operations == DOCUMENTED, "a new endpoint needs its tests (and this list) updated"
    assert client.get("/api/v1/docs").status_code == 200


DOCUMENTED = {
    ("GET", "/api/v1/agreements"),
    ("POST", "/api/v1/agreements"),
    ("GET", "/api/v1/agreements/{pk}"),
    ("PUT", "/api/v1/agreements/{pk}/sections/{section}"),
    ("POST", "/api/v1/agreements/{pk}/submit"),
    ("GET", "/api/v1/agreements/{pk}/versions/{number}"),
    ("GET", "/api/v1/agreements/{pk}/versions/{number}/pdf"),
    ("GET", "/api/v1/agreements/{pk}/versions/{number}/signed-pdf"),
    ("GET", "/api/v1/agreements/{pk}/reviews"),
    ("GET", "/api/v1/agreements/{pk}/funnel"),
    ("POST", "/api/v1/agreements/{pk}/lead-events"),
    ("GET", "/api/v1/funnel/calculate"),
    ("POST", "/api/v1/funnel/calculate"),
}


def test_the_list_and_detail_queries_do_not_grow_with_the_data(
    api, agreement, organization, django_assert_max_num_queries
):
    def queries(path) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.call("GET", path).status_code == 200
        return len(captured)

    queries("/api/v1/agreements?page_size=100")  # the first counts the window in, marks use
    few = queries("/api/v1/agreements?page_size=100")
    for number in range(300):
        factories.AgreementFactory(organization=organization, title=f"SLA {number}")
    # The token, the rate limit (on the tests' database cache; none on Redis), the page, the log.
    with django_assert_max_num_queries(16):
        assert queries("/api/v1/agreements?page_size=100") == few
    with django_assert_max_num_queries(30):
        assert api.call("GET", f"/api/v1/agreements/{agreement.pk}").status_code == 200


def test_the_shell_command_creates_a_working_token(client, organization, marketing_lead, capsys):
    call_command("api_token", "create", "--org", "acme", "--name", "CRM", "--scopes", "read")
    token = capsys.readouterr().out.strip()

    answer = client.get("/api/v1/agreements", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert answer.status_code == 200
    assert organization.api_tokens.get().scopes == [Scope.READ]
    assert Kpi.objects.count() >= 0
