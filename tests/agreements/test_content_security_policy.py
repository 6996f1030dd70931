"""Every page carries a Content-Security-Policy: scripts only from the app's own origin."""

from django.urls import reverse


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (piece.strip() for piece in header.split(";"))
        if part
    }


def test_pages_allow_scripts_from_the_app_alone(client, db):
    directives = policy(client.get(reverse("account_login")))

    assert directives["default-src"] == "'self'"
    assert directives["script-src"].split()[0] == "'self'"  # a nonce joins when a page uses one
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'self'"
    assert directives["img-src"] == "'self' data:"


def test_a_pdf_is_served_without_a_page_policy(submitted, client_for, marketing_lead):
    url = reverse("version_pdf", args=[submitted.agreement_id, submitted.number])

    response = client_for(marketing_lead).get(url)

    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
