"""Receiving a purchase order by scanner: a scan field that keeps the focus; each scan is
checked against the order (``purchasing.service.check_receipt_scan``, a read) and, accepted,
kept in the form as hidden fields, with the running quantity and what is still open on
each line; the scans are received at the end as one receipt (``receive_scans``). Without
JavaScript each scan posts the form and the page answers; ``static/scan.js`` swaps in the
scan box alone (``?fragment=1``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from fastapi import Request, Response
from sqlalchemy.orm import Session

from stockkeeper.core.types import MAX_AMOUNT
from stockkeeper.purchasing import service
from stockkeeper.purchasing.service.scanning import MAX_SCANS, ScanChecked
from stockkeeper.purchasing.values import ReceiptScan, ScannedUnit
from stockkeeper.purchasing.views import OrderView
from stockkeeper.tenancy.service import Actor
from stockkeeper.web.auth import Clerk, DbSession
from stockkeeper.web.documents.lines import Posted, given
from stockkeeper.web.forms import Form, attempt, parse
from stockkeeper.web.item_format import FORMATS
from stockkeeper.web.pages import page_router, redirect, render

router = page_router()

FIELDS = ("code", "quantity", "bin", "batch", "expiry", "serial")
KEPT = ("line_id", "quantity", "bin_id", "batch", "expiry", "serial")  # a scan's hidden fields
ZERO = Decimal(0)
_KEPT = re.compile(r"scans\.(\d+)\.([a-z_]+)")


@router.get("/purchase-orders/{order_id}/scan")
def scan_page(request: Request, session: DbSession, visit: Clerk, order_id: str) -> Response:
    view = service.get_order(session, visit.actor, order_id=order_id)
    if not any(Decimal(str(line["quantityOpen"])) > 0 for line in view.data["items"]):
        return redirect(f"/purchase-orders/{order_id}")
    return _page(request, view, [], Form(), None)


@router.post("/purchase-orders/{order_id}/scan")
def scan_action(
    request: Request, session: DbSession, visit: Clerk, order_id: str, posted: Posted
) -> Response:
    kept = kept_scans(posted)
    if posted.get("do") == "receive":
        return _receive(request, session, visit.actor, order_id, kept)
    if posted.get("do") == "undo":  # a wrong scan taken back: nothing is received yet
        view = service.get_order(session, visit.actor, order_id=order_id)
        return _page(request, view, kept[:-1], Form({"bin": posted.get("bin", "")}), None)
    return _scan(request, session, visit.actor, order_id, posted, kept)


def kept_scans(posted: dict[str, str]) -> list[dict[str, str]]:
    """The scans accepted so far, as the form carries them (``scans.N.<field>``)."""
    numbered: dict[int, dict[str, str]] = {}
    for key, value in posted.items():
        found = _KEPT.fullmatch(key)
        if found and found.group(2) in KEPT and int(found.group(1)) < MAX_SCANS and value:
            numbered.setdefault(int(found.group(1)), {})[found.group(2)] = value
    return [numbered[n] for n in sorted(numbered)]


def _units(kept: Sequence[dict[str, str]]) -> list[ScannedUnit]:
    return [parse(ScannedUnit, scan) for scan in kept]


def _scan(
    request: Request,
    session: Session,
    actor: Actor,
    order_id: str,
    posted: dict[str, str],
    kept: list[dict[str, str]],
) -> Response:
    """The scan checked against the order: taken, it joins the scans kept; refused, the
    page says why beside its field."""
    typed = {name: posted.get(name, "").strip() for name in FIELDS}
    done = attempt(session, typed, lambda: _check(session, actor, order_id, typed, kept))
    if done.result is None:
        view = service.get_order(session, actor, order_id=order_id)
        return _page(request, view, kept, done.form, None)
    return _taken(request, done.result, kept, typed)


def _check(
    session: Session, actor: Actor, order_id: str, typed: dict[str, str], kept: list[dict[str, str]]
) -> ScanChecked:
    scan = parse(ReceiptScan, given(**typed))
    return service.check_receipt_scan(
        session, actor, order_id=order_id, scan=scan, scanned=_units(kept)
    )


def _taken(
    request: Request, checked: ScanChecked, kept: list[dict[str, str]], typed: dict[str, str]
) -> Response:
    """The page after a scan taken: it joins the scans kept, the next is in the same bin."""
    unit = {k: v for k, v in checked.unit.model_dump(mode="json").items() if v is not None}
    return _page(request, checked.order, [*kept, unit], Form({"bin": typed["bin"]}), checked)


def _receive(
    request: Request, session: Session, actor: Actor, order_id: str, kept: list[dict[str, str]]
) -> Response:
    """The scans received as one receipt; a refusal shown above them, the scans kept."""
    done = attempt(
        session,
        {},
        lambda: service.receive_scans(session, actor, order_id=order_id, scans=_units(kept)),
    )
    if done.result is not None:
        return redirect(f"/purchase-orders/{order_id}")
    view = service.get_order(session, actor, order_id=order_id)
    return _page(request, view, kept, done.form, None)


def _page(
    request: Request,
    view: OrderView,
    kept: list[dict[str, str]],
    form: Form,
    checked: ScanChecked | None,
) -> Response:
    scanned: dict[str, Decimal] = {}
    for scan in kept:  # as checked when scanned; the receipt checks them again
        line = scan.get("line_id", "")
        scanned[line] = scanned.get(line, ZERO) + _quantity(scan.get("quantity", ""))
    still_open = {
        line["id"]: max(Decimal(str(line["quantityOpen"])) - scanned.get(line["id"], ZERO), ZERO)
        for line in view.data["items"]
    }
    fragment = request.query_params.get("fragment") == "1"
    context: dict[str, Any] = {
        "doc": view.data,
        "kept": kept,
        "kept_fields": KEPT,
        "scanned": scanned,
        "still_open": still_open,
        "scan_form": form,
        "checked": checked,
        "codes": {line.id: item.item_code for line, item in view.lines},
        "tracking": {item.id: item.tracking for _, item in view.lines},
        **FORMATS,
    }
    template = "_receive_scan.html" if fragment else "receive_scan.html"
    return render(request, f"documents/purchase_orders/{template}", form.status, **context)


def _quantity(typed: str) -> Decimal:
    """A kept scan's quantity as the form carried it back; none where it is not a number a
    scan could have (the receipt checks the scans again)."""
    try:
        number = Decimal(typed)
    except ArithmeticError:
        return ZERO
    return number if number.is_finite() and 0 < number < MAX_AMOUNT else ZERO
