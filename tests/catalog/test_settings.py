from __future__ import annotations

from tests.support import Api, problem


def test_get_and_update_settings(api: Api) -> None:
    settings = api.data(api.get("/api/v1/settings"))
    assert settings["companyId"] == api.tenant.company_id
    assert settings["currency"] == "MYR"
    assert settings["timezone"] == "UTC"
    assert settings["allowNegativeStock"] is False
    assert settings["defaultCostingMethod"] == "average"
    assert settings["defaultWarehouseId"] is None
    assert settings["numberingFormats"] == {
        "adjustment": "ADJ-{YYYY}-{SEQ:4}",
        "transfer": "XFR-{YYYY}-{SEQ:4}",
        "purchaseOrder": "IO{YY}{SEQ:2}",
        "supplier": "CRED{SEQ:3}",
        "salesIssue": "ISS-{YYYY}-{SEQ:4}",
        "salesReturn": "RET-{YYYY}-{SEQ:4}",
        "item": "ART_PRODUCT{SEQ:3}",
    }
    warehouse, other = api.location(), api.location()
    updated = api.data(
        api.put(
            "/api/v1/settings",
            {
                "currency": "EUR",
                "timezone": "Asia/Kuala_Lumpur",
                "allowNegativeStock": True,
                "defaultCostingMethod": "fifo",
                "defaultWarehouseId": other["id"],
                "numberingFormats": {"supplier": "SUP-{YYYY}-{SEQ:3}"},
            },
        )
    )
    assert updated["currency"] == "EUR"
    assert updated["timezone"] == "Asia/Kuala_Lumpur"
    assert updated["allowNegativeStock"] is True
    assert updated["defaultCostingMethod"] == "fifo"
    assert updated["defaultWarehouseId"] == other["id"]
    assert updated["numberingFormats"]["supplier"] == "SUP-{YYYY}-{SEQ:3}"
    assert updated["numberingFormats"]["adjustment"] == "ADJ-{YYYY}-{SEQ:4}"
    assert api.data(api.get(f"/api/v1/locations/{warehouse['id']}"))["isDefault"] is False
    assert api.supplier()["creditorNumber"].startswith("SUP-20")


def test_invalid_settings_are_refused_and_change_nothing(api: Api) -> None:
    store = api.location(type="store")
    for body, code in (
        ({"currency": "ABC"}, "invalid_currency"),
        ({"currency": "usd"}, "validation_failed"),
        ({"timezone": "Mars/Olympus"}, "invalid_timezone"),
        ({"defaultCostingMethod": "random"}, "validation_failed"),
        ({"numberingFormats": {"supplier": "CRED"}}, "invalid_numbering_format"),
        ({"numberingFormats": {"supplier": "C{SEQ:3}{SEQ:2}"}}, "invalid_numbering_format"),
        ({"numberingFormats": {"supplier": "C{MONTH}{SEQ:3}"}}, "invalid_numbering_format"),
        ({"defaultWarehouseId": "loc_missing"}, "unknown_location"),
        ({"defaultWarehouseId": store["id"]}, "validation_failed"),
        ({"currency": "EUR", "timezone": "Nowhere/Nothing"}, "invalid_timezone"),
    ):
        problem(api.put("/api/v1/settings", body), 422, code)
    settings = api.data(api.get("/api/v1/settings"))
    assert settings["currency"] == "MYR"
    assert settings["defaultWarehouseId"] is None


def test_purchase_orders_enabled_is_a_setting_on_by_default(api: Api) -> None:
    assert api.data(api.get("/api/v1/settings"))["purchaseOrdersEnabled"] is True
    updated = api.data(api.put("/api/v1/settings", {"purchaseOrdersEnabled": False}))
    assert updated["purchaseOrdersEnabled"] is False
    assert updated["allowNegativeStock"] is False  # the others are kept
    assert api.data(api.get("/api/v1/settings"))["purchaseOrdersEnabled"] is False
    kept = api.data(api.put("/api/v1/settings", {"currency": "EUR"}))
    assert kept["purchaseOrdersEnabled"] is False
    problem(api.put("/api/v1/settings", {"purchaseOrdersEnabled": "maybe"}), 422)
    api.data(api.put("/api/v1/settings", {"purchaseOrdersEnabled": None}))  # null: kept
    assert api.data(api.get("/api/v1/settings"))["purchaseOrdersEnabled"] is False
    again = api.data(api.put("/api/v1/settings", {"purchaseOrdersEnabled": True}))
    assert again["purchaseOrdersEnabled"] is True
