"""What Codat's records name of the company besides the record itself: its name and currency
(``subsidiaryRefs``, an account's currency) and its locations' names (``locationRef``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stockkeeper.catalog.service.locations import list_locations
from stockkeeper.compat.codat.render import Company
from stockkeeper.tenancy.service import Actor, get_company


def company_of(session: Session, actor: Actor, *, locations: bool = False) -> Company:
    company = get_company(session, actor.company_id)
    names = {at.id: at.name for at in list_locations(session, actor)} if locations else {}
    return Company(company.id, company.name, company.currency, names)
