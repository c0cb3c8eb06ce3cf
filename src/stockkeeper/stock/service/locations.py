"""Virtual locations: where stock comes from and goes to outside the company's own premises.

Every company has one of each kind. They take part in every movement and in conservation
(the quantities of an item over all locations, virtual ones included, sum to zero) but are
never listed by the API.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Location
from stockkeeper.core.ids import new_id

VIRTUAL = {
    "supplier": "Suppliers",
    "customer": "Customers",
    "loss": "Adjustments and losses",
    "transit": "In transit",
    "opening": "Opening balances",
}

_cache: dict[str, dict[str, str]] = {}


def create_virtual_locations(session: Session, company_id: str) -> None:
    existing = set(virtual_locations(session, company_id, cached=False))
    for kind, name in VIRTUAL.items():
        if kind not in existing:
            session.add(Location(id=new_id("loc"), company_id=company_id, name=name, type=kind))
    session.flush()


def virtual_locations(session: Session, company_id: str, *, cached: bool = True) -> dict[str, str]:
    """Kind -> location id. They never change once made, so a process may remember them."""
    if cached and company_id in _cache:
        return _cache[company_id]
    rows = session.execute(
        select(Location.type, Location.id).where(
            Location.company_id == company_id, Location.type.in_(VIRTUAL)
        )
    )
    found = {kind: ident for kind, ident in rows}
    if len(found) == len(VIRTUAL):
        _cache[company_id] = found
    return found
