"""Setting up a new company with everything it starts with."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stockkeeper.accounting.service.accounts import create_standard_accounts
from stockkeeper.accounting.service.defaults import create_standard_defaults
from stockkeeper.accounting.service.tax_rates import create_standard_tax_rates
from stockkeeper.catalog.service.price_groups import create_default_price_groups
from stockkeeper.catalog.service.reasons import create_standard_reasons
from stockkeeper.stock.service.locations import create_virtual_locations
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import create_company


def provision_company(
    session: Session, *, name: str, currency: str = "USD", timezone: str = "UTC"
) -> Company:
    """Creates the company with its price groups, virtual locations, adjustment reasons,
    chart of accounts, tax rates and the defaults naming them."""
    company = create_company(session, name=name, currency=currency, timezone=timezone)
    create_default_price_groups(session, company.id)
    create_virtual_locations(session, company.id)
    create_standard_reasons(session, company.id)
    create_standard_accounts(session, company.id)
    create_standard_tax_rates(session, company.id)
    create_standard_defaults(session, company.id)
    return company
