import itertools

import pytest
from django.test import Client

from api.models import Scope
from api.tokens import create_token
from tests.agreements.conftest import agreement, sealed, submitted  # noqa: F401 (fixtures)
from tests.compliance.conftest import berlin_agreement  # noqa: F401 (fixtures)


@pytest.fixture
def token_for(organization, marketing_lead):
    """A token of the organisation with the given scopes; returns its secret text."""

    numbers = itertools.count(1)

    def make(*scopes, org=None, owner=None, **options):
        _row, token = create_token(
            organization=org or organization,
            created_by=owner or marketing_lead,
            name=f"token {next(numbers)}",
            scopes=list(scopes) or [Scope.READ],
            **options,
        )
        return token

    return make


@pytest.fixture
def api(token_for):
    """A client that sends a token with every scope; `api.as_(token)` switches token."""

    class ApiClient(Client):
        token = None

        def as_(self, token):
            self.token = token
            return self

        def call(self, method, path, body=None, **extra):
            headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}
            data = body if body is None or isinstance(body, str | bytes) else _json(body)
            return self.generic(method, path, data or "", "application/json", **headers, **extra)

    client = ApiClient()
    return client.as_(token_for(Scope.READ, Scope.WRITE))


def _json(body):
    import json

    return json.dumps(body)
