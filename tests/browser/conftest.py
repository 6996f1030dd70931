import pytest

from organizations.demo import seed_demo


@pytest.fixture
def demo(transactional_db):
    return seed_demo()
