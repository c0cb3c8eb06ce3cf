"""Items by the codes people type or scan (``catalog/service/item_codes.py``), on both
engines: a code or a barcode names its item exactly, and every unknown code is refused at
its own line."""

from __future__ import annotations

import pytest

from stockkeeper.catalog.service.item_codes import item_ids_of, items_by_code
from stockkeeper.core.db import Database
from stockkeeper.core.errors import UnknownReference
from tests.factories import new_item
from tests.support import Tenant, make_tenant, unique


def test_a_code_or_a_barcode_names_its_item_exactly(database: Database, tenant: Tenant) -> None:
    code, barcode = unique("CODE"), unique("955")
    with database.unit_of_work() as session:
        item_id = new_item(session, tenant.actor, item_code=code, barcode=barcode)
        other = new_item(session, tenant.actor, item_code=code + "-2")
        found = items_by_code(session, tenant.actor, codes=[code, barcode, code.lower(), "x"])
        assert {c: item.id for c, item in found.items()} == {code: item_id, barcode: item_id}
        ids = item_ids_of(session, tenant.actor, codes=[code + "-2", barcode])
        assert ids == [other, item_id]


def test_every_unknown_or_missing_code_is_refused_at_its_own_line(
    database: Database, tenant: Tenant
) -> None:
    with database.unit_of_work() as session:
        code = unique("CODE")
        new_item(session, tenant.actor, item_code=code)
        with pytest.raises(UnknownReference) as refused:
            item_ids_of(session, tenant.actor, codes=[code, "NOPE", ""])
    assert refused.value.code == "unknown_item"
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("items.1.item_id", "unknown_reference"),
        ("items.2.item_id", "required"),
    ]
    assert "NOPE" in refused.value.errors[0].message


def test_another_companys_item_is_not_named(database: Database, tenant: Tenant) -> None:
    code = unique("CODE")
    other = make_tenant(database)
    with database.unit_of_work() as session:
        new_item(session, other.actor, item_code=code)
        assert items_by_code(session, tenant.actor, codes=[code]) == {}
