"""Who may call what: every endpoint against every kind of token (a matrix), and the owners'
token page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from api.models import ApiToken, Scope
from api.tokens import create_token, revoke_token
from organizations.models import Organization

from .test_endpoints import DOCUMENTED

SCOPE_OF = {"GET": Scope.READ, "POST": Scope.WRITE, "PUT": Scope.WRITE}
# Operations whose scope is not their method's: the CRM's feed of lead events.
SCOPE_OF_PATH = {"/api/v1/agreements/{pk}/lead-events": Scope.EVENTS}
PUBLIC = {"/api/v1/funnel/calculate"}
OWN = {"/api/v1/agreements"}  # scoped by the token itself, not by an id in the path


def _concrete(path: str, version) -> str:
    return path.format(pk=version.agreement_id, number=version.number, section="goal")


def _body(method: str, path: str):
    if path == "/api/v1/agreements" and method == "POST":
        return {"title": "Matrix"}
    if path.endswith("/lead-events"):
        return [{"lead_id": "L1", "event": "mql", "occurred_at": "2027-01-05T09:00:00+01:00"}]
    return {"fields": {}} if method == "PUT" else None


@pytest.fixture
def tokens(organization, outsider, marketing_lead, token_for):
    other = Organization.objects.get(slug="globex")
    revoked = token_for(Scope.READ, Scope.WRITE)
    revoke_token(ApiToken.objects.get(prefix=revoked[:13]), by=marketing_lead)
    expired = token_for(Scope.READ, Scope.WRITE)
    ApiToken.objects.filter(prefix=expired[:13]).update(expires_at=timezone.now())
    return {
        "none": None,
        "unknown": "slap_" + "x" * 43,
        "revoked": revoked,
        "expired": expired,
        "events only": token_for(Scope.EVENTS),
        "other organisation": create_token(
            organization=other, created_by=outsider, name="theirs", scopes=list(Scope.values)
        )[1],
        "read": token_for(Scope.READ),
        "write": token_for(Scope.WRITE),
    }


@pytest.mark.parametrize("method,path", sorted(DOCUMENTED))
def test_every_endpoint_answers_each_kind_of_token_as_it_should(
    api, submitted, tokens, method, path
):
    url = _concrete(path, submitted)
    needed = SCOPE_OF_PATH.get(path, SCOPE_OF[method])
    for kind, token in tokens.items():
        answer = api.as_(token).call(method, url, _body(method, path))
        if path in PUBLIC:
            expected = {400}  # no token needed; an empty plan is refused for what it lacks
        elif kind in {"none", "unknown", "revoked", "expired"}:
            expected = {401}
        elif kind in {"events only", "read", "write"} and kind.split()[0] != needed:
            expected = {403}
        elif kind == "other organisation":
            # Their list holds none of ours, a new draft is theirs, anything of ours is unknown.
            expected = {"GET": {200}, "POST": {201}}[method] if path in OWN else {404}
        else:
            expected = {200, 201, 409}  # 409: the submitted agreement is no draft any more
        assert answer.status_code in expected, (kind, method, url, answer.content[:300])
        if answer.status_code >= 400:
            assert answer.json()["errors"], (kind, method, url)
        if kind == "other organisation" and answer.status_code == 200:
            assert answer.json()["count"] == 0
        if kind == "other organisation" and answer.status_code == 201:
            assert Agreement.objects.get(pk=answer.json()["id"]).organization.slug == "globex"


def test_the_refusals_say_why(api, tokens, submitted):
    def message(kind):
        answer = api.as_(tokens[kind]).call("GET", "/api/v1/agreements")
        return answer.json()["errors"]["__all__"][0]

    assert "Send an API token" in message("none")
    assert "not known" in message("unknown")
    assert "revoked" in message("revoked")
    assert "expired" in message("expired")
    assert "'read' scope" in message("events only")


def test_only_a_hash_of_the_token_is_stored(organization, marketing_lead):
    row, token = create_token(
        organization=organization, created_by=marketing_lead, name="CRM", scopes=["read"]
    )

    stored = " ".join(
        str(value) for value in ApiToken.objects.filter(pk=row.pk).values().get().values()
    )
    assert token not in stored and token[13:] not in stored
    assert row.prefix == token[:13]


def test_an_owner_creates_a_token_sees_it_once_and_revokes_it(client_for, marketing_lead):
    client = client_for(marketing_lead)
    url = reverse("api_tokens", args=["acme"])
    tomorrow = (timezone.localdate() + timedelta(days=30)).isoformat()

    created = client.post(
        url, {"name": "HubSpot", "scopes": ["read", "write"], "expires_on": tomorrow}
    )
    shown = client.get(url).content.decode()
    again = client.get(url).content.decode()

    assert created.status_code == 302
    token = ApiToken.objects.get(name="HubSpot")
    assert 'data-testid="new-token"' in shown and token.prefix in shown
    assert 'data-testid="new-token"' not in again  # shown once
    assert token.scopes == ["read", "write"] and token.expires_at is not None
    client.post(reverse("api_token_revoke", args=["acme", token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == marketing_lead


def test_bad_token_requests_are_named_next_to_the_field(client_for, marketing_lead):
    client = client_for(marketing_lead)
    url = reverse("api_tokens", args=["acme"])
    client.post(url, {"name": "CRM", "scopes": ["read"]})

    duplicate = client.post(url, {"name": "CRM", "scopes": ["read"]})
    no_scope = client.post(url, {"name": "Other"})
    past = client.post(url, {"name": "Old", "scopes": ["read"], "expires_on": "2020-01-01"})

    assert duplicate.status_code == no_scope.status_code == past.status_code == 400
    assert "exists already" in duplicate.content.decode()
    assert "Choose at least one scope." in no_scope.content.decode()
    assert "Choose a date after today." in past.content.decode()
    assert ApiToken.objects.count() == 1


def test_only_owners_manage_tokens(client_for, sales_lead, viewer, outsider, organization):
    url = reverse("api_tokens", args=["acme"])
    assert client_for(sales_lead).get(url).status_code == 403
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
