"""Errors as Sage writes them: a list of ``{$severity, $dataCode, $message, $source}``, one
entry per field at fault or per short line, with the status of the refusal's kind. The
``$dataCode`` is the refusal's own code (``insufficient_stock``, ``validation_failed``, ...)
and ``$source`` the field at fault in Sage's names."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response

from stockkeeper.api.problems import Refusal
from stockkeeper.api.responses import ExactJSONResponse
from stockkeeper.compat.sage.text import sage_decimal

# the domain's field paths (leading parts) as Sage names them
_SOURCES = (
    ("items.0.adjustment_quantity", "quantity"),
    ("items.0.unit_cost", "cost_price"),
    ("items.0.item_id", "stock_item"),
    ("items.0.notes", "details"),
    ("items.0", "stock_item"),
    ("pricing.cost_price", "cost_price"),
    ("pricing.price_groups", "sales_prices"),
    ("pricing.selling_price", "sales_prices"),
    ("inventory.reorder_point", "reorder_level"),
    ("inventory", ""),
    ("accounting.income_account_id", "sales_ledger_account"),
    ("accounting.asset_account_id", "purchase_ledger_account"),
    ("accounting.expense_account_id", "purchase_ledger_account"),
    ("tax.sales_tax_code", "sales_tax_rate"),
    ("tax.purchase_tax_code", "purchase_tax_rate"),
    ("supplier_item_code", "supplier_part_number"),
    ("supplier_id", "usual_supplier"),
    ("is_active", "active"),
    ("unit", "measurement_unit"),
    ("name", "description"),
    ("notes", "details"),
    ("location_id", ""),  # Sage knows no locations: the default warehouse's
)


def _group(source: str, service: bool) -> str:
    """A price's group is its price type (a service's rate: its rate type)."""
    if service:
        source = source.replace("sales_prices.", "sales_rates.")
        return source.replace(".group_id", ".service_rate_type_id")
    return source.replace(".group_id", ".product_sales_price_type_id")


def sage_source(field: str, service: bool = False, types: bool = False) -> str:
    """A domain field path in Sage's names (a path of Sage's own stays as it is); a price or
    rate type's (``types``) keeps its ``name``."""
    if types and field == "name":
        return field
    for domain, sage in _SOURCES:
        if field == domain or field.startswith(domain + "."):
            rest = field[len(domain) :].lstrip(".")
            return _group(".".join(part for part in (sage, rest) if part), service)
    return field


def _entry(code: str, message: str, source: str) -> dict[str, str]:
    return {"$severity": "error", "$dataCode": code, "$message": message, "$source": source}


def _shortage(code: str, shortage: dict[str, Any]) -> dict[str, str]:
    message = (
        f"not enough stock of {shortage['item_code']} at {shortage['location_name']}: "
        f"asked {sage_decimal(shortage['requested'])}, "
        f"available {sage_decimal(shortage['available'])}"
    )
    return _entry(code, message, "quantity")


def sage_errors(
    refusal: Refusal, service: bool = False, types: bool = False
) -> list[dict[str, str]]:
    """The refusal's entries: every short line, else every field at fault, else itself."""
    shortages = refusal.details.get("shortages") or []
    if shortages:
        return [_shortage(refusal.code, s) for s in shortages]
    entries = []
    for error in refusal.errors:
        source = sage_source(error.field, service, types)
        message = f"{source}: {error.message}" if source else error.message
        entries.append(_entry(refusal.code, message, source))
    return entries or [_entry(refusal.code, refusal.detail, "")]


def error_shape(request: Request, refusal: Refusal) -> Response:
    path = request.url.path
    types = any(f"/{kind}" in path for kind in ("product_sales_price_types", "service_rate_types"))
    entries = sage_errors(refusal, "/services" in path, types)
    return ExactJSONResponse(entries, status_code=refusal.kind.status)
