"""Tax rates: components adding up to an effective rate, exact decimals end to end."""

from __future__ import annotations

from tests.support import Api, problem


def test_a_new_company_starts_with_sst_zero_and_exempt(api: Api) -> None:
    rates = {r["code"]: r for r in api.data(api.get("/api/v1/tax-rates"))}
    assert sorted(rates) == ["EXEMPT", "SST", "ZERO"]
    assert rates["SST"]["name"] == "Sales and service tax"
    assert rates["SST"]["components"] == [{"name": "Sales and service tax", "rate": 10}]
    assert rates["SST"]["effectiveRate"] == 10
    assert (rates["ZERO"]["name"], rates["ZERO"]["effectiveRate"]) == ("Zero-rated", 0)
    assert (rates["EXEMPT"]["components"], rates["EXEMPT"]["effectiveRate"]) == ([], 0)
    assert all(r["appliesTo"] == "both" and r["active"] for r in rates.values())


def test_create_read_update_delete_with_exact_rates(api: Api) -> None:
    created = api.create(
        "/api/v1/tax-rates",
        {
            "code": "GST-QST",
            "name": "GST and QST",
            "components": [{"name": "GST", "rate": "5"}, {"name": "QST", "rate": 9.975}],
            "appliesTo": "sales",
        },
    )
    assert created["effectiveRate"] == 14.975  # 5 + 9.975 exactly, not 14.975000000000001
    assert created["components"][1] == {"name": "QST", "rate": 9.975}
    path = f"/api/v1/tax-rates/{created['id']}"
    assert api.data(api.get(path)) == created
    updated = api.data(api.put(path, {"components": [{"name": "GST", "rate": 5}]}))
    assert (updated["effectiveRate"], updated["appliesTo"], updated["code"]) == (
        5,
        "sales",
        "GST-QST",
    )
    assert api.data(api.delete(path)) == {"id": created["id"], "deleted": True}
    problem(api.get(path), 404, "tax_rate_not_found")


def test_a_code_is_unique_in_the_company(api: Api) -> None:
    body = problem(
        api.post("/api/v1/tax-rates", {"code": "SST", "name": "Again"}), 409, "duplicate_code"
    )
    assert body["errors"][0]["field"] == "code"


def test_rates_are_percentages_and_bad_input_is_422(api: Api) -> None:
    for component, field in (
        ({"name": "Too much", "rate": 100.5}, "components.0.rate"),
        ({"name": "Negative", "rate": -1}, "components.0.rate"),
        ({"name": "Not a number", "rate": "ten"}, "components.0.rate"),
        ({"rate": 5}, "components.0.name"),
    ):
        body = {"code": "BAD", "name": "Bad", "components": [component]}
        error = problem(api.post("/api/v1/tax-rates", body), 422, "validation_failed")
        assert [e["field"] for e in error["errors"]] == [field]
    error = problem(
        api.post("/api/v1/tax-rates", {"code": "X", "name": "X", "appliesTo": "all"}), 422
    )
    assert error["errors"][0]["field"] == "appliesTo"
    assert [r["code"] for r in api.data(api.get("/api/v1/tax-rates"))] == ["EXEMPT", "SST", "ZERO"]


def test_only_admins_change_rates(api: Api) -> None:
    clerk = api.as_key(api.tenant.clerk_key)
    assert len(api.data(clerk.get("/api/v1/tax-rates"))) == 3
    problem(clerk.post("/api/v1/tax-rates", {"code": "NEW", "name": "New"}), 403)
