from datetime import date
from decimal import Decimal

import pytest

from tests import factories


@pytest.fixture
def agreement(organization, marketing_lead, sales_lead):
    """A complete draft from the recommended template, both leads named."""
    return factories.agreement_from_template(
        organization,
        marketing_lead,
        marketing_lead=marketing_lead,
        sales_lead=sales_lead,
        effective_date=date(2027, 1, 1),
        end_date=date(2027, 12, 31),
        revenue_target=Decimal("1200000"),
    )
