from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(transactional_db):
    """Acme Corp as the README's first command seeds it."""
    call_command("seed_demo", stdout=StringIO())
